"""An appointment that can be enforced is tied to the order (event) it enforces, so an
unlinked appointment can never swallow a failure; and an absence reason never sits on
an outcome other than an acceptable absence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.roles import Role
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType
from supervision.models import Appointment
from unpaid_work import services as upw
from unpaid_work.models import Booking
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    return {"user": user, "person": person}


def _book(case: dict[str, Any], event: Any = None, days_ago: int = 2) -> Appointment:
    start = timezone.now() - timedelta(days=days_ago)
    return services.book_appointment(
        acting_user=case["user"],
        person=case["person"],
        event=event,
        type=AppointmentType.SUPERVISION,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        practitioner=case["user"].staff,
    )


def test_with_exactly_one_live_event_the_appointment_is_linked_to_it(case: dict[str, Any]) -> None:
    event = community_order(case["person"], sentenced_on=date(2026, 1, 5))
    assert _book(case).event == event


def test_with_no_live_event_the_appointment_stands_alone(case: dict[str, Any]) -> None:
    assert _book(case).event is None


def test_with_two_live_events_the_event_must_be_chosen(case: dict[str, Any]) -> None:
    """Proved able to fail: returning ``chosen`` unconditionally from
    ``services.event_for_appointment`` turns this red."""
    community_order(case["person"], sentenced_on=date(2026, 1, 5))
    second = community_order(case["person"], sentenced_on=date(2026, 2, 2))
    with pytest.raises(ValidationError) as error:
        _book(case)
    assert "more than one" in error.value.message_dict["event"][0]
    assert _book(case, event=second).event == second


def test_the_booking_page_names_the_event_field(case: dict[str, Any], client_for: Any) -> None:
    community_order(case["person"], sentenced_on=date(2026, 1, 5))
    community_order(case["person"], sentenced_on=date(2026, 2, 2))
    day = timezone.localdate() + timedelta(days=3)
    response = client_for(case["user"]).post(
        f"/cases/{case['person'].crn}/appointments/new/",
        {
            "type": "SUPERVISION",
            "day": day.strftime("%d/%m/%Y"),
            "time": "10:00",
            "duration": "60",
            "practitioner": str(case["user"].staff_id),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert 'href="#id_event"' in page and "Choose the sentence this appointment is for" in page
    assert not Appointment.objects.exists()


def test_the_booking_page_offers_only_the_live_event_when_there_is_one(
    case: dict[str, Any], client_for: Any
) -> None:
    event = community_order(case["person"], sentenced_on=date(2026, 1, 5))
    page = client_for(case["user"]).get(f"/cases/{case['person'].crn}/appointments/new/").content.decode()
    assert "Not linked to a sentence" not in page and f'value="{event.pk}"' in page


def test_the_api_refuses_a_booking_without_event_id_when_two_are_live(
    case: dict[str, Any], client_for: Any
) -> None:
    community_order(case["person"], sentenced_on=date(2026, 1, 5))
    community_order(case["person"], sentenced_on=date(2026, 2, 2))
    start = timezone.now() + timedelta(days=1)
    response = client_for(case["user"]).post(
        f"/api/v1/people/{case['person'].crn}/appointments",
        {
            "type": "SUPERVISION",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "practitioner_id": case["user"].staff_id,
        },
        content_type=JSON,
    )
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "event_id"


def test_an_unlinked_failure_is_linked_to_the_only_live_event(case: dict[str, Any]) -> None:
    """An appointment booked before the person's sentence is linked when it becomes a failure."""
    unlinked = _book(case)
    event = community_order(case["person"], sentenced_on=date(2026, 1, 5))
    failed = services.record_outcome(
        acting_user=case["user"],
        appointment_id=unlinked.pk,
        outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        notes="No show",
        expected_version=Appointment.objects.get(pk=unlinked.pk).version,
    )
    assert failed.event == event


def test_an_unlinked_failure_with_two_live_events_is_refused(case: dict[str, Any]) -> None:
    """Proved able to fail: removing the link step in ``record_outcome`` records the failure
    without an order, and this turns red."""
    unlinked = _book(case)
    community_order(case["person"], sentenced_on=date(2026, 1, 5))
    community_order(case["person"], sentenced_on=date(2026, 2, 2))
    with pytest.raises(ValidationError, match="Choose the sentence this failure"):
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=unlinked.pk,
            outcome=AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY,
            notes="Abusive to staff",
            expected_version=Appointment.objects.get(pk=unlinked.pk).version,
        )
    unlinked.refresh_from_db()
    assert unlinked.outcome == ""
    # An outcome that cannot be enforced needs no order.
    services.record_outcome(
        acting_user=case["user"],
        appointment_id=unlinked.pk,
        outcome=AppointmentOutcome.ATTENDED_COMPLIED,
        expected_version=Appointment.objects.get(pk=unlinked.pk).version,
    )


def test_an_unlinked_failure_is_recorded_against_the_sentence_chosen(
    case: dict[str, Any], client_for: Any
) -> None:
    """With two live orders the outcome page asks which one; the API takes ``event_id``.
    A sentence the person is not serving is refused and nothing is recorded."""
    unlinked = _book(case)
    first = community_order(case["person"], sentenced_on=date(2026, 1, 5))
    second = community_order(case["person"], sentenced_on=date(2026, 2, 2))
    client = client_for(case["user"])
    url = f"/cases/{case['person'].crn}/appointments/{unlinked.pk}/outcome/"
    assert 'name="event"' in client.get(url).content.decode()
    other = community_order(PersonFactory(), sentenced_on=date(2026, 1, 5))
    refused = client.post(
        f"/api/v1/people/{case['person'].crn}/appointments/{unlinked.pk}/outcome",
        {"outcome": "UNACCEPTABLE_ABSENCE", "notes": "No show", "version": 1, "event_id": other.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "event"
    page = client.post(
        url, {"outcome": "UNACCEPTABLE_ABSENCE", "notes": "No show", "version": "1", "event": second.pk}
    )
    assert page.status_code == 302
    unlinked.refresh_from_db()
    assert unlinked.event == second and unlinked.outcome == "UNACCEPTABLE_ABSENCE" and first != second


def test_a_failure_with_no_order_to_enforce_is_refused(case: dict[str, Any]) -> None:
    unlinked = _book(case)
    with pytest.raises(ValidationError, match="no order"):
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=unlinked.pk,
            outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
            notes="No show",
            expected_version=Appointment.objects.get(pk=unlinked.pk).version,
        )


@pytest.mark.parametrize(
    "outcome",
    [
        AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY,
        AppointmentOutcome.ATTENDED_COMPLIED,
    ],
)
def test_an_absence_reason_is_refused_with_any_other_outcome(case: dict[str, Any], outcome: str) -> None:
    """Proved able to fail: going back to silently dropping the reason turns this red."""
    appointment = _book(case, event=community_order(case["person"], sentenced_on=date(2026, 1, 5)))
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=appointment.pk,
            outcome=outcome,
            notes="No show",
            absence_reason="MEDICAL",
            expected_version=Appointment.objects.get(pk=appointment.pk).version,
        )
    assert "Only an acceptable absence has a reason" in error.value.message_dict["absence_reason"][0]


def test_an_acceptable_absence_keeps_its_reason(case: dict[str, Any]) -> None:
    appointment = _book(case)
    recorded = services.record_outcome(
        acting_user=case["user"],
        appointment_id=appointment.pk,
        outcome=AppointmentOutcome.ACCEPTABLE_ABSENCE,
        absence_reason="MEDICAL",
        expected_version=Appointment.objects.get(pk=appointment.pk).version,
    )
    assert recorded.absence_reason == "MEDICAL"


def test_the_database_refuses_a_reason_on_an_unacceptable_absence(case: dict[str, Any]) -> None:
    appointment = _book(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=appointment.pk).update(
            outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE, absence_reason="MEDICAL"
        )


def test_the_api_and_page_refuse_a_reason_on_an_unacceptable_absence(
    case: dict[str, Any], client_for: Any
) -> None:
    appointment = _book(case, event=community_order(case["person"], sentenced_on=date(2026, 1, 5)))
    client = client_for(case["user"])
    crn = case["person"].crn
    response = client.post(
        f"/api/v1/people/{crn}/appointments/{appointment.pk}/outcome",
        {"outcome": "UNACCEPTABLE_ABSENCE", "absence_reason": "MEDICAL", "notes": "No show", "version": 1},
        content_type=JSON,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "absence_reason"
    page = client.post(
        f"/cases/{crn}/appointments/{appointment.pk}/outcome/",
        {"outcome": "UNACCEPTABLE_ABSENCE", "absence_reason": "MEDICAL", "notes": "No show", "version": "1"},
    )
    assert page.status_code == 400 and 'href="#id_absence_reason"' in page.content.decode()
    appointment.refresh_from_db()
    assert appointment.outcome == "" and appointment.absence_reason == ""


def test_an_unpaid_work_failure_is_tied_to_the_order_it_was_booked_for(make_user: Any) -> None:
    """A person on two orders with unpaid work: a session missed on the second order is
    enforced against the second order, whose warnings alone count."""

    coordinator = make_user(Role.UNPAID_WORK)
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team, practitioner=practitioner.staff)
    upw_order(person, sentenced_on=date(2026, 9, 7))
    second = upw_order(person, sentenced_on=date(2026, 9, 14))
    site = project()
    day = date(2026, 11, 16)
    upw.generate_sessions(acting_user=coordinator, project_id=site.pk, start=day, end=day)
    booking = upw.book(acting_user=coordinator, session_id=site.sessions.get().pk, order_id=second.pk)
    upw.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="UNACCEPTABLE_ABSENCE",
        notes="No show",
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )
    failed = Appointment.objects.get(person=person, type="UNPAID_WORK")
    assert failed.event == second.requirement.sentence.event
