"""The kernel's tables: background jobs (ADR 21), here, and the idempotency keys of
API retries (ADR 22), which live in ``core.idempotency`` and are imported here, where
Django looks for models.

Background jobs.

The tasks API (``django.tasks``, here the ``django-tasks`` backport) runs a function
on a worker and keeps its return value; it has no progress, cancellation, retry
limit, schedule or recovery from a worker that died. A ``Job`` is the platform's own
record of one piece of long work, which the task updates as it goes, so a page can
show its stage and percentage, its starter can cancel it, a failure says why and can
be retried, and the result survives a restart of the worker or a change of backend.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.constants import ACTIVE_JOB_STATES, JobStatus
from core.idempotency import IdempotencyKey

__all__ = ["IdempotencyKey", "Job"]


class Job(models.Model):
    """One run of a registered kind of job (``core.jobs.JOB_KINDS``).

    ``dedupe_key`` names the work ("the planner for this PDU and period"): at most one
    job that is not yet finished holds a key, enforced by the database, so a second
    request for the same work joins the first (and the scheduler's periodic jobs run
    once per period). ``followers`` are the users who asked for it: the starter and
    anyone who joined; they, and users who may manage jobs, can see it."""

    kind = models.CharField(max_length=100)
    label = models.CharField(max_length=200, help_text="What the job does, in plain words")
    params = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the scheduler's periodic jobs",
    )
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=200, blank=True, default="")
    percent = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs started so far")
    max_attempts = models.PositiveSmallIntegerField(default=3, help_text="Runs allowed before it fails")
    error = models.TextField(max_length=2000, blank=True, default="")
    result = models.JSONField(null=True, blank=True)
    checkpoint = models.JSONField(
        null=True, blank=True, help_text="Where a resumable job got to: a re-run continues from here"
    )
    task_id = models.CharField(max_length=64, blank=True, default="", help_text="The task backend's id")
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=ACTIVE_JOB_STATES) & ~Q(dedupe_key=""),
                name="one_unfinished_job_per_dedupe_key",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="job_percent_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["dedupe_key"], name="job_dedupe_key"),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.label}"

    @property
    def is_finished(self) -> bool:
        return self.status not in ACTIVE_JOB_STATES
