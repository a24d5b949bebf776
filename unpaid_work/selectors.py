"""Scoped reads for Unpaid Work. Projects and sessions follow the user's geography;
orders follow the person (people_visible_to), like every other case record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.http import Http404
from django.utils import timezone

from core.scoping import geography_filter
from organisation.models import Pdu, Staff
from people.constants import Sex
from people.selectors import people_visible_to
from risk.models import Registration
from unpaid_work import rules
from unpaid_work.constants import CHILD_SAFEGUARDING_REGISTRATIONS, SUPERVISOR_GRADES, AdjustmentReason
from unpaid_work.models import (
    Booking,
    Nomination,
    PlannedBooking,
    PlanRun,
    Project,
    UnpaidWorkOrder,
    WorkSession,
)
from unpaid_work.travel import TravelEstimate, travel_model

PROJECT_SCOPE = {"region_path": "pdu__region_id", "pdu_path": "pdu_id", "team_path": "pdu__teams__id"}
SESSION_SCOPE = {
    "region_path": "project__pdu__region_id",
    "pdu_path": "project__pdu_id",
    "team_path": "project__pdu__teams__id",
}


def net_adjustment(prefix: str = "") -> Sum:
    """The sum of adjustments as they change the time left (``rules.adjustment_effect``):
    travel credited takes time away as work does, other adjustments add it. ``prefix``
    reaches the adjustments from another model ("adjustments__")."""
    minutes = F(f"{prefix}minutes")
    return Sum(
        Case(
            When(**{f"{prefix}reason": AdjustmentReason.TRAVEL_TIME}, then=-minutes),
            default=minutes,
            output_field=IntegerField(),
        )
    )


def pdus_for(user: Any) -> QuerySet[Pdu]:
    """The PDUs a user may plan and oversee: their geography."""
    return (
        Pdu.objects.active()
        .filter(geography_filter(user, region_path="region_id", pdu_path="pk", team_path="teams__id"))
        .distinct()
        .order_by("name")
    )


def projects_for(user: Any) -> QuerySet[Project]:
    return Project.objects.filter(geography_filter(user, **PROJECT_SCOPE)).distinct().select_related("pdu")


def sessions_for(user: Any) -> QuerySet[WorkSession]:
    return (
        WorkSession.objects.filter(geography_filter(user, **SESSION_SCOPE))
        .distinct()
        .select_related("project")
    )


def nominations_for(user: Any) -> QuerySet[Nomination]:
    """Nominations not yet placed in a PDU are visible to every coordinator to triage."""
    scoped = Q(pdu__isnull=True) | geography_filter(user, **PROJECT_SCOPE)
    return Nomination.objects.filter(scoped).distinct()


def orders_for(user: Any) -> QuerySet[UnpaidWorkOrder]:
    return UnpaidWorkOrder.objects.filter(person__in=people_visible_to(user)).select_related("person")


def get_order_for(user: Any, order_id: int) -> UnpaidWorkOrder:
    order = orders_for(user).select_related("requirement__sentence__event").filter(pk=order_id).first()
    if order is None:
        raise Http404
    return order


def get_order_for_requirement(user: Any, requirement_id: int) -> UnpaidWorkOrder:
    """The order opened for an Unpaid Work requirement the user may see; Http404 otherwise.
    The sentence pages link here by requirement, since ``sentences`` sits below this app."""
    order = orders_for(user).filter(requirement_id=requirement_id).first()
    if order is None:
        raise Http404
    return order


def get_session_for(user: Any, session_id: int) -> WorkSession:
    session = sessions_for(user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def get_booking_for(user: Any, booking_id: int) -> Booking:
    """A booking on a session in the user's geography, for a person the user may see;
    Http404 otherwise."""
    booking = Booking.objects.filter(
        pk=booking_id, session__in=sessions_for(user), order__person__in=people_visible_to(user)
    ).first()
    if booking is None:
        raise Http404
    return booking


@dataclass(frozen=True)
class OrderSummary:
    order: UnpaidWorkOrder
    credited: int
    adjusted: int  # net: other adjustments add, travel credited takes away
    travel: int  # travel credited under supervision
    remaining: int
    ete_allowance: int
    ete_used: int
    booked_upcoming: int
    deadlines: rules.Deadlines
    forecast: rules.Forecast


def summarise(order: UnpaidWorkOrder, today: date) -> OrderSummary:
    totals = order.bookings.filter(cancelled_at__isnull=True).aggregate(
        credited=Sum("credited_minutes"),
        ete=Sum("credited_minutes", filter=Q(is_ete=True)),
        upcoming=Count("pk", filter=Q(session__date__gte=today, outcome="")),
    )
    adjustments = order.adjustments.aggregate(
        total=net_adjustment(), travel=Sum("minutes", filter=Q(reason=AdjustmentReason.TRAVEL_TIME))
    )
    adjusted = adjustments["total"] or 0
    credited = totals["credited"] or 0
    remaining = rules.remaining_minutes(
        required=order.required_minutes, adjustments=adjusted, credited=credited
    )
    due = rules.deadlines(order.sentenced_on)
    upcoming_minutes = _upcoming_minutes(order, today)
    weeks_ahead = 4
    return OrderSummary(
        order=order,
        credited=credited,
        adjusted=adjusted,
        travel=adjustments["travel"] or 0,
        remaining=remaining,
        ete_allowance=rules.ete_allowance_minutes(order.required_minutes, today),
        ete_used=totals["ete"] or 0,
        booked_upcoming=totals["upcoming"] or 0,
        deadlines=due,
        forecast=rules.forecast(
            remaining=remaining,
            booked_minutes_per_week=upcoming_minutes / weeks_ahead,
            today=today,
            complete_by=due.complete_by,
        ),
    )


def _upcoming_minutes(order: UnpaidWorkOrder, today: date) -> int:
    """Minutes booked in the next four weeks: the person's current rate of work."""

    horizon = today + timedelta(weeks=4)
    total = 0
    for booking in Booking.objects.filter(
        order=order, cancelled_at__isnull=True, outcome="", session__date__range=(today, horizon)
    ).select_related("session"):
        total += rules.minutes_between(booking.session.starts_at, booking.session.ends_at)
    return total


def plans_for(user: Any) -> QuerySet[PlanRun]:
    return PlanRun.objects.filter(geography_filter(user, **PROJECT_SCOPE)).distinct()


@dataclass(frozen=True)
class DayLoad:
    day: date
    people: int
    places: int


@dataclass(frozen=True)
class PlanReview:
    """A plan as one user may see it: proposals and unbooked people on cases they cannot
    open are counted, never named, and their proposals are kept as they are."""

    proposals: list[PlannedBooking]
    hidden_included: set[int]
    hidden: int
    unbooked: list[tuple[UnpaidWorkOrder, str]]
    unbooked_hidden: int
    refused: list[tuple[UnpaidWorkOrder, WorkSession, str]]
    minutes_proposed: int
    people_proposed: int
    days: list[DayLoad]


def review_plan(user: Any, run: PlanRun) -> PlanReview:
    visible = set(people_visible_to(user).filter(pdu=run.pdu_id).values_list("pk", flat=True))
    everything = list(run.proposals.select_related("order__person", "session__project", "booking"))
    shown = [p for p in everything if p.order.person_id in visible]
    hidden_included = {p.pk for p in everything if p.order.person_id not in visible and p.included}
    unbooked_ids = [order_id for order_id, _ in run.unbooked]
    orders = {o.pk: o for o in UnpaidWorkOrder.objects.filter(pk__in=unbooked_ids).select_related("person")}
    unbooked = [
        (orders[order_id], reason)
        for order_id, reason in run.unbooked
        if order_id in orders and orders[order_id].person_id in visible
    ]
    refused_orders = {
        o.pk: o
        for o in UnpaidWorkOrder.objects.filter(
            pk__in=[r[0] for r in run.not_booked_on_confirm]
        ).select_related("person")
    }
    refused_sessions = WorkSession.objects.select_related("project").in_bulk(
        [r[1] for r in run.not_booked_on_confirm]
    )
    refused = [
        (refused_orders[o], refused_sessions[s], why)
        for o, s, why in run.not_booked_on_confirm
        if o in refused_orders and s in refused_sessions and refused_orders[o].person_id in visible
    ]
    included = [p for p in everything if p.included]
    return PlanReview(
        proposals=shown,
        hidden_included=hidden_included,
        hidden=len(everything) - len(shown),
        unbooked=unbooked,
        unbooked_hidden=len(run.unbooked) - len(unbooked),
        refused=refused,
        minutes_proposed=sum(rules.minutes_between(p.session.starts_at, p.session.ends_at) for p in included),
        people_proposed=len({p.order_id for p in included}),
        days=_day_loads(run, included),
    )


def _day_loads(run: PlanRun, included: list[PlannedBooking]) -> list[DayLoad]:
    """People proposed per day against the places the day's sessions have, for the chart."""
    per_day: dict[date, int] = {}
    for proposal in included:
        per_day[proposal.session.date] = per_day.get(proposal.session.date, 0) + 1
    places = (
        WorkSession.objects.filter(
            project__pdu=run.pdu_id, date__range=(run.starts_on, run.ends_on), stood_down_at__isnull=True
        )
        .values("date")
        .annotate(total=Sum("project__capacity"))
    )
    capacity = {row["date"]: row["total"] for row in places}
    days = sorted(set(per_day) | set(capacity))
    return [DayLoad(day, per_day.get(day, 0), capacity.get(day, 0)) for day in days]


# --- Crediting and placement reads (moved from services: they write nothing) -------------


def minutes_credited(order: UnpaidWorkOrder) -> int:
    return order.bookings.aggregate(total=Sum("credited_minutes"))["total"] or 0


def minutes_adjusted(order: UnpaidWorkOrder) -> int:
    """Net adjustments: time added, less travel credited (ADR 0014)."""
    return order.adjustments.aggregate(total=net_adjustment())["total"] or 0


def remaining(order: UnpaidWorkOrder) -> int:
    return rules.remaining_minutes(
        required=order.required_minutes, adjustments=minutes_adjusted(order), credited=minutes_credited(order)
    )


def booking_problems(
    session: WorkSession,
    order: UnpaidWorkOrder,
    *,
    is_ete: bool = False,
    women_joining: int = 0,
    ahead: bool = False,
) -> list[str]:
    """Every hard rule a booking must meet; empty means it may be made. The rules
    themselves are pure (``rules.placement_problems``), shared with the planner.
    ``women_joining`` counts other women booked on the session in the same confirmed
    plan; ``ahead`` (confirming a plan) refuses a session that has already started."""
    facts = session_facts(session, exclude_order=order)
    if women_joining:
        facts = replace(facts, women_booked=facts.women_booked + women_joining)
    return rules.placement_problems(
        facts, candidate_facts(order, session), is_ete=is_ete, now=local_now() if ahead else None
    )


def local_now() -> datetime:
    """Local wall-clock time without a zone, as the pure rules compare it with session starts."""
    return timezone.localtime().replace(tzinfo=None)


def session_facts(
    session: WorkSession, *, exclude_order: UnpaidWorkOrder | None = None
) -> rules.SessionFacts:
    live = session.bookings.filter(cancelled_at__isnull=True)
    if exclude_order is not None:
        live = live.exclude(order=exclude_order)
    project = session.project
    booked = live.count()
    limit = rules.session_limit(project.capacity, session.supervisors.count(), project.people_per_supervisor)
    return rules.SessionFacts(
        day=session.date,
        starts_at=datetime.combine(session.date, session.starts_at),
        stood_down=session.stood_down_at is not None,
        places_left=limit - booked,
        women_only=project.women_only,
        involves_children=project.involves_children,
        accessible=project.accessible,
        others_booked=booked,
        women_booked=live.filter(order__person__sex=Sex.FEMALE).count(),
    )


def candidate_facts(order: UnpaidWorkOrder, session: WorkSession) -> rules.CandidateFacts:
    journey = journey_for(order, session)
    return rules.CandidateFacts(
        available_weekdays=tuple(order.available_weekdays or ()),
        female=order.person.sex == Sex.FEMALE,
        child_safeguarding=has_child_safeguarding_registration(order.person_id),
        needs_accessible=order.needs_accessible_placement,
        no_all_male_group=order.no_all_male_group,
        remaining=remaining(order),
        ete_used=_ete_used(order, session),
        ete_allowance=rules.ete_allowance_minutes(order.required_minutes, session.date),
        journey_minutes=journey.minutes if journey else None,
        journey_limit=journey.limit if journey else rules.max_travel_minutes(session.date),
        booked_that_day=order.bookings.filter(cancelled_at__isnull=True, session__date=session.date)
        .exclude(session=session)
        .exists(),
    )


def has_child_safeguarding_registration(person_id: int) -> bool:
    return Registration.objects.filter(
        person_id=person_id, type__in=CHILD_SAFEGUARDING_REGISTRATIONS, ends_on__isnull=True
    ).exists()


def journey_for(order: UnpaidWorkOrder, session: WorkSession) -> TravelEstimate | None:
    """Estimated one-way journey from home to the project, if both places are known."""
    if not order.home_postcode:
        return None
    return travel_model().estimate(
        order.home_postcode, session.project.postcode, order.travel_mode, session.date
    )


def _ete_used(order: UnpaidWorkOrder, session: WorkSession) -> int:
    """ETE allowance used by other bookings: time credited, and the length of ETE sessions
    booked from today without an outcome yet, counted as the planner counts them."""
    booked = order.bookings.filter(is_ete=True, cancelled_at__isnull=True).exclude(session=session)
    credited = booked.aggregate(total=Sum("credited_minutes"))["total"] or 0
    ahead = booked.filter(outcome="", session__date__gte=timezone.localdate()).select_related("session")
    return credited + sum(rules.minutes_between(b.session.starts_at, b.session.ends_at) for b in ahead)


def supervisors_for(pdu_id: int) -> Any:
    """Staff who may supervise a session: Unpaid Work supervisors and placement
    coordinators of the PDU who have not left."""
    return Staff.objects.filter(pdu_id=pdu_id, grade__in=SUPERVISOR_GRADES, left_at__isnull=True)
