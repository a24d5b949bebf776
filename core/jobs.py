"""Background jobs on Django's tasks API, with what the API leaves out (ADR 21).

The tasks API (``django.tasks`` in Django 6.0; the ``django-tasks`` backport here, with
the ``django-tasks-db`` database backend) enqueues a function and runs it on a worker.
It has no progress, cancellation, retry limit, schedule or recovery of a task whose
worker died. This module adds those once, small and explicit, around one task,
``run_job``, that runs any registered kind of job by the id of its ``Job`` record:

- ``start_job`` creates the record, or joins the unfinished one with the same dedupe
  key (a unique index on unfinished jobs decides races), and enqueues ``run_job``
  once the record is committed;
- ``execute`` claims the job (one conditional UPDATE, so a duplicate task finds nothing
  to do), runs the kind's handler and records the outcome; an unexpected error is
  retried until ``max_attempts`` runs were started, an expected one
  (``ValidationError``, ``JobFailed``) fails at once with its message;
- handlers call ``report(stage, percent)`` (also the heartbeat) and ``cancelled()`` or
  ``check_cancelled()`` between stages; a worker also beats in a thread, so a long
  solver stage is not taken for a dead worker;
- ``reap`` re-queues (or fails, past the limit) running jobs whose heartbeat went stale,
  and enqueues queued jobs whose task was never enqueued; ``schedule`` starts each
  periodic job once per period. The ``run_scheduler`` command runs both in a loop.

Task code never names the backend, so moving to another one (``TASKS`` in settings) does
not change it. Kernel code: the kinds and the periodic jobs are registered by the apps
above (``JOB_KINDS``, ``PERIODIC_JOBS``), which this module never imports.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task  # Django 6.0: ``from django.tasks import task``

from core.constants import ACTIVE_JOB_STATES, JobStatus
from core.exceptions import TransitionNotAllowed
from core.lifecycle import Lifecycle, Transition
from core.models import Job
from core.registry import Registry
from core.roles import Capability

logger = logging.getLogger(__name__)
S = JobStatus


class JobFailed(Exception):
    """An expected failure with a message for the user; not retried."""


class JobCancelled(Exception):
    """Raised by ``check_cancelled`` when the starter asked to stop."""


Handler = Callable[[Job], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    """A kind of job an app can run: its handler takes the job (``job.params``,
    ``job.started_by`` as the acting user) and returns the result, a JSON object whose
    ``summary`` the progress page shows and whose ``url`` it links to."""

    key: str
    label: str
    handler: Handler
    max_attempts: int = 3
    order: int = 0


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler starts once a day, at or after ``hour`` (local time)."""

    key: str
    kind: str
    label: str
    hour: int = 2
    order: int = 0

    def period(self, now: datetime) -> str | None:
        """The period due at ``now`` (its date), or None before today's hour."""
        local = timezone.localtime(now)
        return local.date().isoformat() if local.hour >= self.hour else None


JOB_KINDS: Registry[JobKind] = Registry("job kinds")
PERIODIC_JOBS: Registry[PeriodicJob] = Registry("periodic jobs")


def _is_follower(user: Any, job: Any) -> bool:
    """Its starter, or someone who asked for the same work and joined it."""
    return job.started_by_id == user.pk or job.followers.filter(pk=user.pk).exists()


def _is_starter(user: Any, job: Any) -> bool:
    """Its starter, or a user who may manage jobs."""
    return job.started_by_id == user.pk or user.has_capability(Capability.MANAGE_JOBS)


def _retry_allowed(user: Any, job: Any) -> bool:
    """Its starter or a follower, or a user who may manage jobs."""
    return user.has_capability(Capability.MANAGE_JOBS) or _is_follower(user, job)


JOB = Lifecycle(
    noun="job",
    states=dict(JobStatus.choices),
    initial=S.QUEUED,
    transitions=(
        Transition("start", "Start", {S.QUEUED}, S.RUNNING),
        Transition("succeed", "Finish", {S.RUNNING}, S.SUCCEEDED),
        Transition("fail", "Fail", {S.QUEUED, S.RUNNING}, S.FAILED),
        Transition("requeue", "Run again", {S.RUNNING}, S.QUEUED),
        Transition("cancel", "Cancel", {S.QUEUED, S.RUNNING}, ends={S.CANCELLED, S.RUNNING}, who=_is_starter),
        Transition("retry", "Try again", {S.FAILED, S.CANCELLED}, S.QUEUED, who=_retry_allowed),
    ),
)
"""A job's lifecycle. ``start``, ``succeed``, ``fail`` and ``requeue`` are the worker's and
the reaper's (conditional UPDATEs, so two workers never both move one job); ``cancel``
ends a queued job at once and asks a running one to stop; ``retry`` queues a failed or
cancelled job again."""


# --- reads ---------------------------------------------------------------------------


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """The jobs a user may see: those they started or joined; every job for a user who
    may manage jobs. Anyone else's job answers 404 like any record out of scope."""
    jobs = Job.objects.select_related("started_by")
    if user.has_capability(Capability.MANAGE_JOBS):
        return jobs
    return jobs.filter(Q(started_by=user) | Q(followers=user)).distinct()


def elapsed(job: Job, now: datetime | None = None) -> timedelta | None:
    """How long it has run (so far, or in all), or None before it started."""
    if job.started_at is None:
        return None
    return (job.finished_at or now or timezone.now()) - job.started_at


# --- starting, cancelling, retrying -------------------------------------------------------


def start_job(
    kind: str,
    *,
    label: str,
    started_by: Any = None,
    params: dict[str, Any] | None = None,
    dedupe_key: str = "",
    enqueue_task: bool = True,
) -> tuple[Job, bool]:
    """Creates a job and enqueues it once committed; or, when an unfinished job holds
    ``dedupe_key``, joins that one (the user becomes a follower). Returns the job and
    whether it was created. Call it inside the caller's transaction: the job and its
    audit row commit together, and the task is enqueued only after the commit, so a
    worker never looks for a job that is not there yet. ``enqueue_task=False`` leaves it
    for the caller to ``execute`` in its own process (a command's ``--now``)."""
    entry = JOB_KINDS.get(kind)
    if entry is None:
        raise KeyError(f"No job kind {kind!r} is registered")
    with transaction.atomic():
        existing = _unfinished(dedupe_key)
        if existing is None:
            try:
                with transaction.atomic():
                    job = Job.objects.create(
                        kind=kind,
                        label=label[:200],
                        params=params or {},
                        started_by=started_by,
                        dedupe_key=dedupe_key,
                        max_attempts=entry.max_attempts,
                        created_at=timezone.now(),
                    )
            except IntegrityError:
                existing = _unfinished(dedupe_key)
                if existing is None:
                    raise
        if existing is not None:
            if started_by is not None:
                existing.followers.add(started_by)
            return existing, False
        if started_by is not None:
            job.followers.add(started_by)
        if enqueue_task:
            _enqueue_on_commit(job.pk)
    return job, True


def _unfinished(dedupe_key: str) -> Job | None:
    if not dedupe_key:
        return None
    return Job.objects.filter(dedupe_key=dedupe_key, status__in=ACTIVE_JOB_STATES).first()


def _enqueue_on_commit(job_id: int, delay_seconds: float = 0) -> None:
    transaction.on_commit(lambda: enqueue(job_id, delay_seconds=delay_seconds), robust=True)


def enqueue(job_id: int, *, delay_seconds: float = 0) -> None:
    """Hands the job to the task backend and records the backend's id. A job whose
    enqueue never happened (a crash just after the commit) is enqueued by ``reap``."""
    runner = run_job
    if delay_seconds and runner.get_backend().supports_defer:
        runner = runner.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    result = runner.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64], enqueued_at=timezone.now())


def request_cancel(job: Job, *, user: Any) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop, and ends
    cancelled at its next check between stages. The caller audits it."""
    JOB.guard(job, "cancel", user)
    now = timezone.now()
    stopped = Job.objects.filter(pk=job.pk, status=S.QUEUED).update(
        status=S.CANCELLED, cancel_requested=True, finished_at=now, stage="Cancelled before it started"
    )
    if not stopped:
        Job.objects.filter(pk=job.pk, status=S.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def retry(job: Job, *, user: Any) -> Job:
    """Queues a failed or cancelled job again with a fresh allowance of attempts. If the
    same work was started again meanwhile, joins that job instead and returns it."""
    JOB.guard(job, "retry", user)
    joined = _unfinished(job.dedupe_key)
    if joined is not None:
        joined.followers.add(user)
        return joined
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, status__in=(S.FAILED, S.CANCELLED)).update(
                status=S.QUEUED,
                attempts=0,
                error="",
                cancel_requested=False,
                stage="Queued again",
                percent=0,
                started_at=None,
                finished_at=None,
                heartbeat_at=None,
                task_id="",
                enqueued_at=None,
            )
    except IntegrityError:
        joined = _unfinished(job.dedupe_key)
        if joined is None:
            raise
        return joined
    if not updated:
        raise TransitionNotAllowed("The job changed meanwhile: reload the page.")
    _enqueue_on_commit(job.pk)
    job.refresh_from_db()
    return job


# --- running ---------------------------------------------------------------------------

_current: contextvars.ContextVar[int | None] = contextvars.ContextVar("current_job", default=None)


def report(stage: str, percent: int) -> None:
    """Records the running job's stage and percentage, and its heartbeat. Does nothing
    outside a job, so the same code runs from a command or a test."""
    job_id = _current.get()
    if job_id is None:
        return
    Job.objects.filter(pk=job_id, status=S.RUNNING).update(
        stage=stage[:200], percent=max(0, min(100, int(percent))), heartbeat_at=timezone.now()
    )


def cancelled() -> bool:
    """Whether the running job's starter asked it to stop."""
    job_id = _current.get()
    return job_id is not None and Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def save_checkpoint(state: dict[str, Any]) -> None:
    """Records where a resumable job got to (in the caller's transaction, so the work and
    the checkpoint commit together); a re-run after a crash reads ``job.checkpoint``."""
    job_id = _current.get()
    if job_id is not None:
        Job.objects.filter(pk=job_id).update(checkpoint=state, heartbeat_at=timezone.now())


def check_cancelled() -> None:
    """Stops the job here (it ends cancelled) if its starter asked it to."""
    if cancelled():
        raise JobCancelled


def progress(stage: str, percent: int) -> None:
    """``report`` then ``check_cancelled``: what a handler calls between its stages."""
    report(stage, percent)
    check_cancelled()


@task()
def run_job(job_id: int) -> str:
    """The one task on the queue: runs the job with this id (a worker's entry point)."""
    return execute(job_id, heartbeat=True)


def execute(job_id: int, *, heartbeat: bool = False) -> str:
    """Claims the job if it is still queued, runs its handler and records the outcome;
    returns the status it ended in (the task backend keeps that as its result)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=S.QUEUED, cancel_requested=False).update(
        status=S.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        stage="Starting",
    )
    if not claimed:
        return "not claimed"  # another worker has it, or it was cancelled or finished
    job = Job.objects.select_related("started_by").get(pk=job_id)
    entry = JOB_KINDS.get(job.kind)
    token = _current.set(job_id)
    try:
        with _heartbeat(job_id, enabled=heartbeat):
            if entry is None:
                raise JobFailed(f"This platform cannot run jobs of kind {job.kind!r}")
            result = entry.handler(job)
    except JobCancelled:
        _finish(job_id, S.CANCELLED, stage="Cancelled")
    except (JobFailed, ValidationError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _finish(job_id, S.FAILED, error=message[:2000], stage="Failed")
    except Exception as error:
        logger.exception("Job %s (%s) raised on attempt %s", job_id, job.kind, job.attempts)
        _after_error(job, error)
    else:
        _finish(job_id, S.SUCCEEDED, result=result, stage="Finished", percent=100)
    finally:
        _current.reset(token)
    return str(Job.objects.values_list("status", flat=True).get(pk=job_id))


def _after_error(job: Job, error: Exception) -> None:
    """Queues the job again while it has attempts left; otherwise it fails, saying so."""
    if job.attempts < job.max_attempts and not job.cancel_requested:
        requeued = Job.objects.filter(pk=job.pk, status=S.RUNNING, cancel_requested=False).update(
            status=S.QUEUED,
            stage=f"Waiting to try again (attempt {job.attempts} of {job.max_attempts} failed)",
            error=_unexpected(error, job.attempts),
            task_id="",
            enqueued_at=None,
        )
        if requeued:
            _enqueue_on_commit(job.pk, delay_seconds=settings.JOBS_RETRY_DELAY_SECONDS * job.attempts)
            return
    _finish(job.pk, S.FAILED, error=_unexpected(error, job.attempts), stage="Failed")


def _unexpected(error: Exception, attempts: int) -> str:
    """Says why without a traceback (that goes to the log, with the job's id)."""
    runs = "once" if attempts == 1 else f"{attempts} times"
    return f"It stopped with an unexpected error ({type(error).__name__}); it was tried {runs}."


def _finish(job_id: int, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id, status=S.RUNNING).update(
        status=status, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
    )


@contextmanager
def _heartbeat(job_id: int, *, enabled: bool) -> Iterator[None]:
    """Beats every ``JOBS_HEARTBEAT_SECONDS`` in a thread while the handler runs, so a
    stage that reports nothing for a while (the solver) is not taken for a dead worker."""
    seconds = float(settings.JOBS_HEARTBEAT_SECONDS)
    if not enabled or seconds <= 0:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(seconds):
                try:
                    Job.objects.filter(pk=job_id, status=S.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a locked SQLite file: the next beat will do
                    logger.warning("Job %s: heartbeat not written", job_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def run_queued_jobs(limit: int = 100) -> int:
    """Runs every queued job in this process, oldest first, retries included, and
    returns how many runs it made: how tests (and ``--now`` commands) get a job's result
    without a worker, through the same ``execute`` a worker calls."""
    runs = 0
    while runs < limit:
        job_id = (
            Job.objects.filter(status=S.QUEUED)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if job_id is None:
            break
        execute(job_id)
        runs += 1
    return runs


# --- the reaper and the scheduler -------------------------------------------------------


def reap(now: datetime | None = None) -> dict[str, int]:
    """Recovers jobs a dead worker left behind: a running job whose heartbeat is older
    than ``JOBS_STALE_SECONDS`` is queued again while it has attempts left, and fails
    (saying the worker stopped) after; one whose starter asked to cancel ends cancelled.
    A queued job never handed to the backend (no task id a minute on) is enqueued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "cancelled": 0, "enqueued": 0}
    running = Job.objects.filter(status=S.RUNNING, heartbeat_at__lt=stale)
    counts["cancelled"] = running.filter(cancel_requested=True).update(
        status=S.CANCELLED, finished_at=now, stage="Cancelled (its worker stopped)"
    )
    for job in running.filter(cancel_requested=False):
        if job.attempts < job.max_attempts:
            moved = Job.objects.filter(pk=job.pk, status=S.RUNNING, heartbeat_at__lt=stale).update(
                status=S.QUEUED,
                stage="Queued again: the worker running it stopped",
                task_id="",
                enqueued_at=None,
            )
            if moved:
                counts["requeued"] += 1
                _enqueue_on_commit(job.pk)
        else:
            counts["failed"] += Job.objects.filter(
                pk=job.pk, status=S.RUNNING, heartbeat_at__lt=stale
            ).update(
                status=S.FAILED,
                finished_at=now,
                stage="Failed",
                error=f"The worker running it stopped; it was tried {job.attempts} times.",
            )
    lost = Job.objects.filter(
        status=S.QUEUED, task_id="", enqueued_at__isnull=True, created_at__lt=now - timedelta(minutes=1)
    )
    for job_id in lost.values_list("pk", flat=True):
        _enqueue_on_commit(job_id)
        counts["enqueued"] += 1
    return counts


def schedule(now: datetime | None = None) -> list[Job]:
    """Starts each periodic job due at ``now`` unless its period already has a job (of
    any status): once per period, however often the scheduler wakes or however many
    schedulers run (the dedupe key turns a race into a join)."""
    now = now or timezone.now()
    started = []
    for periodic in PERIODIC_JOBS:
        period = periodic.period(now)
        if period is None:
            continue
        key = f"{periodic.key}:{period}"
        if Job.objects.filter(dedupe_key=key).exists():
            continue
        job, created = start_job(periodic.kind, label=f"{periodic.label}, {period}", dedupe_key=key)
        if created:
            started.append(job)
    return started


def tick(now: datetime | None = None) -> tuple[dict[str, int], list[Job]]:
    """One round of the scheduler: reap, then schedule."""
    close_old_connections()
    with transaction.atomic():
        reaped = reap(now)
    return reaped, schedule(now)
