"""Optimistic concurrency, written once.

Two people can open the same record, change it and save. Without a check, the
second save silently overwrites the first. Every record people edit carries a
``version``; every change names the version the person saw; the service locks
the row, compares, and refuses a stale change with ``StaleRecord`` (409 in the
API, a clear message on the page). The version is required, never optional: an
omitted version would be a silent overwrite by another name.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from core.exceptions import StaleRecord

M = TypeVar("M", bound=models.Model)


class VersionedModel(models.Model):
    """A record two people can edit: ``version`` goes up by one on every change."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def bump_version(self) -> None:
        """Call before saving a change; the saved row then carries the next version."""
        self.version += 1


def lock_at_version(queryset: models.QuerySet[M] | type[M], pk: Any, expected_version: int) -> M:
    """The row, locked for this transaction, provided it is still at the version the user saw.

    Raises ``DoesNotExist`` when there is no such row (callers resolve ids through the
    user's scope first, so that answers 404) and ``StaleRecord`` when someone else has
    changed it since.
    """
    rows = queryset if isinstance(queryset, models.QuerySet) else queryset._default_manager.all()
    record = rows.select_for_update(of=("self",)).get(pk=pk)
    check_version(record, expected_version)
    return record


def check_version(record: Any, expected_version: int) -> None:
    """Refuses a change made from an out-of-date copy of ``record`` (already locked by the caller)."""
    if record.version != expected_version:
        raise StaleRecord()
