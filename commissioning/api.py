"""The commissioning API: the framework (categories, contracts and their performance),
supplier qualification and suppliers. Call-off competitions have their own router in
``commissioning.competitions.api``, mounted here so the paths are unchanged."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from audit import services as audit
from commissioning import rules, selectors, services
from commissioning.competitions import selectors as comp_selectors
from commissioning.competitions.api import router as competitions_router
from commissioning.constants import SqSection
from commissioning.models import (
    Contract,
    ServiceCategory,
    Supplier,
    SupplierApplication,
)
from core.api import PageNumberPagination, api_requires, api_user
from core.roles import Capability
from organisation import selectors as organisation_selectors
from people import selectors as people_selectors

router = Router(tags=["Commissioned services"])


class DesiredOutcomeOut(Schema):
    id: int = Field(description="Give this id in a referral's desired_outcome_ids")
    description: str


class CategoryOut(Schema):
    number: int
    name: str
    kind: str
    complexity_levels: dict[str, str]
    desired_outcomes: list[DesiredOutcomeOut]

    @staticmethod
    def resolve_complexity_levels(obj: ServiceCategory) -> dict[str, str]:
        return {level.level: level.description for level in obj.complexity_levels.all()}

    @staticmethod
    def resolve_desired_outcomes(obj: ServiceCategory) -> list[Any]:
        return list(obj.desired_outcomes.all())


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
    return selectors.service_categories_in_full()


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
    audit.record_read("services open to the person", actor=user, person=person)
    choices = selectors.services_for(person, timezone.localdate(), category)
    return [{"contract": c.contract, "open": c.open, "reasons": c.reasons} for c in choices]


# --- Supplier qualification ------------------------------------------------------------


class ApplicationIn(Schema):
    mandatory_exclusions_apply: bool
    discretionary_exclusions_apply: bool
    exclusion_details: str = ""
    annual_turnover: Decimal = Field(ge=0)
    audited_accounts: bool
    experience: str = Field(min_length=1)
    references: str = Field(min_length=1)
    employers_liability: Decimal = Field(ge=0)
    public_liability: Decimal = Field(ge=0)
    professional_indemnity: Decimal = Field(ge=0)
    safeguarding_declaration: bool
    data_protection_declaration: bool
    cyber_essentials: bool = False
    categories: list[int] = Field(min_length=1)
    regions: list[str] = Field(default_factory=list)
    pcc_areas: list[str] = Field(default_factory=list)


class SectionOut(Schema):
    section: str
    passed: bool
    reason: str


class ApplicationOut(Schema):
    id: int
    organisation_name: str
    supplier_id: int | None
    status: str
    submitted_at: datetime
    categories: list[int]
    regions: list[str]
    pcc_areas: list[str]
    assessments: list[SectionOut]
    guidance: dict[str, str]

    @staticmethod
    def resolve_categories(obj: SupplierApplication) -> list[int]:
        return [c.number for c in obj.categories.all()]

    @staticmethod
    def resolve_regions(obj: SupplierApplication) -> list[str]:
        return [r.pk for r in obj.regions.all()]

    @staticmethod
    def resolve_pcc_areas(obj: SupplierApplication) -> list[str]:
        return [p.pk for p in obj.pcc_areas.all()]

    @staticmethod
    def resolve_assessments(obj: SupplierApplication) -> list[Any]:
        return list(obj.assessments.all())

    @staticmethod
    def resolve_guidance(obj: SupplierApplication) -> dict[str, str]:
        return rules.sq_guidance(selectors.answers_of(obj), timezone.localdate())


class SectionIn(Schema):
    section: SqSection
    passed: bool
    reason: str = Field(min_length=1)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    summary="An appointed supplier offers more categories or places (new suppliers apply at /framework/apply/)",
)
@api_requires(Capability.DELIVER_SERVICES)
def extend(request: HttpRequest, payload: ApplicationIn) -> tuple[int, SupplierApplication]:
    user = api_user(request)
    supplier = comp_selectors.supplier_for(user)
    if supplier is None:
        raise Http404
    answers = payload.dict(exclude={"categories", "regions", "pcc_areas"}) | {
        "organisation_name": supplier.name,
        "contact_name": user.get_full_name() or user.username,
        "contact_email": user.email,
    }
    created = services.submit_application(
        acting_user=user,
        supplier=supplier,
        categories=list(selectors.service_categories_numbered(payload.categories)),
        regions=list(organisation_selectors.regions_with_ids(payload.regions)),
        pcc_areas=list(organisation_selectors.pcc_areas_with_ids(payload.pcc_areas)),
        **answers,
    )
    return 201, created


@router.get(
    "/applications", response=list[ApplicationOut], summary="Selection Questionnaires to assess and decided"
)
@api_requires(Capability.MANAGE_FRAMEWORK)
def list_applications(request: HttpRequest, status: str | None = None) -> Any:
    found = selectors.applications()
    return found.filter(status=status) if status else found


@router.get("/applications/{application_id}", response=ApplicationOut)
@api_requires(Capability.MANAGE_FRAMEWORK)
def get_application(request: HttpRequest, application_id: int) -> SupplierApplication:
    return get_object_or_404(selectors.applications(), pk=application_id)


@router.post(
    "/applications/{application_id}/assessments",
    response=ApplicationOut,
    summary="Pass or fail one section, with the reason; the last section decides the application",
)
@api_requires(Capability.MANAGE_FRAMEWORK)
def assess(request: HttpRequest, application_id: int, payload: SectionIn) -> SupplierApplication:
    found = get_object_or_404(selectors.applications(), pk=application_id)
    services.assess_section(
        acting_user=api_user(request),
        application_id=found.pk,
        section=payload.section,
        passed=payload.passed,
        reason=payload.reason,
    )
    found.refresh_from_db()
    return found


# --- Suppliers and the organisations their staff sign in through ----------------------


class SupplierOut(Schema):
    id: int
    code: str
    name: str
    status: str
    appointed_on: date | None
    organisation_id: int | None = Field(description="The provider organisation its staff sign in through")
    version: int


class SupplierOrganisationIn(Schema):
    organisation_id: int
    version: int = Field(description="The supplier's version the link was decided on")


@router.get("/suppliers", response=list[SupplierOut], summary="Suppliers on the framework")
@api_requires(Capability.VIEW_CONTRACTS)
def list_suppliers(request: HttpRequest) -> Any:
    return selectors.suppliers()


@router.put(
    "/suppliers/{supplier_id}/organisation",
    response=SupplierOut,
    summary="Link a supplier to the provider organisation its staff sign in through",
)
@api_requires(Capability.MANAGE_FRAMEWORK)
def link_organisation(request: HttpRequest, supplier_id: int, payload: SupplierOrganisationIn) -> Supplier:
    supplier = get_object_or_404(selectors.suppliers(), pk=supplier_id)
    organisation = get_object_or_404(selectors.provider_organisations(), pk=payload.organisation_id)
    return services.link_supplier_organisation(
        acting_user=api_user(request),
        supplier_id=supplier.pk,
        organisation_id=organisation.pk,
        expected_version=payload.version,
    )


router.add_router("", competitions_router)
