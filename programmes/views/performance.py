"""Commencements for Regional Probation Directors, analysts and the Programmes team: how
many programme requirements and licence conditions started within the target, by quarter
and by PDU, and why the rest never started. A chart with the same figures as a table, and
a CSV download of the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit import services as audit
from core.access import requires
from core.csv_safe import safe_writer
from core.replicas import reads_from_replica
from core.roles import Capability
from programmes.constants import STATUS_REASON_GROUPS, StatusReason
from programmes.rules.performance import (
    COMMENCEMENT_LABELS,
    Commencement,
    QuarterFigures,
)
from programmes.selectors.performance import commencement_report_for, region_for, regions_for

# Stacked bar colours (GOV.UK palette), in the order the segments stack from the baseline.
SEGMENT_COLOURS = {
    Commencement.IN_TIME: "#00703c",
    Commencement.LATE: "#f47738",
    Commencement.WAITING: "#b1b4b6",
    Commencement.OVERDUE: "#d4351c",
    Commencement.NEVER: "#0b0c0c",
}
CHART_HEIGHT = 140
CHART_BASELINE = 150
BAR_STEP = 80


@dataclass(frozen=True)
class Bar:
    """One quarter's stacked bar, in SVG units (attributes, so the strict CSP allows it)."""

    x: int
    label: str
    title: str
    segments: list[tuple[int, int, str]]  # (y, height, colour)


def quarter_bars(quarters: list[QuarterFigures]) -> list[Bar]:
    tallest = max((q.total for q in quarters), default=0) or 1
    bars = []
    for index, quarter in enumerate(quarters):
        y, segments = CHART_BASELINE, []
        for outcome, colour in SEGMENT_COLOURS.items():
            height = round(CHART_HEIGHT * quarter.counts[outcome] / tallest)
            if height:
                y -= height
                segments.append((y, height, colour))
        title = f"{quarter.quarter}: " + ", ".join(
            f"{quarter.counts[o]} {COMMENCEMENT_LABELS[o].lower()}" for o in SEGMENT_COLOURS
        )
        bars.append(Bar(x=index * BAR_STEP, label=quarter.quarter, title=title, segments=segments))
    return bars


def reason_label(code: str) -> str:
    if not code:
        return "No reason recorded"
    reason = StatusReason(code)
    return f"{reason.label} ({STATUS_REASON_GROUPS[reason].label.lower()})"


CSV_COLUMNS = ["Quarter", *(COMMENCEMENT_LABELS[o] for o in Commencement), "Total", "Percent started in time"]


@requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def commencements(request: HttpRequest) -> HttpResponse:
    """``?region=`` among the user's regions; ``?format=csv`` for the quarterly table."""
    user: Any = request.user
    region = region_for(user, request.GET.get("region", ""))
    today = timezone.localdate()
    figures, weeks = commencement_report_for(user, region, today)
    audit.record_read("programme commencements", actor=user, obj=region, people=[])
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="programme-commencements-{region.pk}-{today:%Y-%m-%d}.csv"'
        )
        writer = safe_writer(response)
        writer.writerow(CSV_COLUMNS)
        for q in figures.quarters:
            writer.writerow(
                [
                    q.quarter,
                    *(q.counts[o] for o in Commencement),
                    q.total,
                    "" if q.percent_in_time is None else q.percent_in_time,
                ]
            )
        return response
    context = {
        "region": region,
        "regions": regions_for(user),
        "figures": figures,
        "weeks": weeks,
        "bars": quarter_bars(figures.quarters),
        "legend": [(COMMENCEMENT_LABELS[o], colour) for o, colour in SEGMENT_COLOURS.items()],
        "outcomes": [COMMENCEMENT_LABELS[o] for o in Commencement],
        "quarter_rows": [
            (q.quarter, [q.counts[o] for o in Commencement], q.percent_in_time) for q in figures.quarters
        ],
        "pdu_rows": [(pdu, [counts[o] for o in Commencement]) for pdu, counts in figures.by_pdu],
        "reasons": [(reason_label(code), count) for code, count in figures.reasons],
        "reason_bars": _reason_bars(figures.reasons),
    }
    return render(request, "programmes/performance/commencements.html", context)


@dataclass(frozen=True)
class ReasonBar:
    y: int
    width: int
    label: str
    count: int


def _reason_bars(reasons: list[tuple[str, int]]) -> list[ReasonBar]:
    """Horizontal bars, one per reason, longest first (at most ten)."""
    widest = max((n for _, n in reasons), default=0) or 1
    return [
        ReasonBar(
            y=index * 28, width=max(2, round(380 * count / widest)), label=reason_label(code), count=count
        )
        for index, (code, count) in enumerate(reasons[:10])
    ]
