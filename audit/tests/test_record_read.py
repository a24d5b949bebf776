"""``record_read``: one row per read, filed under the person's CRN, never naming anyone."""

from __future__ import annotations

from typing import Any

import pytest

from audit.constants import AuditAction
from audit.services import LISTED_CRNS_LIMIT, listed, record_read
from core.roles import Role
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_read_about_one_person_is_filed_under_their_crn(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(last_name="Readable")
    row = record_read("addresses", actor=user, person=person)
    assert (row.action, row.object_type, row.object_id) == (AuditAction.VIEW, "people.person", person.crn)
    assert row.changes == {"read": "addresses"}
    assert "Readable" not in row.object_repr


def test_a_read_of_a_record_about_a_person_names_the_record_too(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory()
    row = record_read("person record", actor=user, person=person, obj=user)
    assert row.object_id == person.crn
    assert row.changes["record"] == f"accounts.user:{user.pk}"


def test_a_search_records_its_terms_and_the_number_of_results(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    row = record_read("caseload", actor=user, people=["X000001", "X000002"], count=7, search="smi")
    assert row.action == AuditAction.SEARCH
    assert row.changes == {"read": "caseload", "count": 7, "crns": ["X000001", "X000002"], "terms": "smi"}


def test_a_list_names_its_people_up_to_the_limit() -> None:
    crns = [f"X{n:06d}" for n in range(LISTED_CRNS_LIMIT)]
    row = record_read("caseload", actor=None, people=crns)
    assert row.changes["count"] == LISTED_CRNS_LIMIT and row.changes["crns"] == crns


def test_a_longer_list_is_recorded_by_its_count_alone() -> None:
    crns = [f"X{n:06d}" for n in range(LISTED_CRNS_LIMIT + 1)]
    row = record_read("caseload", actor=None, people=crns)
    assert row.changes == {"read": "caseload", "count": LISTED_CRNS_LIMIT + 1}


def test_listed_reads_crns_only_for_a_short_list() -> None:
    PersonFactory.create_batch(LISTED_CRNS_LIMIT)
    short = listed(Person.objects.all())
    assert short["count"] == LISTED_CRNS_LIMIT and len(short["people"]) == LISTED_CRNS_LIMIT
    PersonFactory()
    assert listed(Person.objects.all()) == {"people": None, "count": LISTED_CRNS_LIMIT + 1}
