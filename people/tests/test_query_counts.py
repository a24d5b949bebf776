"""Pages use a constant number of queries whatever the size of the caseload or history."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _history(person: Any, user: Any, appointments: int) -> None:
    event = community_order(person, sentenced_on=date(2026, 1, 5))
    for n in range(appointments):
        when = datetime(2026, 2, 1, 10, tzinfo=ZoneInfo("Europe/London")) + timedelta(days=n)
        appointment = services.book_appointment(
            acting_user=user,
            person=person,
            event=event,
            type=AppointmentType.SUPERVISION,
            starts_at=when,
            ends_at=when + timedelta(hours=1),
            practitioner=user.staff,
        )
        services.record_outcome(
            acting_user=user,
            appointment_id=appointment.pk,
            outcome=AppointmentOutcome.ATTENDED_COMPLIED,
            expected_version=appointment.version,
        )
        services.add_contact_note(acting_user=user, person=person, text=f"Note {n}", is_sensitive=n % 2 == 0)


def test_the_person_overview_does_not_grow_with_history(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = client_for(user)
    small, large = PersonFactory(team=user.staff.team), PersonFactory(team=user.staff.team)
    _history(small, user, 1)
    _history(large, user, 12)
    community_order(large, sentenced_on=date(2026, 3, 2))
    assert _count(client, f"/cases/{small.crn}/") == _count(client, f"/cases/{large.crn}/")


def test_the_caseload_does_not_grow_with_the_number_of_people(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = client_for(user)
    PersonFactory.create_batch(2, team=user.staff.team, practitioner=user.staff)
    few = _count(client, "/cases/")
    PersonFactory.create_batch(40, team=user.staff.team, practitioner=user.staff)
    assert _count(client, "/cases/") == few
    assert _count(client, "/cases/?sort=tier&mine=on") == few
