"""The kernel's own periodic work (ADR 21, ADR 22): purging Idempotency-Key records past
their lifetime once a day. A key met after its lifetime is treated as new even before
it is purged, so the purge only keeps the table small."""

from __future__ import annotations

from typing import Any

from core import jobs
from core.idempotency import purge_expired
from core.models import Job

PURGE_IDEMPOTENCY_KEYS = "core.purge_idempotency_keys"


def run_purge(job: Job) -> dict[str, Any]:
    jobs.report("Deleting expired idempotency keys", 10)
    return {"summary": f"Deleted {purge_expired()} expired idempotency keys."}


def register() -> None:
    jobs.JOB_KINDS.register(
        jobs.JobKind(key=PURGE_IDEMPOTENCY_KEYS, label="Purge expired idempotency keys", handler=run_purge)
    )
    jobs.PERIODIC_JOBS.register(
        jobs.PeriodicJob(
            key=PURGE_IDEMPOTENCY_KEYS,
            kind=PURGE_IDEMPOTENCY_KEYS,
            label="Purge expired idempotency keys",
            hour=4,
        )
    )
