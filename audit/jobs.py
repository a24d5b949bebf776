"""The audit checkpoint as a periodic job (ADR 13, ADR 21): the scheduler signs the
chain's head once a night, when a signing key is configured."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from core import jobs
from core.models import Job

CHECKPOINT_JOB = "audit.checkpoint"


def run_checkpoint(job: Job) -> dict[str, Any]:
    """Runs ``checkpoint_audit``; its refusal (a broken chain, no key) fails the job with
    the command's message, which is not retried: it needs someone to investigate."""
    out = StringIO()
    jobs.report("Signing the audit chain's head", 10)
    try:
        call_command("checkpoint_audit", stdout=out)
    except CommandError as error:
        raise jobs.JobFailed(str(error)) from error
    return {"summary": out.getvalue().strip()[:500]}


def register() -> None:
    jobs.JOB_KINDS.register(
        jobs.JobKind(key=CHECKPOINT_JOB, label="Audit checkpoint", handler=run_checkpoint, max_attempts=1)
    )
    if settings.AUDIT_CHECKPOINT_KEY:
        jobs.PERIODIC_JOBS.register(
            jobs.PeriodicJob(key=CHECKPOINT_JOB, kind=CHECKPOINT_JOB, label="Audit checkpoint", hour=3)
        )
