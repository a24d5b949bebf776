"""Reads for the framework: contracts with filters, the services open to a person, and
a region's nationally commissioned services with their review dates. Contracts are
published procurement information, so they are not scoped by geography."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from commissioning import rules
from commissioning.constants import GeographyLevel
from commissioning.models import Contract, SupplierApplication
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
