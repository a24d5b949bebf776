from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from accounts.roles import Capability
from commissioning import rules, selectors
from commissioning.models import Contract, ServiceCategory
from core.api import api_requires, api_user
from people import selectors as people_selectors
from people import services as people_services
from referrals.performance import performance_of

router = Router(tags=["Commissioned services"])


class CategoryOut(Schema):
    number: int
    name: str
    kind: str
    complexity_levels: dict[str, str]
    desired_outcomes: list[str]

    @staticmethod
    def resolve_complexity_levels(obj: ServiceCategory) -> dict[str, str]:
        return {level.level: level.description for level in obj.complexity_levels.all()}

    @staticmethod
    def resolve_desired_outcomes(obj: ServiceCategory) -> list[str]:
        return [outcome.description for outcome in obj.desired_outcomes.all()]


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    contract_type: str
    supplier: str
    subcontractors: list[str]
    categories: list[int]
    geography_level: str
    geography: str
    region_id: str | None
    pcc_area_id: str | None
    allows_female: bool
    allows_male: bool
    minimum_age: int
    maximum_age: int | None
    starts_on: date
    ends_on: date | None
    value: float | None
    expected_referrals_per_month: int | None
    nationally_commissioned: bool
    review_due: date | None

    @staticmethod
    def resolve_supplier(obj: Contract) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_subcontractors(obj: Contract) -> list[str]:
        return [s.name for s in obj.subcontractors.all()]

    @staticmethod
    def resolve_categories(obj: Contract) -> list[int]:
        return [c.number for c in obj.categories.all()]

    @staticmethod
    def resolve_geography(obj: Contract) -> str:
        return obj.geography_name

    @staticmethod
    def resolve_review_due(obj: Contract) -> date | None:
        return rules.review_due(obj.starts_on) if obj.nationally_commissioned else None


class ServiceOut(Schema):
    contract: ContractOut
    open: bool
    reasons: list[str]


@router.get("/categories", response=list[CategoryOut], summary="The framework's 14 service categories")
@api_requires(Capability.VIEW_CONTRACTS)
def list_categories(request: HttpRequest) -> Any:
    return ServiceCategory.objects.prefetch_related("complexity_levels", "desired_outcomes")


@router.get("/contracts", response=list[ContractOut], summary="Contracts called off from the framework")
@api_requires(Capability.VIEW_CONTRACTS)
@paginate(PageNumberPagination, page_size=100)
def list_contracts(
    request: HttpRequest,
    q: str = "",
    category: int | None = None,
    region: str | None = None,
    current: bool = False,
) -> Any:
    return selectors.contracts(
        text=q.strip(), category=category, region=region, current_on=timezone.localdate() if current else None
    ).prefetch_related("subcontractors")


@router.get("/contracts/{contract_id}", response=ContractOut)
@api_requires(Capability.VIEW_CONTRACTS)
def get_contract(request: HttpRequest, contract_id: int) -> Contract:
    return get_object_or_404(selectors.contracts().prefetch_related("subcontractors"), pk=contract_id)


@router.get(
    "/people/{crn}/services",
    response=list[ServiceOut],
    summary="Services near a person, each open to them or with the reasons it is not",
)
@api_requires(Capability.VIEW_CASES)
def person_services(request: HttpRequest, crn: str, category: int | None = None) -> list[dict[str, Any]]:
    user = api_user(request)
    person = people_selectors.get_person_for(user, crn)
    people_services.record_person_viewed(acting_user=user, person=person)
    choices = selectors.services_for(person, timezone.localdate(), category)
    return [{"contract": c.contract, "open": c.open, "reasons": c.reasons} for c in choices]


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


def _performance_out(contract: Contract) -> PerformanceOut:
    f = performance_of(contract, timezone.localdate())
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
def contract_performance(request: HttpRequest, contract_id: int) -> PerformanceOut:
    return _performance_out(get_object_or_404(selectors.contracts(), pk=contract_id))


@router.get(
    "/performance", response=list[PerformanceOut], summary="Contract management for a region's contracts"
)
@api_requires(Capability.VIEW_INSIGHTS)
def region_performance(request: HttpRequest, region: str) -> list[PerformanceOut]:
    return [_performance_out(c) for c in selectors.contracts(region=region, current_on=timezone.localdate())]
