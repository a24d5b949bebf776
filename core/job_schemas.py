"""The API's view of a background job, shared by the jobs API (``portal``) and the
operations that start one (the planner answers 202 with it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from core.jobs import JOB, elapsed
from core.models import Job


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str = Field(description="QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED")
    status_label: str
    stage: str
    percent: int = Field(ge=0, le=100)
    started_by: str | None = Field(description="Username of its starter; none for scheduled jobs")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    elapsed_seconds: float | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    error: str
    result_summary: str = Field(description="What it made, in plain words, once it finished")
    result_url: str | None = Field(description="The page of what it made, once it finished")
    url: str = Field(description="This job in the API")
    page_url: str = Field(description="Its progress page")
    next_steps: list[str] = Field(description="The steps you may take on it now: cancel, retry")


def job_out(job: Job, user: Any) -> JobOut:
    result = job.result if isinstance(job.result, dict) else {}
    seconds = elapsed(job)
    return JobOut(
        id=job.pk,
        kind=job.kind,
        label=job.label,
        status=job.status,
        status_label=job.get_status_display(),
        stage=job.stage,
        percent=job.percent,
        started_by=job.started_by.get_username() if job.started_by else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        elapsed_seconds=round(seconds.total_seconds(), 1) if seconds is not None else None,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        cancel_requested=job.cancel_requested,
        error=job.error,
        result_summary=str(result.get("summary", "")),
        result_url=str(result["url"]) if result.get("url") else None,
        url=f"/api/v1/jobs/{job.pk}",
        page_url=reverse("portal:job", args=[job.pk]),
        next_steps=[t.name for t in JOB.allowed(job, user) if t.name in ("cancel", "retry")],
    )
