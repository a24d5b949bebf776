from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from people.tests.factories import PersonFactory
from risk import services as risk
from supervision.models import Appointment
from supervision.selectors import enforcement_options_for
from unpaid_work import selectors, services
from unpaid_work.constants import ManagedBy, NominationStatus
from unpaid_work.models import Booking, UnpaidWorkOrder, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def _session(coordinator: Any, **project_fields: Any) -> WorkSession:
    p = project(**project_fields)
    services.generate_sessions(
        acting_user=coordinator, project_id=p.pk, start=date(2026, 11, 16), end=date(2026, 11, 16)
    )
    return p.sessions.get()


def test_an_unpaid_work_only_order_is_managed_by_the_unpaid_work_team() -> None:
    assert upw_order(PersonFactory(), only_upw=True).managed_by == ManagedBy.UNPAID_WORK_TEAM
    assert upw_order(PersonFactory(), only_upw=False).managed_by == ManagedBy.PRACTITIONER


def test_sessions_follow_the_pattern_and_skip_bank_holidays(coordinator: Any) -> None:
    p = project(weekdays=[0, 4])  # Mondays and Fridays
    created = services.generate_sessions(
        acting_user=coordinator, project_id=p.pk, start=date(2026, 12, 21), end=date(2027, 1, 4)
    )
    assert [s.date for s in created] == [
        date(2026, 12, 21),
        date(2027, 1, 4),
    ]  # 25 Dec and 1 Jan are bank holidays
    again = services.generate_sessions(
        acting_user=coordinator, project_id=p.pk, start=date(2026, 12, 21), end=date(2027, 1, 4)
    )
    assert again == []


def test_capacity_is_the_smaller_of_places_and_supervision(coordinator: Any, make_user: Any) -> None:
    session = _session(coordinator, capacity=3, people_per_supervisor=2)
    supervisor = make_user(Role.UNPAID_WORK).staff
    session.supervisors.add(supervisor)
    orders = [upw_order(PersonFactory()) for _ in range(3)]
    services.book(acting_user=coordinator, session_id=session.pk, order_id=orders[0].pk)
    services.book(acting_user=coordinator, session_id=session.pk, order_id=orders[1].pk)
    with pytest.raises(ValidationError, match="full"):
        services.book(acting_user=coordinator, session_id=session.pk, order_id=orders[2].pk)


@pytest.mark.parametrize(
    ("person", "order_fields", "project_fields", "problem"),
    [
        ({"sex": "MALE"}, {}, {"women_only": True}, "women only"),
        ({"sex": "MALE"}, {"available_weekdays": [2, 3]}, {}, "not available"),
        ({"sex": "MALE"}, {"needs_accessible_placement": True}, {"accessible": False}, "not accessible"),
    ],
)
def test_suitability_rules(
    coordinator: Any,
    person: dict[str, str],
    order_fields: dict[str, Any],
    project_fields: dict[str, Any],
    problem: str,
) -> None:
    session = _session(coordinator, **project_fields)  # 16 Nov 2026 is a Monday
    order = upw_order(PersonFactory(**person))
    order.__class__.objects.filter(pk=order.pk).update(**order_fields)
    with pytest.raises(ValidationError, match=problem):
        services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)


def test_child_safeguarding_registrations_keep_people_off_projects_with_children(coordinator: Any) -> None:
    session = _session(coordinator, involves_children=True)
    person = PersonFactory()
    order = upw_order(person)
    risk.add_registration(
        acting_user=None, person=person, type="CHILD_PROTECTION", starts_on=date(2026, 9, 1)
    )
    with pytest.raises(ValidationError, match="safeguarding"):
        services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)


def test_a_womans_choice_not_to_join_an_all_male_group(coordinator: Any) -> None:
    session = _session(coordinator)
    services.book(
        acting_user=coordinator, session_id=session.pk, order_id=upw_order(PersonFactory(sex="MALE")).pk
    )
    woman = upw_order(PersonFactory(sex="FEMALE"))
    services.update_assessment(
        acting_user=coordinator,
        order_id=woman.pk,
        expected_version=UnpaidWorkOrder.objects.get(pk=woman.pk).version,
        no_all_male_group=True,
    )
    with pytest.raises(ValidationError, match="all-male"):
        services.book(acting_user=coordinator, session_id=session.pk, order_id=woman.pk)
    with pytest.raises(ValidationError):
        services.update_assessment(
            acting_user=coordinator,
            order_id=upw_order(PersonFactory(sex="MALE")).pk,
            expected_version=UnpaidWorkOrder.objects.get(pk=upw_order(PersonFactory(sex="MALE")).pk).version,
            no_all_male_group=True,
        )


def test_attendance_credits_time_and_never_more_than_remains(coordinator: Any) -> None:
    session = _session(coordinator)
    order = upw_order(PersonFactory(), hours=40)
    booking = services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)
    recorded = services.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="ATTENDED_COMPLIED",
        arrived_at=time(9),
        left_at=time(16),
        penalty_minutes=20,
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )
    assert recorded.credited_minutes == 400
    assert selectors.remaining(order) == 40 * 60 - 400
    order.requirement.refresh_from_db()
    assert order.requirement.progress == 6  # whole hours worked


def test_an_enforceable_outcome_goes_to_the_practitioner_for_a_warning_or_breach(
    coordinator: Any, make_user: Any
) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team, practitioner=practitioner.staff)
    session = _session(coordinator)
    booking = services.book(acting_user=coordinator, session_id=session.pk, order_id=upw_order(person).pk)
    with pytest.raises(ValidationError, match="notes"):
        services.record_attendance(
            acting_user=coordinator,
            booking_id=booking.pk,
            outcome="UNACCEPTABLE_ABSENCE",
            expected_version=Booking.objects.get(pk=booking.pk).version,
        )
    services.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="UNACCEPTABLE_ABSENCE",
        notes="Did not turn up",
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )
    appointment = Appointment.objects.get(person=person, type="UNPAID_WORK")
    assert appointment.outcome == "UNACCEPTABLE_ABSENCE"
    assert enforcement_options_for(appointment).may_warn


def test_nominations_are_rate_limited_and_declines_need_a_reason(coordinator: Any) -> None:
    fields = {
        "nominator_name": "Sam",
        "email": "sam@example.org",
        "description": "Clear the allotments",
        "address": "1 Road",
        "postcode": "ng7 2rd",
    }
    for _ in range(services.NOMINATIONS_PER_ADDRESS_PER_DAY):
        nomination = services.submit_nomination(client_ip="203.0.113.9", **fields)
    with pytest.raises(TransitionNotAllowed):
        services.submit_nomination(client_ip="203.0.113.9", **fields)
    with pytest.raises(ValidationError):
        services.decline_nomination(acting_user=coordinator, nomination_id=nomination.pk, reason=" ")
    declined = services.decline_nomination(
        acting_user=coordinator, nomination_id=nomination.pk, reason="Would replace paid work"
    )
    assert declined.status == NominationStatus.DECLINED


def test_accepting_a_nomination_creates_the_project(coordinator: Any) -> None:
    nomination = services.submit_nomination(
        client_ip=None,
        nominator_name="Ann",
        email="ann@example.org",
        description="Paint the hall",
        address="Hall",
        postcode="NG5 1AA",
    )
    p = project(name="x")  # for the field set only
    fields = {
        k: getattr(p, k)
        for k in (
            "pdu",
            "type",
            "beneficiary",
            "address",
            "postcode",
            "weekdays",
            "starts_at",
            "ends_at",
            "capacity",
            "start_date",
        )
    }
    created = services.create_project(
        acting_user=coordinator, nomination_id=nomination.pk, name="Community hall", **fields
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ACCEPTED and created.nomination == nomination
    with pytest.raises(TransitionNotAllowed):
        services.decline_nomination(acting_user=coordinator, nomination_id=nomination.pk, reason="late")


def test_a_placement_over_90_minutes_away_is_refused(coordinator: Any) -> None:
    near = _session(coordinator, postcode="NG7 4EP")
    far = project(name="Leeds project", postcode="LS1 4DY")
    services.generate_sessions(
        acting_user=coordinator, project_id=far.pk, start=date(2026, 11, 16), end=date(2026, 11, 16)
    )
    order = upw_order(PersonFactory())
    services.update_assessment(
        acting_user=coordinator,
        order_id=order.pk,
        expected_version=UnpaidWorkOrder.objects.get(pk=order.pk).version,
        home_postcode="NG1 1AA",
        travel_mode="PUBLIC_TRANSPORT",
    )
    booking = services.book(acting_user=coordinator, session_id=near.pk, order_id=order.pk)
    assert booking.travel_minutes is not None and booking.travel_minutes < 90
    with pytest.raises(ValidationError, match="over the 90-minute limit"):
        services.book(acting_user=coordinator, session_id=far.sessions.get().pk, order_id=order.pk)
