"""Fast bulk loading for synthetic data: COPY on PostgreSQL, batched inserts elsewhere.

Rows carry explicit primary keys (allocated by ``IdBlock``) so related rows can be
written without reading anything back; sequences are moved past them afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from psycopg.types.json import Jsonb

BATCH = 5000


class IdBlock:
    """Hands out primary keys above the table's current maximum."""

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column, f"{name} is not a concrete column"
        columns.append(field.column)
    return columns


def load(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes rows (tuples in ``fields`` order, including ``id``) and returns how many."""
    table = model._meta.db_table
    columns = _columns(model, fields)
    count = 0
    if connection.vendor == "postgresql":
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row([Jsonb(v) if isinstance(v, dict | list) else v for v in row])
                count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({placeholders})"  # noqa: S608 - names come from model metadata
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([_adapt(v) for v in row])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapt(value: Any) -> Any:

    return json.dumps(value) if isinstance(value, dict | list) else value


def reset_sequences(*model_classes: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
