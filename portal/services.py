"""The portal's writes: cancelling and retrying a background job. The job machinery is
the kernel's (``core.jobs``), which cannot audit (``audit`` stands above it), so the
pages and the API come through here: guard, change and audit in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit import services as audit
from audit.constants import AuditAction
from core import jobs
from core.models import Job


@transaction.atomic
def cancel_job(*, acting_user: Any, job: Job) -> Job:
    """Cancels a queued job, or asks a running one to stop at its next stage."""
    before = job.status
    job = jobs.request_cancel(job, user=acting_user)
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=job,
        object_repr=job.label,
        changes={"status": [before, job.status], "cancel_requested": [False, True]},
    )
    return job


@transaction.atomic
def retry_job(*, acting_user: Any, job: Job) -> Job:
    """Queues a failed or cancelled job again (or joins the same work started since)."""
    before = job.status
    queued = jobs.retry(job, user=acting_user)
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=queued,
        object_repr=queued.label,
        changes={"status": [before, queued.status], "retried": [None, job.pk]},
    )
    return queued
