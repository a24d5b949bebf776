"""Unpaid Work hours add up (ADR 0014): ETE credit stops at the allowance, travel credited
reduces the hours left as work does, and work, ETE and travel together never pass the
hours the court ordered. Each rule is tested at its boundary."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.roles import Role
from people.tests.factories import PersonFactory
from unpaid_work import planning, selectors, services
from unpaid_work.models import Booking, UnpaidWorkOrder, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# The Friday after the sessions below (Monday 16 to Wednesday 18 November 2026).
FRIDAY = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(FRIDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def _session(day: date, **project_fields: Any) -> WorkSession:
    site = project(**project_fields)
    return WorkSession.objects.create(project=site, date=day, starts_at=time(9), ends_at=time(16))


def _attend(coordinator: Any, booking: Booking, left_at: time) -> Booking:
    return services.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="ATTENDED_COMPLIED",
        arrived_at=time(9),
        left_at=left_at,
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )


def test_ete_credit_up_to_the_allowance_is_accepted_and_one_minute_more_refused(coordinator: Any) -> None:
    """40 hours ordered: the ETE allowance is 30%, 12 hours (720 minutes)."""
    order = upw_order(PersonFactory(), hours=40)
    monday = _session(date(2026, 11, 16), type="ETE", name="Skills Monday")
    tuesday = _session(date(2026, 11, 17), type="ETE", name="Skills Tuesday")
    first = services.book(acting_user=coordinator, session_id=monday.pk, order_id=order.pk, is_ete=True)
    second = services.book(acting_user=coordinator, session_id=tuesday.pk, order_id=order.pk, is_ete=True)
    assert _attend(coordinator, first, time(16)).credited_minutes == 420
    with pytest.raises(ValidationError) as refused:
        _attend(coordinator, second, time(14, 1))  # 301 minutes: one over the 300 left
    assert (
        "only 5 hours of their ETE allowance (12 hours) is left" in refused.value.message_dict["left_at"][0]
    )
    second.refresh_from_db()
    assert second.outcome == "" and second.credited_minutes == 0  # nothing saved
    assert _attend(coordinator, second, time(14)).credited_minutes == 300  # exactly the allowance
    # Re-recording a session counts its own earlier credit as available again.
    assert _attend(coordinator, second, time(14)).credited_minutes == 300


def test_work_on_an_ete_booking_is_not_limited_once_it_is_not_ete(coordinator: Any) -> None:
    """The allowance limits ETE sessions only: ordinary work is credited as usual."""
    order = upw_order(PersonFactory(), hours=40)
    Booking.objects.create(
        session=_session(date(2026, 11, 16), type="ETE", name="Skills"),
        order=order,
        is_ete=True,
        outcome="ATTENDED_COMPLIED",
        credited_minutes=720,
    )
    work = services.book(
        acting_user=coordinator, session_id=_session(date(2026, 11, 17)).pk, order_id=order.pk
    )
    assert _attend(coordinator, work, time(16)).credited_minutes == 420


def test_travel_credited_reduces_the_hours_left_everywhere_they_are_shown(coordinator: Any) -> None:
    order = upw_order(PersonFactory(), hours=40)
    services.add_adjustment(acting_user=coordinator, order_id=order.pk, minutes=120, reason="TRAVEL_TIME")
    assert selectors.remaining(order) == 2400 - 120
    services.add_adjustment(
        acting_user=coordinator, order_id=order.pk, minutes=60, reason="OTHER", note="Added by the court"
    )
    assert selectors.remaining(order) == 2400 - 120 + 60
    summary = selectors.summarise(order, date(2026, 11, 20))
    assert summary.remaining == 2400 - 120 + 60 and summary.adjusted == -60 and summary.travel == 120
    states = {s.order.pk: s for s in planning._order_states(order.person.pdu, date(2026, 11, 23))}
    assert states[order.pk].remaining == 2400 - 120 + 60


def test_work_and_travel_together_reach_the_hours_ordered_and_never_pass_them(coordinator: Any) -> None:
    order = upw_order(PersonFactory(), hours=40)
    Booking.objects.create(
        session=_session(date(2026, 11, 16)), order=order, outcome="ATTENDED_COMPLIED", credited_minutes=2281
    )
    assert selectors.remaining(order) == 119
    with pytest.raises(ValidationError, match="beyond the hours the court ordered"):
        services.add_adjustment(acting_user=coordinator, order_id=order.pk, minutes=120, reason="TRAVEL_TIME")
    services.add_adjustment(acting_user=coordinator, order_id=order.pk, minutes=119, reason="TRAVEL_TIME")
    assert selectors.remaining(order) == 0  # 2281 worked + 119 travel == 2400 ordered
    with pytest.raises(ValidationError, match="Only 0 minutes of the order is left"):
        services.add_adjustment(acting_user=coordinator, order_id=order.pk, minutes=1, reason="TRAVEL_TIME")


def test_work_credit_stops_at_the_hours_left_after_travel(coordinator: Any) -> None:
    """The last session credits only what is left once travel is counted: work, ETE and
    travel together equal the hours ordered, never more."""
    order = upw_order(PersonFactory(), hours=40)
    Booking.objects.create(
        session=_session(date(2026, 11, 16), name="Earlier"),
        order=order,
        outcome="ATTENDED_COMPLIED",
        credited_minutes=2000,
    )
    services.add_adjustment(acting_user=coordinator, order_id=order.pk, minutes=100, reason="TRAVEL_TIME")
    last = services.book(
        acting_user=coordinator, session_id=_session(date(2026, 11, 17)).pk, order_id=order.pk
    )
    assert _attend(coordinator, last, time(16)).credited_minutes == 300  # 2400 - 2000 - 100
    assert selectors.remaining(order) == 0
    assert (
        selectors.minutes_credited(order) + 100 == UnpaidWorkOrder.objects.get(pk=order.pk).required_minutes
    )
