"""Contracts, finding a service for a person, and the regional review list, in the
browser's pages and the API, with the same permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from audit.models import AuditEvent
from commissioning.models import Contract, Supplier
from commissioning.reference_data.loader import load_framework_contracts
from commissioning.tests.factories import contract
from core.roles import Role
from organisation.models import Pdu
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_real_contracts_load_with_their_suppliers_and_categories() -> None:
    assert load_framework_contracts() == 196
    assert load_framework_contracts() == 0  # idempotent
    assert Contract.objects.count() == 196
    accommodation = Contract.objects.get(reference="PRJ_5549")
    assert accommodation.supplier.name == "Nacro" and accommodation.region_id == "F"
    assert [c.number for c in accommodation.categories.all()] == [1]
    women = Contract.objects.get(reference="PRJ_5809")
    assert women.pcc_area_id == "nottinghamshire" and not women.allows_male
    assert Supplier.objects.filter(subcontracts__isnull=False).distinct().count() > 50


def test_contracts_are_listed_filtered_and_shown(make_user: Any, client_for: Any) -> None:
    contract("A_1", title="Housing help Alpha")
    contract(
        "B_1",
        categories=(9,),
        title="Women's Services in Kent",
        region_id=None,
        geography_level="PCC_AREA",
        pcc_area_id="kent",
    )
    client = client_for(make_user(Role.PRACTITIONER))
    page = client.get("/services/contracts/", {"category": 9})
    assert b"Women&#x27;s Services in Kent" in page.content and b"Housing help Alpha" not in page.content
    by_region = client.get("/services/contracts/", {"region": "K"})
    assert (
        b"Women&#x27;s Services in Kent" in by_region.content
        and b"Housing help Alpha" not in by_region.content
    )
    detail = client.get(f"/services/contracts/{Contract.objects.get(reference='A_1').pk}/")
    assert detail.status_code == 200 and b"Regional review due" in detail.content


def test_finding_a_service_matches_place_sex_and_age_and_is_audited(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    nottingham = Pdu.objects.get(name="Nottingham City")
    person = PersonFactory(
        team=practitioner.staff.team,
        pdu=practitioner.staff.team.pdu,
        sex="MALE",
        date_of_birth=date(1990, 5, 1),
    )
    Person.objects.filter(pk=person.pk).update(pdu=nottingham)
    contract("ACC_EM", title="Accommodation East Midlands", region_id="F")
    contract(
        "WOS_N",
        categories=(9,),
        title="Women Notts",
        region_id=None,
        geography_level="PCC_AREA",
        pcc_area_id="nottinghamshire",
        allows_male=False,
    )
    contract("ACC_K", title="Accommodation Kent", region_id="K")
    client = client_for(practitioner)
    page = client.get(f"/cases/{person.crn}/services/")
    assert page.status_code == 200
    open_part, _, closed_part = page.content.partition(b"not open to them")
    assert b"Accommodation East Midlands" in open_part and b"Women Notts" in closed_part
    assert b"Accommodation Kent" not in page.content  # not nearby at all
    assert AuditEvent.objects.filter(action="VIEW", object_id=person.crn).exists()
    api = client.get(f"/api/v1/commissioning/people/{person.crn}/services").json()
    assert [(s["contract"]["reference"], s["open"]) for s in api] == [("ACC_EM", True), ("WOS_N", False)]
    assert api[1]["reasons"] == ["for women only"]
    housing = client.get(f"/api/v1/commissioning/people/{person.crn}/services", {"category": 1}).json()
    assert [s["contract"]["reference"] for s in housing] == ["ACC_EM"]
    outsider = client_for(make_user(Role.PRACTITIONER))
    assert outsider.get(f"/cases/{person.crn}/services/").status_code == 404
    assert outsider.get(f"/api/v1/commissioning/people/{person.crn}/services").status_code == 404


@time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=UTC), tick=False)
def test_regional_directors_see_review_dates(make_user: Any, client_for: Any) -> None:
    """Frozen on 22 November 2026: the 2021 contract's review (June 2023) is past and the
    2025 one's (July 2027) is not, whatever the date the suite runs on."""
    contract("OLD", title="Started 2021", region_id="F", starts_on=date(2021, 6, 1))
    contract("NEW", title="Started 2025", region_id="F", starts_on=date(2025, 7, 1))
    contract("LOCAL", title="Local buy", region_id="F", nationally_commissioned=False)
    rpd = make_user(Role.REGIONAL_DIRECTOR)
    page = client_for(rpd).get("/services/regional/", {"region": "F"})
    text = page.content.decode()
    assert "Started 2021" in text and "Started 2025" in text and "Local buy" not in text
    assert "1 is past its review date" in text
    assert text.index("Started 2021") < text.index("Started 2025")  # soonest review first


def test_the_contracts_api(make_user: Any, client_for: Any) -> None:
    contract("A_1", title="Accommodation")
    api = client_for(make_user(Role.PROVIDER))
    categories = api.get("/api/v1/commissioning/categories").json()
    assert len(categories) == 14 and set(categories[0]["complexity_levels"]) == {"LOW", "MEDIUM", "HIGH"}
    listed = api.get("/api/v1/commissioning/contracts", {"q": "accommodation"}).json()
    assert [c["reference"] for c in listed["items"]] == ["A_1"]
    one = api.get(f"/api/v1/commissioning/contracts/{listed['items'][0]['id']}").json()
    assert one["review_due"] == "2023-06-01"
    assert api.get("/api/v1/commissioning/contracts/99999").status_code == 404
    nobody = client_for(make_user(Role.ADMINISTRATOR))
    assert nobody.get("/api/v1/commissioning/contracts").status_code == 404
