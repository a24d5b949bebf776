"""The job machinery at its boundaries (ADR 21): dedupe and join, cancel, the retry
limit, the reaper on a stale heartbeat, the scheduler's once per period, and who may see
a job's progress page and API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from core import jobs
from core.constants import JobStatus
from core.exceptions import TransitionNotAllowed
from core.models import Job
from core.roles import Role

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
CALLS: list[str] = []


def _steps(job: Job) -> dict[str, Any]:
    jobs.progress("First stage", 30)
    CALLS.append("first")
    if job.params.get("cancel_midway"):
        jobs.request_cancel(job, user=job.started_by)
    jobs.progress("Second stage", 60)
    CALLS.append("second")
    return {"summary": "Done", "url": "/somewhere/"}


def _flaky(job: Job) -> dict[str, Any]:
    raise RuntimeError("the database went away")


def _refused(job: Job) -> dict[str, Any]:
    raise ValidationError("There is nothing to plan in these dates")


for _key, _handler in (("test.steps", _steps), ("test.flaky", _flaky), ("test.refused", _refused)):
    jobs.JOB_KINDS.register(jobs.JobKind(key=_key, label=_key, handler=_handler, max_attempts=3))


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    CALLS.clear()


def _start(kind: str = "test.steps", user: Any = None, key: str = "", **params: Any) -> tuple[Job, bool]:
    return jobs.start_job(kind, label="A test job", started_by=user, params=params, dedupe_key=key)


# --- dedupe and join -----------------------------------------------------------------------


def test_a_second_request_for_the_same_work_joins_the_unfinished_job(make_user: Any) -> None:
    first, second = make_user(Role.UNPAID_WORK), make_user(Role.UNPAID_WORK)
    job, created = _start(user=first, key="plan:1")
    joined, again = _start(user=second, key="plan:1")
    assert created and not again and joined.pk == job.pk
    assert set(job.followers.all()) == {first, second} and Job.objects.count() == 1
    jobs.run_queued_jobs()
    fresh, created_after = _start(user=first, key="plan:1")  # finished: the same work may run again
    assert created_after and fresh.pk != job.pk


def test_the_database_allows_one_unfinished_job_per_key() -> None:
    """The index, not the code, decides a race between two requests."""
    Job.objects.create(kind="test.steps", label="x", dedupe_key="k", created_at=timezone.now())
    Job.objects.create(
        kind="test.steps", label="x", dedupe_key="k", status=JobStatus.SUCCEEDED, created_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.steps", label="x", dedupe_key="k", created_at=timezone.now())
    Job.objects.create(kind="test.steps", label="y", created_at=timezone.now())  # no key: no limit
    Job.objects.create(kind="test.steps", label="y", created_at=timezone.now())


# --- running, progress and cancel ----------------------------------------------------------


def test_a_job_reports_its_stages_and_keeps_its_result() -> None:
    job, _ = _start()
    assert jobs.run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100 and job.attempts == 1
    assert job.result == {"summary": "Done", "url": "/somewhere/"} and CALLS == ["first", "second"]
    assert job.started_at and job.finished_at and jobs.elapsed(job) is not None


def test_cancelling_a_queued_job_stops_it_before_it_starts(make_user: Any) -> None:
    user = make_user(Role.UNPAID_WORK)
    job, _ = _start(user=user)
    job = jobs.request_cancel(job, user=user)
    assert job.status == JobStatus.CANCELLED and jobs.run_queued_jobs() == 0 and CALLS == []


def test_a_running_job_stops_at_its_next_stage_when_cancelled(make_user: Any) -> None:
    user = make_user(Role.UNPAID_WORK)
    job, _ = _start(user=user, cancel_midway=True)
    jobs.run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and CALLS == ["first"] and job.result is None


def test_only_its_starter_or_an_administrator_may_cancel(make_user: Any) -> None:
    starter, joiner = make_user(Role.UNPAID_WORK), make_user(Role.UNPAID_WORK)
    job, _ = _start(user=starter, key="k")
    _start(user=joiner, key="k")
    with pytest.raises(TransitionNotAllowed):
        jobs.request_cancel(job, user=joiner)
    assert jobs.request_cancel(job, user=make_user(Role.ADMINISTRATOR)).status == JobStatus.CANCELLED


# --- retries -------------------------------------------------------------------------------


def test_an_unexpected_error_is_retried_up_to_the_limit_then_fails_saying_why(make_user: Any) -> None:
    user = make_user(Role.UNPAID_WORK)
    job, _ = _start("test.flaky", user=user)
    assert jobs.run_queued_jobs() == 3  # three attempts, then no more
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 3
    assert "RuntimeError" in job.error and "tried 3 times" in job.error
    again = jobs.retry(job, user=user)  # the retry button: a fresh allowance
    assert again.status == JobStatus.QUEUED and again.attempts == 0 and again.error == ""


def test_an_expected_refusal_fails_at_once_with_its_message() -> None:
    job, _ = _start("test.refused")
    assert jobs.run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.error == "There is nothing to plan in these dates"


def test_only_a_failed_or_cancelled_job_can_be_retried(make_user: Any) -> None:
    user = make_user(Role.UNPAID_WORK)
    job, _ = _start(user=user)
    with pytest.raises(TransitionNotAllowed):
        jobs.retry(job, user=user)


# --- the reaper ----------------------------------------------------------------------------


def _running(job: Job, at: datetime, attempts: int) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=at, heartbeat_at=at, attempts=attempts
    )


def test_the_reaper_requeues_a_job_whose_worker_stopped_then_fails_it_past_the_limit() -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    with time_machine.travel(start, tick=False):
        job, _ = _start()
        _running(job, start, attempts=1)
    with time_machine.travel(start + timedelta(seconds=299), tick=False):
        assert jobs.reap()["requeued"] == 0  # the heartbeat is not stale yet
    with time_machine.travel(start + timedelta(seconds=301), tick=False):
        assert jobs.reap()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "worker running it stopped" in job.stage
    _running(job, start, attempts=3)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert jobs.reap()["failed"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "tried 3 times" in job.error


def test_a_fresh_heartbeat_keeps_a_long_job_from_being_reaped() -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    with time_machine.travel(start, tick=False):
        job, _ = _start()
        _running(job, start, attempts=1)
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        token = jobs._current.set(job.pk)
        jobs.report("Solving", 40)  # what the worker's heartbeat thread and each stage write
        jobs._current.reset(token)
    with time_machine.travel(start + timedelta(minutes=8), tick=False):
        assert jobs.reap()["requeued"] == 0


# --- the scheduler -------------------------------------------------------------------------


def test_the_scheduler_starts_the_nightly_tiers_once_a_night() -> None:
    def nightly() -> int:
        return Job.objects.filter(kind="risk.nightly_tiers").count()

    with time_machine.travel(datetime(2026, 12, 1, 1, 30, tzinfo=LONDON), tick=False):
        jobs.schedule()
        assert nightly() == 0  # not before 02:00
    with time_machine.travel(datetime(2026, 12, 1, 2, 0, tzinfo=LONDON), tick=False):
        jobs.schedule()
        jobs.schedule()
        assert nightly() == 1
    jobs.run_queued_jobs()  # finished: the period still has its job
    with time_machine.travel(datetime(2026, 12, 1, 23, 59, tzinfo=LONDON), tick=False):
        jobs.schedule()
        assert nightly() == 1
    with time_machine.travel(datetime(2026, 12, 2, 2, 1, tzinfo=LONDON), tick=False):
        jobs.schedule()
        assert nightly() == 2
    assert not Job.objects.filter(kind="risk.nightly_tiers", started_by__isnull=False).exists()


# --- the progress page and the API ---------------------------------------------------------


def test_a_job_is_seen_by_its_starter_and_administrators_and_is_404_to_anyone_else(
    make_user: Any, client_for: Any
) -> None:
    """Proved able to fail: with ``jobs_visible_to`` returning every job to everyone, the
    other coordinator's page and API answered 200 and this went red; restored, green."""
    starter = make_user(Role.UNPAID_WORK)
    job, _ = _start(user=starter)
    for user, expected in (
        (starter, 200),
        (make_user(Role.ADMINISTRATOR), 200),
        (make_user(Role.UNPAID_WORK), 404),  # same role, even the same capability: not theirs
        (make_user(Role.PRACTITIONER), 404),
    ):
        client = client_for(user)
        page = client.get(f"/jobs/{job.pk}/")
        api = client.get(f"/api/v1/jobs/{job.pk}")
        cancel = client.post(f"/api/v1/jobs/{job.pk}/cancel", {}, content_type="application/json")
        assert (page.status_code, api.status_code) == (expected, expected), user.username
        if expected == 404:
            assert cancel.status_code == 404 and cancel["Content-Type"] == "application/problem+json"
    assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED  # by the administrator


def test_the_progress_page_shows_stage_percent_and_refreshes_without_javascript(
    make_user: Any, client_for: Any
) -> None:
    starter = make_user(Role.UNPAID_WORK)
    job, _ = _start(user=starter)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, stage="Solving", percent=40, started_at=timezone.now()
    )
    page = client_for(starter).get(f"/jobs/{job.pk}/").content.decode()
    assert "Solving" in page and 'value="40"' in page and "40% done" in page
    assert '<meta http-equiv="refresh"' in page and "portal/jobs.mjs" in page
    assert "Cancel job" in page and "Try again" not in page
    api = client_for(starter).get(f"/api/v1/jobs/{job.pk}").json()
    assert api["percent"] == 40 and api["stage"] == "Solving" and api["next_steps"] == ["cancel"]


def test_a_failed_job_says_why_and_its_starter_retries_it_from_the_page(
    make_user: Any, client_for: Any
) -> None:
    starter = make_user(Role.UNPAID_WORK)
    job, _ = _start("test.refused", user=starter)
    jobs.run_queued_jobs()
    client = client_for(starter)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "There is nothing to plan in these dates" in page and "Try again" in page
    assert "http-equiv" not in page  # finished: no more refreshing
    before = AuditEvent.objects.count()
    assert client.post(f"/jobs/{job.pk}/", {"retry": "1"}).status_code == 302
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert AuditEvent.objects.count() == before + 1  # the retry is audited
