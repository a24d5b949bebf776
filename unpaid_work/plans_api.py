"""The placement planner's API: run the planner for a PDU and dates, review and edit the
proposal, then confirm (book it all) or discard it. Mounted on the Unpaid Work router."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from audit import services as audit
from core.api import api_requires, api_user
from core.job_schemas import JobOut, job_out
from core.roles import Capability
from unpaid_work import selectors, services
from unpaid_work.lifecycle import PLAN_RUN
from unpaid_work.models import PlanRun

router = Router(tags=["Unpaid Work"])


class PlanIn(Schema):
    pdu_id: int
    start: date
    end: date


class ProposalOut(Schema):
    id: int
    session_id: int
    session_date: date
    project: str
    order_id: int
    crn: str
    travel_minutes: int | None
    near_travel_limit: bool
    is_ete: bool
    reason: str
    included: bool
    booking_id: int | None


class UnbookedOut(Schema):
    order_id: int
    crn: str
    reason: str


class PlanOut(Schema):
    id: int
    pdu_id: int
    starts_on: date
    ends_on: date
    status: str
    solver_status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    greedy_minutes: int
    minutes_proposed: int
    version: int
    proposals: list[ProposalOut]
    hidden_proposals: int = Field(description="Proposals on restricted cases, counted but not shown")
    unbooked: list[UnbookedOut]
    not_booked_on_confirm: list[UnbookedOut]
    next_steps: list[str] = Field(
        description="The steps you may take on it now, by name (the plan lifecycle's transitions)"
    )


class PlanEditIn(Schema):
    included: list[int] = Field(description="Proposal ids to keep; the others are left out")
    version: int


class PlanDecisionIn(Schema):
    version: int


def _plan_out(user: Any, run: PlanRun) -> PlanOut:
    review = selectors.review_plan(user, run)
    return PlanOut(
        id=run.pk,
        pdu_id=run.pdu_id,
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        status=run.status,
        solver_status=run.solver_status,
        objective=run.objective,
        bound=run.bound,
        gap=run.gap,
        seconds=run.seconds,
        greedy_minutes=run.greedy_minutes,
        minutes_proposed=review.minutes_proposed,
        version=run.version,
        proposals=[
            ProposalOut(
                id=p.pk,
                session_id=p.session_id,
                session_date=p.session.date,
                project=p.session.project.name,
                order_id=p.order_id,
                crn=p.order.person.crn,
                travel_minutes=p.travel_minutes,
                near_travel_limit=p.near_travel_limit,
                is_ete=p.is_ete,
                reason=p.reason,
                included=p.included,
                booking_id=p.booking_id,
            )
            for p in review.proposals
        ],
        hidden_proposals=review.hidden,
        unbooked=[UnbookedOut(order_id=o.pk, crn=o.person.crn, reason=why) for o, why in review.unbooked],
        not_booked_on_confirm=[
            UnbookedOut(order_id=o.pk, crn=o.person.crn, reason=f"{session}: {why}")
            for o, session, why in review.refused
        ],
        next_steps=[t.name for t in PLAN_RUN.allowed(run, user)],
    )


@router.post(
    "/plans",
    response={202: JobOut},
    summary="Queue the placement planner for a PDU and dates (nothing is booked until confirmed)",
    description=(
        "Answers 202 at once with the planner's job: follow its `url` until its status is "
        "SUCCEEDED, then its `result_url` is the plan. Asking again for the same PDU and dates "
        "while a run is queued or running answers with that run's job."
    ),
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, JobOut]:
    user = api_user(request)
    pdu = get_object_or_404(selectors.pdus_for(user), pk=payload.pdu_id)
    job, _created = services.request_plan(
        acting_user=user, pdu_id=pdu.pk, start=payload.start, end=payload.end
    )
    return 202, job_out(job, user)


@router.get(
    "/plans/{plan_id}", response=PlanOut, summary="A plan: proposals, explanations and solver figures"
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def get_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    user = api_user(request)
    run = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    found = _plan_out(user, run)
    named = [p.crn for p in found.proposals] + [u.crn for u in found.unbooked]
    audit.record_read("placement plan", actor=user, obj=run, people=named)
    return found


@router.put("/plans/{plan_id}/included", response=PlanOut, summary="Choose which proposals to keep")
@api_requires(Capability.MANAGE_UNPAID_WORK)
def edit_plan(request: HttpRequest, plan_id: int, payload: PlanEditIn) -> PlanOut:
    user = api_user(request)
    run = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    keep = set(payload.included) | selectors.review_plan(user, run).hidden_included
    return _plan_out(
        user,
        services.set_proposals_included(
            acting_user=user, run_id=run.pk, included=keep, expected_version=payload.version
        ),
    )


@router.post("/plans/{plan_id}/confirm", response=PlanOut, summary="Book every kept proposal")
@api_requires(Capability.MANAGE_UNPAID_WORK)
def confirm_plan(request: HttpRequest, plan_id: int, payload: PlanDecisionIn) -> PlanOut:
    user = api_user(request)
    run = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    return _plan_out(
        user, services.confirm_plan(acting_user=user, run_id=run.pk, expected_version=payload.version)
    )


@router.post("/plans/{plan_id}/discard", response=PlanOut, summary="Discard a plan without booking")
@api_requires(Capability.MANAGE_UNPAID_WORK)
def discard_plan(request: HttpRequest, plan_id: int, payload: PlanDecisionIn) -> PlanOut:
    user = api_user(request)
    run = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    return _plan_out(
        user, services.discard_plan(acting_user=user, run_id=run.pk, expected_version=payload.version)
    )
