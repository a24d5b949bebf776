"""Shared set-up for referral tests: a practitioner's case, a provider organisation
holding a contract near them, its caseworker, and a rival provider."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from commissioning.models import DesiredOutcome, Supplier
from commissioning.tests.factories import contract
from core.roles import Role
from organisation.tests.factories import ExternalOrganisationFactory
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(
        team=practitioner.staff.team,
        sex="MALE",
        date_of_birth=date(1990, 1, 1),
        practitioner=practitioner.staff,
    )
    community_order(person)  # a referral's sessions are enforced against the order (RAR) it serves
    region = person.pdu.region_id
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    supplier = Supplier.objects.create(code="ACME", name="Acme Housing", organisation=organisation)
    service = contract("ACME_1", supplier=supplier, region_id=region, title="Housing support")
    caseworker = make_user(Role.PROVIDER, organisation=organisation)
    rival = make_user(Role.PROVIDER, organisation=ExternalOrganisationFactory(kind="PROVIDER"))
    return {
        "practitioner": practitioner,
        "person": person,
        "contract": service,
        "caseworker": caseworker,
        "rival": rival,
        "outcomes": list(DesiredOutcome.objects.filter(category=1).values_list("pk", flat=True)[:2]),
    }
