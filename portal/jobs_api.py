"""Background jobs in the API: a job's progress, and cancelling or retrying it. The same
rules as the progress page: its starter, those who joined it and users who may manage
jobs see it; anyone else gets 404. Mounted at ``/api/v1/jobs``."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from core import jobs
from core.api import api_requires, api_user
from core.job_schemas import JobOut, job_out
from portal import services

router = Router(tags=["Jobs"])


@router.get("/{job_id}", response=JobOut, summary="A background job: status, stage, percent and result")
@api_requires(None)
def get_job(request: HttpRequest, job_id: int) -> JobOut:
    user = api_user(request)
    return job_out(get_object_or_404(jobs.jobs_visible_to(user), pk=job_id), user)


@router.post(
    "/{job_id}/cancel",
    response=JobOut,
    summary="Cancel a queued job, or ask a running one to stop at its next stage (its starter)",
)
@api_requires(None)
def cancel_job(request: HttpRequest, job_id: int) -> JobOut:
    user = api_user(request)
    found = get_object_or_404(jobs.jobs_visible_to(user), pk=job_id)
    return job_out(services.cancel_job(acting_user=user, job=found), user)


@router.post("/{job_id}/retry", response=JobOut, summary="Queue a failed or cancelled job again")
@api_requires(None)
def retry_job(request: HttpRequest, job_id: int) -> JobOut:
    user = api_user(request)
    found = get_object_or_404(jobs.jobs_visible_to(user), pk=job_id)
    return job_out(services.retry_job(acting_user=user, job=found), user)
