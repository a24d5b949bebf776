"""Contract management pages: each contract's referrals against expected volumes,
timeliness against each provider deadline, attendance, outcomes and cost per completed
referral, for one contract and for every contract serving a region.

They live here, not in ``commissioning``, because the figures are made of referrals:
``commissioning`` (the framework and its contracts) sits below ``referrals`` and may
not read them. The URLs stay under ``/services/`` beside the contracts they measure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from commissioning import selectors
from commissioning.models import Contract
from commissioning.views import chosen_region
from core.access import requires
from core.csv_safe import safe_writer
from core.replicas import reads_from_replica
from core.roles import Capability
from organisation import selectors as organisation_selectors
from referrals.performance import performance_of, performances_of


@requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def contract_performance(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Contract management for one contract: volumes against expected, timeliness,
    attendance, outcomes and cost per completed referral."""
    contract = get_object_or_404(selectors.contracts(), pk=contract_id)
    figures = performance_of(contract, timezone.localdate())
    return render(
        request,
        "referrals/contract_performance.html",
        {
            "contract": contract,
            "f": figures,
            "bars": month_bars(figures.by_month, figures.expected_per_month),
        },
    )


PERFORMANCE_COLUMNS = [
    "reference",
    "title",
    "supplier",
    "referrals",
    "expected_per_month",
    "assessments_on_time_percent",
    "action_plans_on_time_percent",
    "reports_on_time_percent",
    "attended_percent",
    "outcomes_achieved_percent",
    "completed",
    "value",
    "cost_per_completed",
]


def _row(contract: Contract, f: Any) -> list[Any]:
    return [
        contract.reference,
        contract.title,
        contract.supplier.name,
        f.referrals,
        f.expected_per_month if f.expected_per_month is not None else "",
        f.assessment.percent if f.assessment.percent is not None else "",
        f.action_plan.percent if f.action_plan.percent is not None else "",
        f.report.percent if f.report.percent is not None else "",
        f.attended_percent if f.attended_percent is not None else "",
        f.achieved_percent if f.achieved_percent is not None else "",
        f.completed,
        f.value if f.value is not None else "",
        f.cost_per_completed if f.cost_per_completed is not None else "",
    ]


@requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def region_performance(request: HttpRequest) -> HttpResponse:
    """Contract management for a region: every contract serving it, with its figures;
    ``?format=csv`` downloads the same table (formula-safe: ``core.csv_safe``)."""
    user: Any = request.user
    region = chosen_region(request, user)
    today = timezone.localdate()
    rows = performances_of(selectors.contracts(region=region.pk, current_on=today), today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="contracts-{region.pk}-{today:%Y-%m-%d}.csv"'
        writer = safe_writer(response)
        writer.writerow(PERFORMANCE_COLUMNS)
        writer.writerows(_row(c, f) for c, f in rows)
        return response
    return render(
        request,
        "referrals/region_performance.html",
        {"region": region, "regions": organisation_selectors.regions(), "rows": rows},
    )


@dataclass(frozen=True)
class MonthBar:
    x: int
    y: int
    height: int
    label: str
    title: str


def month_bars(by_month: list[tuple[Any, int]], expected: int | None, height: int = 120) -> dict[str, Any]:
    """Referrals each month as bars, with the expected volume as a line where one is set."""
    tallest = max([n for _, n in by_month] + [expected or 0]) or 1
    bars = [
        MonthBar(
            i * 50,
            140 - round(height * n / tallest),
            round(height * n / tallest),
            f"{m:%b}",
            f"{m:%B %Y}: {n} referrals",
        )
        for i, (m, n) in enumerate(by_month)
    ]
    expected_y = 140 - round(height * expected / tallest) if expected else None
    return {"bars": bars, "expected_y": expected_y, "width": 50 * len(by_month)}
