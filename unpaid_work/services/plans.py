"""Unpaid Work planner runs: create a proposal, edit which bookings it includes,
confirm it (booking every included proposal at once) or discard it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core import jobs
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from core.models import Job
from organisation.models import Pdu
from people.constants import Sex
from unpaid_work import planner, planning
from unpaid_work.constants import PlanStatus
from unpaid_work.lifecycle import PLAN_RUN
from unpaid_work.models import PlannedBooking, PlanRun, WorkSession
from unpaid_work.services._shared import _audit
from unpaid_work.services.bookings import book

PLAN_JOB = "unpaid_work.plan"


def _check_horizon(start: date, end: date) -> None:
    today = timezone.localdate()
    if start < today:
        raise ValidationError({"start": "The plan must start today or later"})
    if end < start:
        raise ValidationError({"end": "The end date must be on or after the start date"})
    if (end - start).days + 1 > settings.UPW_PLANNER_MAX_DAYS:
        raise ValidationError({"end": f"Plan at most {settings.UPW_PLANNER_MAX_DAYS} days at a time"})


@transaction.atomic
def request_plan(*, acting_user: Any, pdu_id: int, start: date, end: date) -> tuple[Job, bool]:
    """Queues a planner run for a PDU and horizon and returns its job at once; a second
    request for the same PDU and dates while one is queued or running joins that one
    (the job's dedupe key), so a double submission starts one run. The caller has
    resolved ``pdu_id`` through the user's scope. Returns the job and whether it is new."""
    _check_horizon(start, end)
    pdu = Pdu.objects.get(pk=pdu_id)
    label = f"Placement plan for {pdu.name}, {start:%-d %b} to {end:%-d %b %Y}"
    job, created = jobs.start_job(
        PLAN_JOB,
        label=label,
        started_by=acting_user,
        params={"pdu_id": pdu.pk, "start": start.isoformat(), "end": end.isoformat()},
        dedupe_key=f"{PLAN_JOB}:{pdu.pk}:{start.isoformat()}:{end.isoformat()}",
    )
    if created:
        _audit(AuditAction.CREATE, acting_user, job, label, {"job": [None, "queued"]})
    return job, created


def create_plan(
    *,
    acting_user: Any,
    pdu_id: int,
    start: date,
    end: date,
    progress: Callable[[str, int], None] | None = None,
) -> PlanRun:
    """Runs the planner for a PDU and a horizon and keeps its proposal for review.
    The solver runs outside any transaction; the proposal is written in one.
    ``progress(stage, percent)`` is called before each stage (gathering, solving,
    saving): the planner job reports there and stops there if it was cancelled."""
    _check_horizon(start, end)
    step = progress or (lambda stage, percent: None)
    pdu = Pdu.objects.get(pk=pdu_id)
    step("Gathering orders and sessions", 5)
    problem = planning.build_problem(pdu, start, end)
    step(f"Solving: {len(problem.people)} people, {len(problem.sessions)} sessions", 25)
    result = planner.plan(
        problem.people,
        problem.sessions,
        problem.options,
        refusals=problem.refusals,
        seconds=settings.UPW_PLANNER_SECONDS,
    )
    minutes = {s.id: s.minutes for s in problem.sessions}
    baseline = planner.greedy(problem.people, problem.sessions, problem.options)
    ete_sessions = {s.id for s in problem.sessions if s.is_ete}
    unbooked = dict(result.unbooked)
    for order_id, reason in problem.refusals.items():
        unbooked.setdefault(order_id, reason)
    step("Saving the proposal", 90)
    with transaction.atomic():
        run = PlanRun.objects.create(
            pdu=pdu,
            starts_on=start,
            ends_on=end,
            created_at=timezone.now(),
            created_by=acting_user,
            solver_status=result.status,
            objective=result.objective,
            bound=result.bound,
            gap=result.gap,
            seconds=result.seconds,
            people_considered=len(problem.people) + len(problem.refusals),
            sessions_considered=len(problem.sessions),
            greedy_minutes=sum(minutes[o.session] for o in baseline),
            unbooked=[[order_id, reason] for order_id, reason in sorted(unbooked.items())],
        )
        PlannedBooking.objects.bulk_create(
            PlannedBooking(
                run=run,
                session_id=o.session,
                order_id=o.person,
                travel_minutes=o.travel_minutes,
                near_travel_limit=(o.person, o.session) in problem.near_limit,
                is_ete=o.session in ete_sessions,
                reason=result.reasons.get((o.person, o.session), "")[:300],
            )
            for o in result.bookings
        )
        _audit(
            AuditAction.CREATE,
            acting_user,
            run,
            str(run),
            {"proposed": [None, len(result.bookings)], "gap": [None, round(result.gap, 4)]},
        )
    return run


def _proposed_run(run_id: int, expected_version: int, step: str) -> PlanRun:
    """The plan at the version the coordinator saw, locked, once its lifecycle allows ``step``."""
    run = lock_at_version(PlanRun, run_id, expected_version)
    PLAN_RUN.guard(run, step)
    return run


@transaction.atomic
def set_proposals_included(
    *, acting_user: Any, run_id: int, included: set[int], expected_version: int
) -> PlanRun:
    """The coordinator's edit: which proposed bookings to keep (the rest are left out)."""
    run = _proposed_run(run_id, expected_version, "edit")
    proposals = list(run.proposals.all())
    unknown = included - {p.pk for p in proposals}
    if unknown:
        raise ValidationError({"included": "Some of the chosen bookings are not in this plan"})
    changed = 0
    for proposal in proposals:
        keep = proposal.pk in included
        if proposal.included != keep:
            proposal.included = keep
            changed += 1
    PlannedBooking.objects.bulk_update(proposals, ["included"])
    run.bump_version()
    run.save(update_fields=["version"])
    _audit(AuditAction.UPDATE, acting_user, run, str(run), {"proposals_changed": [None, changed]})
    return run


@transaction.atomic
def confirm_plan(*, acting_user: Any, run_id: int, expected_version: int) -> PlanRun:
    """Books every proposal the coordinator kept. Each is checked again against every
    rule, since bookings may have changed since the plan was made; any refused is
    recorded with its reason and the rest are booked.

    Women who chose not to work in an all-male group are booked last, counting the
    other women kept on the same session, as the planner did. If one of those other
    women is then refused, she would be left alone: the whole confirmation is tried
    again without her, so no one is ever booked into the group she declined."""
    run = _proposed_run(run_id, expected_version, "confirm")
    kept = list(
        run.proposals.filter(included=True)
        .select_related("order__person")
        .order_by("order__no_all_male_group", "session__date", "pk")
    )
    left_alone: dict[int, str] = {}
    while True:
        attempt = transaction.savepoint()
        booked, refused = _book_proposals(acting_user, [p for p in kept if p.pk not in left_alone])
        refused += [[p.order_id, p.session_id, left_alone[p.pk]] for p in kept if p.pk in left_alone]
        stranded = [p for p in booked if _left_in_all_male_group(p)]
        if not stranded:
            transaction.savepoint_commit(attempt)
            break
        transaction.savepoint_rollback(attempt)
        for proposal in stranded:
            proposal.booking = None
            left_alone[proposal.pk] = (
                "she has chosen not to work in an all-male group and the other woman in the plan "
                "could not be booked"
            )
    for proposal in booked:
        proposal.save(update_fields=["booking"])
    run.status, run.decided_at, run.decided_by = PlanStatus.CONFIRMED, timezone.now(), acting_user
    run.not_booked_on_confirm = refused
    run.bump_version()
    run.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        run,
        str(run),
        {"status": [PlanStatus.PROPOSED, PlanStatus.CONFIRMED], "refused": [None, len(refused)]},
    )
    return run


def _book_proposals(
    acting_user: Any, proposals: list[PlannedBooking]
) -> tuple[list[PlannedBooking], list[list[Any]]]:
    """Books each proposal in turn through ``book``; returns those booked and the refusals."""
    women_kept: dict[int, int] = {}
    for proposal in proposals:
        if proposal.order.person.sex == Sex.FEMALE:
            women_kept[proposal.session_id] = women_kept.get(proposal.session_id, 0) + 1
    booked: list[PlannedBooking] = []
    refused: list[list[Any]] = []
    for proposal in proposals:
        joining = 0
        if proposal.order.no_all_male_group:
            # Other women in the plan on this session, not yet booked (booked ones already count).
            joining = (
                women_kept.get(proposal.session_id, 0)
                - 1
                - sum(
                    1
                    for b in booked
                    if b.session_id == proposal.session_id and b.order.person.sex == Sex.FEMALE
                )
            )
        try:
            with transaction.atomic():
                proposal.booking = book(
                    acting_user=acting_user,
                    session_id=proposal.session_id,
                    order_id=proposal.order_id,
                    is_ete=proposal.is_ete,
                    travel_minutes=proposal.travel_minutes,
                    women_joining=max(0, joining),
                    ahead=True,
                )
        except ValidationError as error:
            refused.append([proposal.order_id, proposal.session_id, "; ".join(error.messages)])
        except TransitionNotAllowed as error:  # the order ended after the plan was made
            refused.append([proposal.order_id, proposal.session_id, str(error)])
            continue
        booked.append(proposal)
    return booked, refused


def _left_in_all_male_group(proposal: PlannedBooking) -> bool:
    """A woman who chose not to work in an all-male group, booked where no other woman is."""
    if not proposal.order.no_all_male_group:
        return False
    session = WorkSession.objects.select_related("project").get(pk=proposal.session_id)
    if session.project.women_only:
        return False
    others = session.bookings.filter(cancelled_at__isnull=True, order__person__sex=Sex.FEMALE).exclude(
        order_id=proposal.order_id
    )
    return not others.exists()


@transaction.atomic
def discard_plan(*, acting_user: Any, run_id: int, expected_version: int) -> PlanRun:
    run = _proposed_run(run_id, expected_version, "discard")
    run.status, run.decided_at, run.decided_by = PlanStatus.DISCARDED, timezone.now(), acting_user
    run.bump_version()
    run.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        run,
        str(run),
        {"status": [PlanStatus.PROPOSED, PlanStatus.DISCARDED]},
    )
    return run
