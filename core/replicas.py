"""Reports and dashboards read from a replica when ``DATABASE_REPLICA_URL`` is set (ADR 22).

The mechanism is small and explicit: a view or API operation that shows figures
(a dashboard, a report, a CSV of them) is decorated ``@reads_from_replica``; while it
runs, the router sends its reads to the ``replica`` alias. Everything else, and every
write, uses the primary. Without ``DATABASE_REPLICA_URL`` there is no ``replica``
alias and the router answers the primary: nothing changes.

A read inside a transaction on the primary always stays on the primary, replica
view or not: a write that reads first (the audit trail reads its chain's head) must
see what it is about to build on, never a replica some seconds behind. Replica
figures may lag the primary by the replication delay; dashboards and reports accept
that, case pages never see it because they are never routed there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
F = TypeVar("F", bound=Callable[..., Any])
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block go to the replica when one is configured."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: F) -> F:
    """Marks a dashboard or report view (page or API operation) whose reads may use the replica."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    wrapper.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def read_alias() -> str:
    """The alias the next read goes to: the replica only inside a replica view, when one
    is configured and the primary is not in the middle of a transaction."""
    if not _reading_from_replica.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA_ALIAS


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads as ``read_alias`` decides, writes and migrations primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica is a copy of the primary, migrated through it
