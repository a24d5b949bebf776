"""The contract management API: the same figures as the contract management pages
(``referrals.contract_management``), under ``/api/v1/commissioning`` beside the
contracts they measure. A router of its own in ``referrals`` because the figures are
made of referrals, which ``commissioning`` sits below and may not read."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from commissioning import selectors
from commissioning.models import Contract
from core.api import api_requires
from core.replicas import reads_from_replica
from core.roles import Capability
from referrals.performance import Performance, performance_of, performances_of

router = Router(tags=["Contract management"])


class OnTimeOut(Schema):
    due: int
    on_time: int
    percent: float | None


class PerformanceOut(Schema):
    contract_id: int
    reference: str
    referrals: int
    by_month: list[tuple[date, int]]
    expected_per_month: int | None
    assessment: OnTimeOut
    action_plan: OnTimeOut
    report: OnTimeOut
    attendance: dict[str, int]
    outcomes: dict[str, int]
    statuses: dict[str, int]
    completed: int
    attended_percent: float | None
    achieved_percent: float | None
    cost_per_completed: float | None


def _performance_out(contract: Contract, figures: Performance | None = None) -> PerformanceOut:
    f = performance_of(contract, timezone.localdate()) if figures is None else figures
    return PerformanceOut(
        contract_id=contract.pk,
        reference=contract.reference,
        referrals=f.referrals,
        by_month=f.by_month,
        expected_per_month=f.expected_per_month,
        assessment=OnTimeOut(
            due=f.assessment.due, on_time=f.assessment.on_time, percent=f.assessment.percent
        ),
        action_plan=OnTimeOut(
            due=f.action_plan.due, on_time=f.action_plan.on_time, percent=f.action_plan.percent
        ),
        report=OnTimeOut(due=f.report.due, on_time=f.report.on_time, percent=f.report.percent),
        attendance=f.attendance,
        outcomes=f.outcomes,
        statuses=f.statuses,
        completed=f.completed,
        attended_percent=f.attended_percent,
        achieved_percent=f.achieved_percent,
        cost_per_completed=float(f.cost_per_completed) if f.cost_per_completed is not None else None,
    )


@router.get(
    "/contracts/{contract_id}/performance",
    response=PerformanceOut,
    summary="Contract management figures: volumes, timeliness, attendance, outcomes, cost",
)
@api_requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def contract_performance(request: HttpRequest, contract_id: int) -> PerformanceOut:
    return _performance_out(get_object_or_404(selectors.contracts(), pk=contract_id))


@router.get(
    "/performance", response=list[PerformanceOut], summary="Contract management for a region's contracts"
)
@api_requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def region_performance(request: HttpRequest, region: str) -> list[PerformanceOut]:
    today = timezone.localdate()
    return [
        _performance_out(c, f)
        for c, f in performances_of(selectors.contracts(region=region, current_on=today), today)
    ]
