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
