"""Warnings are counted per order (Sentencing Act 2020 Sch 10 para 6(2), Sch 16 para 6(2)).

A person serving two orders at once: a warning on order A makes breach mandatory
for a further failure on A within 12 months, but not for a failure on order B.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import selectors, services
from supervision.constants import AppointmentOutcome, AppointmentType, EnforcementDecision
from supervision.models import Appointment, Warning
from supervision.rules import enforcement_options

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
WARNED_ON = date(2025, 9, 2)


def _failure(case: dict[str, Any], event: Any, when: datetime) -> Appointment:
    appointment = services.book_appointment(
        acting_user=case["user"],
        person=case["person"],
        event=event,
        type=AppointmentType.SUPERVISION,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        practitioner=case["user"].staff,
    )
    return services.record_outcome(
        acting_user=case["user"],
        appointment_id=appointment.pk,
        outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        notes="Did not attend; no contact",
        expected_version=Appointment.objects.get(pk=appointment.pk).version,
    )


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    """Two concurrent community orders; a warning on order A given on 2 September 2025."""
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    case = {"user": user, "person": person}
    case["a"] = community_order(person, sentenced_on=date(2025, 6, 2))
    case["b"] = community_order(person, sentenced_on=date(2025, 6, 9))
    first = _failure(case, case["a"], datetime(2025, 9, 1, 10, tzinfo=LONDON))
    services.take_enforcement_action(
        acting_user=user,
        appointment_id=first.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="Missed the appointment",
        on=WARNED_ON,
    )
    return case


def test_the_pure_rule_counts_only_the_warnings_it_is_given() -> None:
    """The rule is handed one order's warnings: none given means a warning is still possible."""
    decided = date(2026, 9, 1)
    assert enforcement_options(decided, [WARNED_ON]).must_breach
    assert enforcement_options(decided, []).may_warn


@time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=LONDON), tick=False)
def test_a_warning_on_one_order_does_not_force_breach_on_another(case: dict[str, Any]) -> None:
    """11 months 30 days after a warning on order A: A must go to breach, B may still be warned.

    Proved able to fail: counting every warning of the person (``Warning.objects.filter(
    person=...)`` in ``enforcement_options_for``) turns the order B assertions red.
    """
    on_a = _failure(case, case["a"], datetime(2026, 8, 31, 10, tzinfo=LONDON))
    on_b = _failure(case, case["b"], datetime(2026, 8, 31, 11, tzinfo=LONDON))

    a_options = selectors.enforcement_options_for(on_a)
    assert a_options.must_breach and not a_options.may_warn and a_options.live_warning == WARNED_ON
    b_options = selectors.enforcement_options_for(on_b)
    assert b_options.may_warn and not b_options.must_breach and b_options.live_warning is None

    with pytest.raises(TransitionNotAllowed, match="breach action must be taken"):
        services.take_enforcement_action(
            acting_user=case["user"],
            appointment_id=on_a.pk,
            decision=EnforcementDecision.WARNING,
            circumstances="Second failure",
        )
    warning = services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=on_b.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="First failure on this order",
    )
    assert isinstance(warning, Warning) and warning.event == case["b"]


@time_machine.travel(datetime(2026, 9, 2, 12, tzinfo=LONDON), tick=False)
def test_at_exactly_twelve_months_the_warning_on_the_same_order_has_lapsed(case: dict[str, Any]) -> None:
    """On the anniversary of the warning the previous twelve months no longer include it."""
    on_a = _failure(case, case["a"], datetime(2026, 9, 1, 10, tzinfo=LONDON))
    on_b = _failure(case, case["b"], datetime(2026, 9, 1, 11, tzinfo=LONDON))
    assert selectors.enforcement_options_for(on_a).may_warn
    assert selectors.enforcement_options_for(on_b).may_warn


def test_the_options_page_and_api_say_it_is_this_order(case: dict[str, Any], client_for: Any) -> None:
    """The explanation names the order so the practitioner knows why breach is mandatory."""
    with time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=LONDON), tick=False):
        on_a = _failure(case, case["a"], datetime(2026, 8, 31, 10, tzinfo=LONDON))
        response = client_for(case["user"]).get(
            f"/api/v1/people/{case['person'].crn}/appointments/{on_a.pk}/enforcement"
        )
    body = response.json()
    assert body["must_breach"] is True and "on this order" in body["explanation"]
