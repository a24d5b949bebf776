"""The planner's database side: turns a PDU's orders and sessions over a horizon into
the plain data the solver takes (``unpaid_work.planner``), with every hard rule applied
through the same ``rules.placement_problems`` the booking service uses.

Reads everything in a handful of queries, then checks each person-session pair in
memory, so a PDU of a thousand people and a fortnight of sessions builds in seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from organisation.models import Pdu
from people.constants import Sex
from risk.models import Registration
from unpaid_work import planner, rules
from unpaid_work.constants import ATTENDED_OUTCOMES, CHILD_SAFEGUARDING_REGISTRATIONS, ProjectType
from unpaid_work.lifecycle import ORDER
from unpaid_work.models import Booking, UnpaidWorkOrder, WorkSession
from unpaid_work.selectors import net_adjustment
from unpaid_work.travel import travel_model

# Two seven-hour days a week: the pace above which an order needs priority to finish in time.
STEADY_PACE_MINUTES_PER_WEEK = 2 * 7 * 60
URGENT, NEAR, NORMAL = 2, 1, 0


@dataclass
class Problem:
    """Everything the solver needs, plus what the explanations and the review page need."""

    people: list[planner.Person]
    sessions: list[planner.Session]
    options: list[planner.Option]
    refusals: dict[int, str] = field(default_factory=dict)
    near_limit: set[tuple[int, int]] = field(default_factory=set)
    already_fully_booked: int = 0


@dataclass(frozen=True)
class _SessionRow:
    session: planner.Session
    facts: rules.SessionFacts
    postcode: str


@dataclass(frozen=True)
class _OrderState:
    order: UnpaidWorkOrder
    remaining: int
    booked_ahead: int
    ete_used: int
    started: bool
    busy_days: frozenset[date]
    current_project: int | None


def priority(*, started: bool, remaining: int, sentenced_on: date, start: date, end: date) -> tuple[int, str]:
    """How urgent an order is for this horizon, and why in plain words.

    Past the 15-business-day start, or with the 12 months ending inside the horizon, is
    urgent; a start due inside the horizon, or hours that need more than two days a week
    to finish in time, is near a deadline.
    """
    due = rules.deadlines(sentenced_on)
    if not started and due.first_session_due < start:
        return URGENT, f"first session was due by {due.first_session_due:%-d %B %Y}"
    if due.complete_by <= end:
        return URGENT, f"the 12 months end on {due.complete_by:%-d %B %Y}"
    if not started and due.first_session_due <= end:
        return NEAR, f"first session is due by {due.first_session_due:%-d %B %Y}"
    weeks_left = max(1.0, (due.complete_by - start).days / 7)
    if remaining / weeks_left > STEADY_PACE_MINUTES_PER_WEEK:
        return NEAR, f"{remaining // 60} hours left before {due.complete_by:%-d %B %Y}"
    return NORMAL, ""


def build_problem(pdu: Pdu, start: date, end: date) -> Problem:
    sessions = _sessions(pdu, start, end)
    states = _order_states(pdu, start)
    child_registered = set(
        Registration.objects.filter(
            person__pdu=pdu, type__in=CHILD_SAFEGUARDING_REGISTRATIONS, ends_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    problem = Problem(people=[], sessions=[row.session for row in sessions], options=[])
    for state in states:
        order = state.order
        to_plan = state.remaining - state.booked_ahead
        if to_plan <= 0:
            problem.already_fully_booked += 1
            continue
        if not order.assessed_on or not order.home_postcode:
            problem.refusals[order.pk] = (
                "not assessed yet: record their postcode, travel and availability first"
            )
            continue
        level, why = priority(
            started=state.started,
            remaining=state.remaining,
            sentenced_on=order.sentenced_on,
            start=start,
            end=end,
        )
        ete_allowance = rules.ete_allowance_minutes(order.required_minutes, start)
        problem.people.append(
            planner.Person(
                id=order.pk,
                remaining_minutes=to_plan,
                urgency=level,
                ete_left_minutes=max(0, ete_allowance - state.ete_used),
                current_project=state.current_project,
                female=order.person.sex == Sex.FEMALE,
                no_all_male_group=order.no_all_male_group,
                priority_reason=why,
            )
        )
        before = len(problem.options)
        reasons = _add_options(problem, state, sessions, order.person_id in child_registered, ete_allowance)
        if len(problem.options) == before:
            problem.refusals[order.pk] = (
                _summarise(reasons) if reasons else "there are no sessions in the horizon"
            )
    return problem


def _add_options(
    problem: Problem,
    state: _OrderState,
    sessions: list[_SessionRow],
    child_safeguarding: bool,
    ete_allowance: int,
) -> Counter[str]:
    """Adds every session the person may do; returns why the others were refused."""
    order, refused = state.order, Counter[str]()
    model = travel_model()
    now = timezone.localtime().replace(tzinfo=None)
    for row in sessions:
        session = row.session
        journey = model.estimate(order.home_postcode, row.postcode, order.travel_mode, session.day)
        candidate = rules.CandidateFacts(
            available_weekdays=tuple(order.available_weekdays or ()),
            female=order.person.sex == Sex.FEMALE,
            child_safeguarding=child_safeguarding,
            needs_accessible=order.needs_accessible_placement,
            # The all-male-group choice is a constraint inside the solver, not a filter here.
            no_all_male_group=False,
            remaining=state.remaining,
            ete_used=state.ete_used,
            ete_allowance=ete_allowance,
            journey_minutes=journey.minutes if journey else None,
            journey_limit=journey.limit if journey else rules.max_travel_minutes(session.day),
            booked_that_day=session.day in state.busy_days,
        )
        # The same rules as booking and confirming, so nothing proposed is refused on confirm.
        found = rules.placement_problems(row.facts, candidate, is_ete=session.is_ete, now=now)
        if found or journey is None:
            refused[_short(found[0])] += 1
            continue
        problem.options.append(planner.Option(order.pk, session.id, journey.minutes))
        if journey.near_limit:
            problem.near_limit.add((order.pk, session.id))
    return refused


def _short(message: str) -> str:
    """Groups journey messages whatever the minutes ("over the 90-minute limit")."""
    return "every project is over the travel limit" if message.startswith("the journey is about") else message


def _summarise(reasons: Counter[str]) -> str:
    total = sum(reasons.values())
    parts = [f"{reason} ({count} of {total} sessions)" for reason, count in reasons.most_common(3)]
    return "no session in the horizon passes every rule: " + "; ".join(parts)


def _sessions(pdu: Pdu, start: date, end: date) -> list[_SessionRow]:
    live = Q(bookings__cancelled_at__isnull=True)
    rows = (
        WorkSession.objects.filter(project__pdu=pdu, date__range=(start, end), stood_down_at__isnull=True)
        .select_related("project")
        .annotate(
            booked=Count("bookings", filter=live, distinct=True),
            women=Count("bookings", filter=live & Q(bookings__order__person__sex=Sex.FEMALE), distinct=True),
            supervisor_count=Count("supervisors", distinct=True),
        )
        .order_by("date", "project__name")
    )
    found = []
    for row in rows:
        project = row.project
        limit = rules.session_limit(project.capacity, row.supervisor_count, project.people_per_supervisor)
        minutes = rules.minutes_between(row.starts_at, row.ends_at)
        facts = rules.SessionFacts(
            day=row.date,
            starts_at=datetime.combine(row.date, row.starts_at),
            stood_down=False,
            places_left=limit - row.booked,
            women_only=project.women_only,
            involves_children=project.involves_children,
            accessible=project.accessible,
            others_booked=row.booked,
            women_booked=row.women,
        )
        session = planner.Session(
            id=row.pk,
            project=project.pk,
            day=row.date,
            minutes=minutes,
            places=max(0, limit - row.booked),
            is_ete=project.type == ProjectType.ETE,
            women_only=project.women_only,
            women_booked=row.women,
        )
        found.append(_SessionRow(session, facts, project.postcode))
    return found


def _order_states(pdu: Pdu, start: date) -> list[_OrderState]:
    orders = list(
        UnpaidWorkOrder.objects.filter(person__pdu=pdu, status__in=ORDER["book"].sources)
        .select_related("person")
        .annotate(
            credited=Sum("bookings__credited_minutes", filter=Q(bookings__cancelled_at__isnull=True)),
            ete=Sum(
                "bookings__credited_minutes",
                filter=Q(bookings__cancelled_at__isnull=True, bookings__is_ete=True),
            ),
        )
        .order_by("sentenced_on", "pk")
    )
    adjusted = dict(
        UnpaidWorkOrder.objects.filter(pk__in=[o.pk for o in orders])
        .annotate(total=net_adjustment("adjustments__"))
        .values_list("pk", "total")
    )
    ahead: dict[int, int] = defaultdict(int)
    ete_ahead: dict[int, int] = defaultdict(int)
    busy: dict[int, set[date]] = defaultdict(set)
    today = timezone.localdate()
    started: set[int] = set()
    current: dict[int, int] = {}
    bookings = (
        Booking.objects.filter(order__in=[o.pk for o in orders], cancelled_at__isnull=True)
        .select_related("session")
        .order_by("session__date")
    )
    for booking in bookings.only(
        "order_id",
        "outcome",
        "is_ete",
        "session__date",
        "session__starts_at",
        "session__ends_at",
        "session__project_id",
    ):
        session = booking.session
        if booking.outcome in ATTENDED_OUTCOMES:
            started.add(booking.order_id)
        # Everything booked from today without an outcome yet will use hours (and ETE
        # allowance), even if it falls before the horizon starts.
        if session.date >= today and not booking.outcome:
            minutes = rules.minutes_between(session.starts_at, session.ends_at)
            ahead[booking.order_id] += minutes
            ete_ahead[booking.order_id] += minutes if booking.is_ete else 0
        if session.date >= today:  # a day with any live booking is taken, as booking checks
            busy[booking.order_id].add(session.date)
        current[booking.order_id] = session.project_id
    return [
        _OrderState(
            order=o,
            remaining=rules.remaining_minutes(
                required=o.required_minutes,
                adjustments=adjusted.get(o.pk) or 0,
                credited=o.credited or 0,
            ),
            booked_ahead=ahead[o.pk],
            ete_used=(o.ete or 0) + ete_ahead[o.pk],
            started=o.pk in started,
            busy_days=frozenset(busy[o.pk]),
            current_project=current.get(o.pk),
        )
        for o in orders
    ]
