"""Breach timeliness: presented to court within 10 business days of becoming aware
(NPS SL014). Aggregates only, over the user's geography."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet

from core.scoping import geography_filter
from supervision.constants import BreachStatus
from supervision.models import Breach
from supervision.rules import breach_due_date

PERIOD_MONTHS = 12


@dataclass(frozen=True)
class MonthFigures:
    month: date
    timely: int
    late: int
    overdue: int  # not yet presented and already past the deadline

    @property
    def presented(self) -> int:
        return self.timely + self.late

    @property
    def percent_timely(self) -> int | None:
        return round(100 * self.timely / self.presented) if self.presented else None


@dataclass(frozen=True)
class Timeliness:
    months: list[MonthFigures]
    open_breaches: QuerySet[Breach]

    @property
    def timely(self) -> int:
        return sum(m.timely for m in self.months)

    @property
    def presented(self) -> int:
        return sum(m.presented for m in self.months)

    @property
    def percent_timely(self) -> int | None:
        return round(100 * self.timely / self.presented) if self.presented else None


@lru_cache(maxsize=4096)
def _due(aware_on: date) -> date:
    return breach_due_date(aware_on)


def timeliness_for(user: Any, today: date) -> Timeliness:
    start = (today - relativedelta(months=PERIOD_MONTHS - 1)).replace(day=1)
    scope = geography_filter(
        user, region_path="person__pdu__region_id", pdu_path="person__pdu_id", team_path="person__team_id"
    )
    breaches = Breach.objects.filter(scope, aware_on__gte=start).exclude(status=BreachStatus.WITHDRAWN)
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for aware_on, presented_on in breaches.values_list("aware_on", "presented_on").iterator(chunk_size=5000):
        month = aware_on.replace(day=1)
        due = _due(aware_on)
        if presented_on is not None:
            counts[month][0 if presented_on <= due else 1] += 1
        elif due < today:
            counts[month][2] += 1
    months = []
    cursor = start
    while cursor <= today:
        timely, late, overdue = counts[cursor]
        months.append(MonthFigures(cursor, timely, late, overdue))
        cursor += relativedelta(months=1)
    open_breaches = (
        Breach.objects.filter(scope, status__in=[BreachStatus.REQUESTED, BreachStatus.ACTIONED])
        .select_related("person")
        .order_by("aware_on")
    )
    return Timeliness(months=months, open_breaches=open_breaches)


CHART_HEIGHT = 140
CHART_BASELINE = 150
BAR_STEP = 60
SEGMENTS = (("timely", "#00703c", "on time"), ("late", "#f47738", "late"), ("overdue", "#d4351c", "overdue"))


@dataclass(frozen=True)
class Bar:
    """One month's stacked bar, in SVG units (attributes, so the strict CSP allows it)."""

    x: int
    label: str
    title: str
    segments: list[tuple[int, int, str]]  # (y, height, colour)


def chart_bars(months: list[MonthFigures]) -> list[Bar]:
    tallest = max((m.presented + m.overdue for m in months), default=0) or 1
    bars = []
    for index, month in enumerate(months):
        y = CHART_BASELINE
        segments = []
        for attribute, colour, _ in SEGMENTS:
            height = round(CHART_HEIGHT * getattr(month, attribute) / tallest)
            if height:
                y -= height
                segments.append((y, height, colour))
        title = f"{month.month:%B %Y}: {month.timely} on time, {month.late} late, {month.overdue} overdue"
        bars.append(Bar(x=index * BAR_STEP, label=f"{month.month:%b}", title=title, segments=segments))
    return bars
