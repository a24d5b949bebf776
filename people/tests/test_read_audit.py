"""Reads of people's records are audited: searches by their terms and number of results,
lists by their count, the overview with how many sensitive notes it showed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from audit.constants import AuditAction
from audit.models import AuditEvent
from core.roles import Role
from people.tests.factories import PersonFactory
from supervision import services as supervision

pytestmark = pytest.mark.django_db


def _last(user: Any) -> AuditEvent:
    found = AuditEvent.objects.filter(actor=user).order_by("-id").first()
    assert found is not None
    return found


def test_a_caseload_search_records_its_terms_and_number_of_results_not_names(
    make_user: Any, client_for: Any
) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    team = practitioner.staff.team
    PersonFactory(team=team, last_name="Quorndon")
    PersonFactory(team=team, last_name="Quorndon")
    PersonFactory(team=team, last_name="Elsewhere")
    for url in ("/cases/?q=Quorndon", "/api/v1/people?q=Quorndon"):
        assert client_for(practitioner).get(url).status_code == 200
        row = _last(practitioner)
        assert row.action == AuditAction.SEARCH
        assert row.changes["terms"] == "Quorndon" and row.changes["count"] == 2
        assert len(row.changes["crns"]) == 2
        assert "Elsewhere" not in str(row.changes)


def test_a_caseload_without_a_search_is_one_row_naming_the_count(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    people = PersonFactory.create_batch(3, team=practitioner.staff.team)
    before = AuditEvent.objects.count()
    assert client_for(practitioner).get("/cases/?sort=name").status_code == 200
    assert AuditEvent.objects.count() == before + 1
    row = _last(practitioner)
    assert row.action == AuditAction.VIEW and row.changes["count"] == 3
    assert row.changes["crns"] == sorted(p.crn for p in people)


@pytest.mark.parametrize("sensitive", [False, True])
def test_the_overview_records_whether_sensitive_notes_were_shown(
    make_user: Any, client_for: Any, sensitive: bool
) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team)
    supervision.add_contact_note(acting_user=practitioner, person=person, text="Note", is_sensitive=sensitive)
    assert client_for(practitioner).get(f"/cases/{person.crn}/").status_code == 200
    row = _last(practitioner)
    assert (row.object_id, row.changes["read"]) == (person.crn, "person overview")
    assert row.changes["sensitive_notes_shown"] == int(sensitive)


@pytest.mark.parametrize("include", [False, True])
def test_reading_notes_through_the_api_records_whether_sensitive_notes_were_shown(
    make_user: Any, client_for: Any, include: bool
) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team)
    supervision.add_contact_note(acting_user=practitioner, person=person, text="Open", is_sensitive=False)
    supervision.add_contact_note(acting_user=practitioner, person=person, text="Secret", is_sensitive=True)
    url = f"/api/v1/people/{person.crn}/notes?include_sensitive={str(include).lower()}"
    assert client_for(practitioner).get(url).status_code == 200
    row = _last(practitioner)
    assert (row.object_id, row.changes["read"]) == (person.crn, "contact notes")
    assert row.changes["sensitive_notes_shown"] == (1 if include else 0)


def test_a_refused_read_writes_no_read_row(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    elsewhere = PersonFactory()
    assert client_for(practitioner).get(f"/api/v1/people/{elsewhere.crn}/addresses").status_code == 404
    assert not AuditEvent.objects.filter(actor=practitioner, action=AuditAction.VIEW).exists()


def test_likely_duplicates_shown_are_an_audited_read(make_user: Any, client_for: Any) -> None:
    """The duplicate warning shows CRNs from anywhere in the country, so it is a read."""
    practitioner = make_user(Role.PRACTITIONER)
    elsewhere = PersonFactory(first_name="New", last_name="Person", date_of_birth=date(1990, 1, 1))
    payload = {"first_name": "New", "last_name": "Person", "date_of_birth": "1990-01-01", "sex": "MALE"}
    response = client_for(practitioner).post("/api/v1/people", payload, content_type="application/json")
    assert response.status_code == 409
    row = _last(practitioner)
    assert row.changes == {"read": "likely duplicates", "count": 1, "crns": [elsewhere.crn]}
