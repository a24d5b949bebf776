"""Reads for the framework: contracts with filters, the services open to a person, and
a region's nationally commissioned services with their review dates. Contracts are
published procurement information, so they are not scoped by geography."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from commissioning import rules
from commissioning.constants import ApplicationStatus, GeographyLevel, SupplierStatus
from commissioning.models import (
    ApplicationDocument,
    Contract,
    Qualification,
    ServiceCategory,
    Supplier,
    SupplierApplication,
)
from organisation.constants import OrganisationKind
from organisation.models import ExternalOrganisation
from people.models import Person


def contracts(
    *,
    text: str = "",
    category: int | None = None,
    region: str | None = None,
    current_on: date | None = None,
) -> QuerySet[Contract]:
    found = Contract.objects.select_related("supplier", "region", "pcc_area", "pdu").prefetch_related(
        "categories"
    )
    if text:
        found = found.filter(
            Q(title__icontains=text) | Q(supplier__name__icontains=text) | Q(reference__iexact=text)
        )
    if category:
        found = found.filter(categories__number=category)
    if region:
        found = found.filter(Q(region_id=region) | Q(pcc_area__region_id=region) | Q(pdu__region_id=region))
    if current_on:
        found = found.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=current_on), starts_on__lte=current_on)
    return found.distinct().order_by("title")


def applications() -> QuerySet[SupplierApplication]:
    """Selection Questionnaires with what their listing shows of each loaded up front,
    so the list costs the same number of queries however many have been sent."""
    return SupplierApplication.objects.prefetch_related("categories", "regions", "pcc_areas", "assessments")


def application_documents() -> QuerySet[ApplicationDocument]:
    """Documents attached to suppliers' applications (callers filter by application)."""
    return ApplicationDocument.objects.all()


def service_facts(contract: Contract) -> rules.ServiceFacts:
    return rules.ServiceFacts(
        geography_level=contract.geography_level,
        region_id=contract.region_id or (contract.pcc_area.region_id if contract.pcc_area else None),
        pcc_area_id=contract.pcc_area_id,
        pdu_id=contract.pdu_id,
        allows_female=contract.allows_female,
        allows_male=contract.allows_male,
        minimum_age=contract.minimum_age,
        maximum_age=contract.maximum_age,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        categories=frozenset(c.number for c in contract.categories.all()),
    )


def person_facts(person: Person) -> rules.PersonFacts:
    pdu = person.pdu
    return rules.PersonFacts(
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        region_id=pdu.region_id if pdu else None,
        pcc_area_id=pdu.pcc_area_id if pdu else None,
        pdu_id=person.pdu_id,
    )


@dataclass(frozen=True)
class ServiceChoice:
    contract: Contract
    reasons: list[str]  # empty when the service is open to the person

    @property
    def open(self) -> bool:
        return not self.reasons


def contracts_near(person: Person, category: int | None = None) -> QuerySet[Contract]:
    """Contracts whose geography covers the person (national, or their region, PCC area
    or PDU): the only contracts a referral for them may name; any other answers 404."""
    facts = person_facts(person)
    nearby = Q(geography_level=GeographyLevel.NATIONAL) | Q(region_id=facts.region_id)
    nearby |= Q(pcc_area_id=facts.pcc_area_id) | Q(pdu_id=facts.pdu_id)
    return contracts(category=category).filter(nearby)


def services_for(person: Person, on: date, category: int | None = None) -> list[ServiceChoice]:
    """Services near the person (their PDU, PCC area, region or national), each with
    the reasons it is closed to them, if any; open ones first."""
    facts = person_facts(person)
    found = contracts_near(person, category=category).prefetch_related("subcontractors")
    choices = [
        ServiceChoice(c, rules.why_not_available(service_facts(c), facts, on, category)) for c in found
    ]
    return sorted(choices, key=lambda choice: (not choice.open, choice.contract.title))


@dataclass(frozen=True)
class RegionalService:
    contract: Contract
    review_due: date
    overdue: bool


def nationally_commissioned_in(region_id: str, on: date) -> list[RegionalService]:
    """The nationally commissioned services a region uses, with when each is due its
    two-year regional review (soonest first)."""
    found = contracts(region=region_id, current_on=on).filter(nationally_commissioned=True)
    services = [
        RegionalService(c, rules.review_due(c.starts_on), rules.review_due(c.starts_on) < on) for c in found
    ]
    return sorted(services, key=lambda s: (s.review_due, s.contract.title))


def user_region(user: Any) -> str | None:
    """The region a user belongs to: their staff PDU's, or their organisation's."""
    if getattr(user, "staff_id", None):
        return str(user.staff.pdu.region_id)
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        return organisation.region_id or (organisation.pcc_area.region_id if organisation.pcc_area else None)
    return None


# --- Framework reference data and administration ----------------------------------------
# The framework is national: these reads are not scoped by geography. The views and API
# handlers that call them carry the capability checks (VIEW_CONTRACTS, MANAGE_FRAMEWORK).


def service_categories() -> QuerySet[ServiceCategory]:
    """The framework's service categories, by number."""
    return ServiceCategory.objects.all()


def service_categories_in_full() -> QuerySet[ServiceCategory]:
    """The service categories with their complexity levels and desired outcomes."""
    return ServiceCategory.objects.prefetch_related("complexity_levels", "desired_outcomes")


def service_categories_numbered(numbers: list[int]) -> QuerySet[ServiceCategory]:
    """The categories among these numbers (unknown numbers are left out)."""
    return ServiceCategory.objects.filter(number__in=numbers)


def suppliers() -> QuerySet[Supplier]:
    """Every supplier, by name."""
    return Supplier.objects.order_by("name")


def appointed_suppliers() -> QuerySet[Supplier]:
    """Suppliers appointed to the framework."""
    return Supplier.objects.filter(status=SupplierStatus.APPOINTED)


def qualified_suppliers_in_full() -> QuerySet[Supplier]:
    """Suppliers with at least one qualification, with what and where they may deliver."""
    return (
        Supplier.objects.filter(qualifications__isnull=False)
        .prefetch_related("qualifications__category", "qualifications__region", "qualifications__pcc_area")
        .distinct()
        .order_by("name")
    )


def suppliers_without_organisation() -> QuerySet[Supplier]:
    """Suppliers not yet linked to the provider organisation their staff sign in through."""
    return Supplier.objects.filter(organisation__isnull=True).order_by("name")


def supplier_of_organisation(organisation_id: int | None) -> Supplier | None:
    """The supplier a provider organisation's staff act for, if any."""
    return Supplier.objects.filter(organisation_id=organisation_id).first()


def submitted_applications() -> QuerySet[SupplierApplication]:
    """Applications waiting for assessment, oldest first."""
    return SupplierApplication.objects.filter(status=ApplicationStatus.SUBMITTED).order_by("submitted_at")


def decided_applications(limit: int = 30) -> QuerySet[SupplierApplication]:
    """The most recently decided applications."""
    return SupplierApplication.objects.exclude(status=ApplicationStatus.SUBMITTED).order_by("-decided_at")[
        :limit
    ]


def application_detail(application_id: int) -> SupplierApplication:
    """One application with its supplier; Http404 if there is none."""
    return get_object_or_404(SupplierApplication.objects.select_related("supplier"), pk=application_id)


def provider_organisations() -> QuerySet[ExternalOrganisation]:
    """External organisations that are providers."""
    return ExternalOrganisation.objects.filter(kind=OrganisationKind.PROVIDER)


def free_provider_organisations() -> QuerySet[ExternalOrganisation]:
    """Provider organisations not yet serving a supplier, by name."""
    return ExternalOrganisation.objects.filter(
        kind=OrganisationKind.PROVIDER, supplier__isnull=True
    ).order_by("name")


def organisations_other_than_providers() -> QuerySet[ExternalOrganisation]:
    """PCCs, local authorities and police: the organisations a commissioner may act through."""
    return ExternalOrganisation.objects.exclude(kind=OrganisationKind.PROVIDER)


def qualified_suppliers(category_id: int, region_id: str | None, pcc_area_id: str | None) -> Any:
    """Appointed suppliers with one qualification for the category in the place: a PCC
    area is covered by a qualification for it or for its whole region. The category and
    the place must be on the same qualification."""
    if region_id is None and pcc_area_id is None:
        raise ValueError("A place is needed to find qualified suppliers")
    place = Q(region_id=region_id) if region_id else Q(pk__in=[])
    if pcc_area_id:
        place |= Q(pcc_area_id=pcc_area_id)
    qualifying = Qualification.objects.filter(place, category_id=category_id).values("supplier_id")
    return Supplier.objects.filter(status=SupplierStatus.APPOINTED, pk__in=qualifying)


def answers_of(application: SupplierApplication) -> rules.SqAnswers:
    return rules.SqAnswers(
        mandatory_exclusions_apply=application.mandatory_exclusions_apply,
        discretionary_exclusions_apply=application.discretionary_exclusions_apply,
        exclusion_details=application.exclusion_details,
        annual_turnover=float(application.annual_turnover),
        audited_accounts=application.audited_accounts,
        employers_liability=float(application.employers_liability),
        public_liability=float(application.public_liability),
        professional_indemnity=float(application.professional_indemnity),
        safeguarding_declaration=application.safeguarding_declaration,
        data_protection_declaration=application.data_protection_declaration,
        # len() of all() uses the lists a listing prefetched rather than counting again
        categories=len(application.categories.all()),
        places=len(application.regions.all()) + len(application.pcc_areas.all()),
    )
