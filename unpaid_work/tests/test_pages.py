from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from core.roles import Role
from people.tests.factories import PersonFactory
from unpaid_work import services
from unpaid_work.forms import NominationForm
from unpaid_work.models import Booking, Nomination, Project
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db

NOMINATION = {
    "nominator_name": "Jo",
    "email": "jo@example.org",
    "description": "Clear the brook",
    "address": "Brook Lane",
    "postcode": "ng2 3aa",
    "website": "",
}


def _started(seconds_ago: int) -> str:
    return signing.dumps(int(time.time()) - seconds_ago, salt=NominationForm.salt)


def test_the_public_can_nominate_without_signing_in() -> None:
    client = Client()
    assert client.get("/community-payback/nominate/").status_code == 200
    response = client.post("/community-payback/nominate/", NOMINATION | {"started": _started(30)})
    assert response.status_code == 200 and "Nomination received" in response.content.decode()
    assert Nomination.objects.get().postcode == "NG2 3AA"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"website": "http://spam"}, "could not accept"),
        ({"started": "forged"}, "expired"),
        ({"email": "not-an-email"}, "correct format"),
    ],
)
def test_spam_and_bad_input_are_refused_with_a_message(extra: dict[str, str], message: str) -> None:
    response = Client().post("/community-payback/nominate/", NOMINATION | {"started": _started(30)} | extra)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_form_sent_too_fast_is_refused() -> None:
    response = Client().post("/community-payback/nominate/", NOMINATION | {"started": _started(0)})
    assert response.status_code == 400


def test_coordinator_accepts_a_nomination_runs_sessions_and_records_attendance(
    make_user: Any, client_for: Any
) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    client = client_for(coordinator)
    Client().post("/community-payback/nominate/", NOMINATION | {"started": _started(30)})
    nomination = Nomination.objects.get()
    response = client.post(
        f"/unpaid-work/projects/new/?nomination={nomination.pk}",
        {
            "name": "Brook clearance",
            "pdu": coordinator.staff.pdu_id,
            "type": "GROUP",
            "beneficiary": "Parish council",
            "address": "Brook Lane",
            "postcode": "NG2 3AA",
            "weekdays": ["0", "2"],
            "starts_at": "09:00",
            "ends_at": "16:00",
            "capacity": "6",
            "people_per_supervisor": "6",
            "start_date": "1/11/2026",
            "nomination": nomination.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Project.objects.get(name="Brook clearance")
    assert (
        client.post(
            f"/unpaid-work/projects/{site.pk}/", {"start": "16/11/2026", "end": "22/11/2026"}
        ).status_code
        == 302
    )
    session = site.sessions.get(date=date(2026, 11, 16))
    person = PersonFactory(team=coordinator.staff.team, pdu=coordinator.staff.pdu)
    order = upw_order(person)
    assert (
        client.post(f"/unpaid-work/sessions/{session.pk}/", {"book": "1", "order": order.pk}).status_code
        == 302
    )
    booking = Booking.objects.get(order=order)
    response = client.post(
        f"/unpaid-work/sessions/{session.pk}/",
        {
            "record": "1",
            f"b{booking.pk}-outcome": "ATTENDED_COMPLIED",
            f"b{booking.pk}-arrived_at": "09:00",
            f"b{booking.pk}-left_at": "15:30",
            f"b{booking.pk}-penalty_minutes": "0",
            f"b{booking.pk}-version": booking.version,
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.credited_minutes == 390
    summary = client.get(f"/unpaid-work/orders/{order.pk}/").content.decode()
    assert "390 minutes" in summary


def test_a_bad_register_entry_is_named_and_nothing_is_saved(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    site = project(pdu=coordinator.staff.pdu)

    services.generate_sessions(
        acting_user=coordinator, project_id=site.pk, start=date(2026, 11, 16), end=date(2026, 11, 16)
    )
    session = site.sessions.get()
    order = upw_order(PersonFactory(team=coordinator.staff.team, pdu=coordinator.staff.pdu))
    booking = services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)
    response = client_for(coordinator).post(
        f"/unpaid-work/sessions/{session.pk}/",
        {
            "record": "1",
            f"b{booking.pk}-outcome": "ATTENDED_COMPLIED",
            f"b{booking.pk}-arrived_at": "15:00",
            f"b{booking.pk}-left_at": "09:00",
            f"b{booking.pk}-version": booking.version,
        },
    )
    assert response.status_code == 400 and "after the start time" in response.content.decode()
    booking.refresh_from_db()
    assert booking.outcome == "" and booking.credited_minutes == 0
