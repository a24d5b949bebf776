from __future__ import annotations

from typing import Any

import pytest

from audit.constants import AuditAction
from audit.models import AuditEvent
from core.roles import Role
from people import services
from people.constants import AccessListKind
from people.selectors import people_visible_to, search_people
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_excluded_user_never_sees_the_case(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team)
    assert person in people_visible_to(practitioner)
    services.add_access_entry(
        acting_user=None,
        person=person,
        user=practitioner,
        kind=AccessListKind.EXCLUDED,
        reason="Knows the person",
    )
    assert person not in people_visible_to(practitioner)
    assert client_for(practitioner).get(f"/cases/{person.crn}/").status_code == 404


def test_a_restricted_case_is_seen_only_by_permitted_users(make_user: Any) -> None:
    spo = make_user(Role.SENIOR_PROBATION_OFFICER)
    colleague = make_user(Role.PRACTITIONER)
    colleague.staff.team = spo.staff.team
    colleague.staff.save()
    person = PersonFactory(team=spo.staff.team)
    services.add_access_entry(
        acting_user=None, person=person, user=spo, kind=AccessListKind.PERMITTED, reason="High profile"
    )
    person.refresh_from_db()
    assert person.is_restricted
    assert person in people_visible_to(spo)
    colleague.refresh_from_db()
    assert person not in people_visible_to(colleague)


def test_viewing_a_person_is_audited(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team)
    assert client_for(practitioner).get(f"/cases/{person.crn}/").status_code == 200
    assert client_for(practitioner).get(f"/api/v1/people/{person.crn}").status_code == 200
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=person.crn, actor=practitioner)
    assert views.count() == 2
    assert person.last_name not in views.first().object_repr


def test_search_by_crn_and_name_stays_in_scope(make_user: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    mine = PersonFactory(team=practitioner.staff.team, first_name="Jordan", last_name="Example")
    PersonFactory(first_name="Jordan", last_name="Elsewhere")
    assert list(search_people(practitioner, mine.crn.lower())) == [mine]
    assert list(search_people(practitioner, "jor exa")) == [mine]
    assert list(search_people(practitioner, "Jordan")) == [mine]
