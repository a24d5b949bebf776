"""Scoped reads for Unpaid Work. Projects and sessions follow the user's geography;
orders follow the person (people_visible_to), like every other case record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from accounts.scoping import geography_filter
from people.selectors import people_visible_to
from unpaid_work import rules
from unpaid_work.models import Booking, Nomination, Project, UnpaidWorkOrder, WorkSession

PROJECT_SCOPE = {"region_path": "pdu__region_id", "pdu_path": "pdu_id", "team_path": "pdu__teams__id"}
SESSION_SCOPE = {
    "region_path": "project__pdu__region_id",
    "pdu_path": "project__pdu_id",
    "team_path": "project__pdu__teams__id",
}


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


def get_session_for(user: Any, session_id: int) -> WorkSession:
    session = sessions_for(user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


@dataclass(frozen=True)
class OrderSummary:
    order: UnpaidWorkOrder
    credited: int
    adjusted: int
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
    adjusted = order.adjustments.aggregate(total=Sum("minutes"))["total"] or 0
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
    from datetime import timedelta

    horizon = today + timedelta(weeks=4)
    total = 0
    for booking in Booking.objects.filter(
        order=order, cancelled_at__isnull=True, outcome="", session__date__range=(today, horizon)
    ).select_related("session"):
        total += rules.minutes_between(booking.session.starts_at, booking.session.ends_at)
    return total
