"""The session register is saved whole or not at all: one transaction, one error summary
naming each row's problem, and no stale-record error between rows of one submission."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.roles import Role
from people.tests.factories import PersonFactory
from supervision.models import Appointment
from unpaid_work import services
from unpaid_work.models import Booking, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evening_after_the_session() -> Any:
    with time_machine.travel(datetime(2026, 11, 16, 18, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def _register(coordinator: Any) -> tuple[WorkSession, list[Booking]]:
    site = project(pdu=coordinator.staff.pdu)
    session = WorkSession.objects.create(
        project=site, date=date(2026, 11, 16), starts_at=time(9), ends_at=time(16)
    )
    bookings = []
    for first, last in (("Ada", "Brook"), ("Ben", "Carr")):
        person = PersonFactory(
            team=coordinator.staff.team, pdu=coordinator.staff.pdu, first_name=first, last_name=last
        )
        order = upw_order(person)
        bookings.append(services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk))
    return session, bookings


def _row(booking: Booking, **fields: str) -> dict[str, Any]:
    values = {
        "outcome": "ATTENDED_COMPLIED",
        "arrived_at": "09:00",
        "left_at": "16:00",
        "penalty_minutes": "0",
        "version": str(booking.version),
    } | fields
    return {f"b{booking.pk}-{k}": v for k, v in values.items()}


def test_one_bad_row_saves_nothing_and_one_summary_names_every_problem(
    coordinator: Any, client_for: Any
) -> None:
    session, (ada, ben) = _register(coordinator)
    client = client_for(coordinator)
    response = client.post(
        f"/unpaid-work/sessions/{session.pk}/",
        {"record": "1"}
        | _row(ada, outcome="UNACCEPTABLE_ABSENCE", arrived_at="", left_at="")  # notes missing
        | _row(ben, arrived_at="15:00", left_at="09:00"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('class="govuk-error-summary"') == 1
    assert "nothing in the register was saved" in page
    assert re.search(rf'href="#id_b{ada.pk}-notes">Ada Brook: Describe what happened', page)
    assert re.search(
        rf'href="#id_b{ben.pk}-left_at">Ben Carr: The end time must be after the start time', page
    )
    for booking in (ada, ben):
        booking.refresh_from_db()
        assert booking.outcome == "" and booking.version == 1


def test_a_valid_row_is_not_saved_when_another_row_is_refused_by_the_service(
    coordinator: Any, client_for: Any
) -> None:
    """Proved able to fail: removing the transaction around ``services.record_register``
    (each row then commits on its own, as the register used to) leaves Ada's attendance
    saved and turns this test red."""
    session, (ada, ben) = _register(coordinator)
    response = client_for(coordinator).post(
        f"/unpaid-work/sessions/{session.pk}/",
        {"record": "1"} | _row(ada) | _row(ben, penalty_minutes="500"),
    )
    assert response.status_code == 400
    assert "Ben Carr: Penalty time cannot be negative" in response.content.decode()
    ada.refresh_from_db()
    assert ada.outcome == "" and ada.credited_minutes == 0
    assert not Appointment.objects.filter(upw_booking=ada, outcome__gt="").exists()


def test_the_corrected_register_saves_every_row_once_without_a_stale_record_error(
    coordinator: Any, client_for: Any
) -> None:
    """The first submission is refused whole, so the versions on the page are still
    current: the corrected form goes through. Each booking and its appointment are
    written once."""
    session, (ada, ben) = _register(coordinator)
    client = client_for(coordinator)
    url = f"/unpaid-work/sessions/{session.pk}/"
    bad = client.post(url, {"record": "1"} | _row(ada) | _row(ben, left_at="08:00"))
    assert bad.status_code == 400
    good = client.post(url, {"record": "1"} | _row(ada) | _row(ben, left_at="15:00"))
    assert good.status_code == 302
    ada.refresh_from_db()
    ben.refresh_from_db()
    assert (ada.credited_minutes, ben.credited_minutes) == (420, 360)
    assert ada.version == ben.version == 2
    for booking in (ada, ben):
        appointment = Appointment.objects.get(upw_booking=booking)
        assert appointment.outcome == "ATTENDED_COMPLIED" and appointment.version == 2


def test_the_register_through_the_api_is_whole_or_nothing_with_each_row_named(
    coordinator: Any, client_for: Any
) -> None:
    session, (ada, ben) = _register(coordinator)
    client = client_for(coordinator)
    url = f"/api/v1/unpaid-work/sessions/{session.pk}/register"
    rows = [
        {"booking_id": ada.pk, "outcome": "ATTENDED_COMPLIED", "arrived_at": "09:00", "left_at": "16:00"},
        {"booking_id": ben.pk, "outcome": "ATTENDED_COMPLIED", "arrived_at": "15:00", "left_at": "09:00"},
    ]
    for row in rows:
        row["version"] = 1
    refused = client.post(url, {"rows": rows}, content_type="application/json")
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json()["errors"]] == ["rows.1.left_at"]
    ada.refresh_from_db()
    assert ada.outcome == ""
    rows[1]["arrived_at"], rows[1]["left_at"] = "09:00", "15:00"
    saved = client.post(url, {"rows": rows}, content_type="application/json")
    assert saved.status_code == 200
    assert [b["credited_minutes"] for b in saved.json()] == [420, 360]
    twice = client.post(url, {"rows": [rows[0], rows[0]]}, content_type="application/json")
    assert twice.status_code == 422 and "only once" in twice.json()["detail"]
