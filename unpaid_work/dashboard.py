"""The Unpaid Work dashboard for a PDU: hours, starts, reviews, orders at risk,
stood-down sessions and ETE use, computed with a fixed number of aggregate queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Min, Sum

from organisation.models import Pdu
from unpaid_work import rules
from unpaid_work.models import Adjustment, Booking, UnpaidWorkOrder, WorkSession
from unpaid_work.selectors import net_adjustment

WEEKS_SHOWN = 12
REVIEW_WINDOW = timedelta(weeks=4)
FORECAST_WEEKS = 4


@dataclass(frozen=True)
class OrderLine:
    order: UnpaidWorkOrder
    remaining: int
    reason: str


@dataclass(frozen=True)
class Dashboard:
    pdu: Pdu
    ordered_minutes: int
    worked_minutes: int
    outstanding_minutes: int
    active_orders: int
    started_on_time: int
    started_late: int
    not_started_overdue: int
    reviews_due: list[tuple[UnpaidWorkOrder, date]]
    at_risk: list[OrderLine]
    stood_down: int
    ete_minutes: int
    weekly_minutes: list[tuple[date, int]]

    @property
    def percent_started_on_time(self) -> int | None:
        started = self.started_on_time + self.started_late
        return round(100 * self.started_on_time / started) if started else None


def pdu_dashboard(pdu: Pdu, today: date) -> Dashboard:
    orders = list(UnpaidWorkOrder.objects.filter(person__pdu=pdu).select_related("person"))
    ids = [o.pk for o in orders]
    credited = dict(
        Booking.objects.filter(order__in=ids)
        .values("order")
        .annotate(total=Sum("credited_minutes"))
        .values_list("order", "total")
    )
    adjusted = dict(
        Adjustment.objects.filter(order__in=ids)
        .values("order")
        .annotate(total=net_adjustment())
        .values_list("order", "total")
    )
    first_attended = dict(
        Booking.objects.filter(order__in=ids, credited_minutes__gt=0)
        .values("order")
        .annotate(first=Min("session__date"))
        .values_list("order", "first")
    )
    booked_ahead: dict[int, int] = defaultdict(int)
    horizon = today + timedelta(weeks=FORECAST_WEEKS)
    for order_id, start, end in Booking.objects.filter(
        order__in=ids,
        cancelled_at__isnull=True,
        outcome="",
        session__date__range=(today, horizon),
        session__stood_down_at__isnull=True,
    ).values_list("order", "session__starts_at", "session__ends_at"):
        booked_ahead[order_id] += rules.minutes_between(start, end)

    on_time = late = overdue = 0
    reviews: list[tuple[UnpaidWorkOrder, date]] = []
    at_risk: list[OrderLine] = []
    active = 0
    outstanding = 0
    for order in orders:
        remaining = rules.remaining_minutes(
            required=order.required_minutes,
            adjustments=adjusted.get(order.pk) or 0,
            credited=credited.get(order.pk) or 0,
        )
        outstanding += remaining
        due = rules.deadlines(order.sentenced_on)
        first = first_attended.get(order.pk)
        if first is not None:
            on_time, late = (on_time + 1, late) if first <= due.first_session_due else (on_time, late + 1)
        elif due.first_session_due < today and remaining:
            overdue += 1
        if not remaining:
            continue
        active += 1
        reviews += [(order, r) for r in due.reviews if today <= r <= today + REVIEW_WINDOW]
        outlook = rules.forecast(
            remaining=remaining,
            booked_minutes_per_week=booked_ahead[order.pk] / FORECAST_WEEKS,
            today=today,
            complete_by=due.complete_by,
        )
        if outlook.at_risk:
            at_risk.append(OrderLine(order, remaining, outlook.reason))

    since = today - timedelta(weeks=WEEKS_SHOWN)
    week_start = since - timedelta(days=since.weekday())
    weekly: dict[date, int] = {week_start + timedelta(weeks=n): 0 for n in range(WEEKS_SHOWN + 1)}
    for day, minutes in Booking.objects.filter(
        order__in=ids, session__date__range=(week_start, today)
    ).values_list("session__date", "credited_minutes"):
        weekly[day - timedelta(days=day.weekday())] += minutes
    sessions = WorkSession.objects.filter(project__pdu=pdu, date__range=(since, today))
    ete = (
        Booking.objects.filter(order__in=ids, is_ete=True).aggregate(total=Sum("credited_minutes"))["total"]
        or 0
    )
    return Dashboard(
        pdu=pdu,
        ordered_minutes=sum(o.required_minutes for o in orders),
        worked_minutes=sum(v or 0 for v in credited.values()),
        outstanding_minutes=outstanding,
        active_orders=active,
        started_on_time=on_time,
        started_late=late,
        not_started_overdue=overdue,
        reviews_due=sorted(reviews, key=lambda item: item[1]),
        at_risk=sorted(at_risk, key=lambda line: -line.remaining),
        stood_down=sessions.filter(stood_down_at__isnull=False).count(),
        ete_minutes=ete,
        weekly_minutes=sorted(weekly.items()),
    )


@dataclass(frozen=True)
class WeekBar:
    x: int
    y: int
    height: int
    label: str
    title: str


def weekly_bars(
    weekly: list[tuple[date, int]], height: int = 140, baseline: int = 150, step: int = 52
) -> list[WeekBar]:
    tallest = max((m for _, m in weekly), default=0) or 1
    bars = []
    for index, (week, minutes) in enumerate(weekly):
        bar = round(height * minutes / tallest)
        bars.append(
            WeekBar(
                index * step,
                baseline - bar,
                bar,
                f"{week:%d %b}",
                f"Week of {week:%-d %B}: {minutes // 60} hours worked",
            )
        )
    return bars


@dataclass(frozen=True)
class DayBar:
    x: int
    y: int
    height: int
    places_y: int
    places_height: int
    label: str
    title: str


def day_bars(days: list[Any], height: int = 140, baseline: int = 150, step: int = 44) -> list[DayBar]:
    """A plan's chart: people proposed each day (filled) inside the day's places (outline)."""
    tallest = max((max(d.people, d.places) for d in days), default=0) or 1
    bars = []
    for index, day in enumerate(days):
        filled, outline = round(height * day.people / tallest), round(height * day.places / tallest)
        bars.append(
            DayBar(
                index * step,
                baseline - filled,
                filled,
                baseline - outline,
                outline,
                f"{day.day:%a %-d}",
                f"{day.day:%A %-d %B}: {day.people} of {day.places} places proposed",
            )
        )
    return bars
