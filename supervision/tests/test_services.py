from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import StaleRecord, TransitionNotAllowed
from core.roles import Role
from organisation.tests.factories import StaffFactory, TeamFactory
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import selectors, services
from supervision.constants import (
    AppointmentOutcome,
    AppointmentType,
    BreachStatus,
    CourtOutcome,
    EnforcementDecision,
    TransferReason,
)
from supervision.models import Allocation, Breach, Warning

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team, practitioner=practitioner.staff)
    event = community_order(person, sentenced_on=date(2025, 6, 2))
    return {"user": practitioner, "person": person, "event": event}


def _failed(case: dict[str, Any], when: datetime) -> Any:
    appointment = services.book_appointment(
        acting_user=case["user"],
        person=case["person"],
        event=case["event"],
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
        expected_version=1,
    )


def test_first_failure_may_be_warned_and_a_second_within_12_months_must_be_breached(
    case: dict[str, Any],
) -> None:
    first = _failed(case, datetime(2025, 9, 1, 10, tzinfo=LONDON))
    services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=first.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="Missed appointment",
        on=date(2025, 9, 2),
    )
    second = _failed(case, datetime(2026, 9, 1, 10, tzinfo=LONDON))  # 364 days after the warning
    options = selectors.enforcement_options_for(second, date(2026, 9, 1))
    assert options.must_breach and not options.may_warn
    with pytest.raises(TransitionNotAllowed, match="breach action must be taken"):
        services.take_enforcement_action(
            acting_user=case["user"],
            appointment_id=second.pk,
            decision=EnforcementDecision.WARNING,
            circumstances="x",
            on=date(2026, 9, 1),
        )
    breach = services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=second.pk,
        decision=EnforcementDecision.BREACH,
        circumstances="Second failure",
        on=date(2026, 9, 1),
    )
    assert breach.status == BreachStatus.REQUESTED and breach.aware_on == date(2026, 9, 1)


def test_a_failure_on_the_warnings_anniversary_may_be_warned_again(case: dict[str, Any]) -> None:
    first = _failed(case, datetime(2025, 9, 1, 10, tzinfo=LONDON))
    services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=first.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="x",
        on=date(2025, 9, 2),
    )
    later = _failed(case, datetime(2026, 9, 2, 10, tzinfo=LONDON))
    assert selectors.enforcement_options_for(later, date(2026, 9, 2)).may_warn
    services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=later.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="x",
    )
    assert Warning.objects.count() == 2


def test_outcomes_are_validated(case: dict[str, Any]) -> None:
    future = timezone.now() + timedelta(days=3)
    appointment = services.book_appointment(
        acting_user=case["user"],
        person=case["person"],
        event=case["event"],
        type=AppointmentType.SUPERVISION,
        starts_at=future,
        ends_at=future + timedelta(hours=1),
        practitioner=case["user"].staff,
    )
    with pytest.raises(ValidationError, match="future"):
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=appointment.pk,
            outcome=AppointmentOutcome.ATTENDED_COMPLIED,
            expected_version=1,
        )
    past = _failed(case, datetime(2026, 1, 5, 10, tzinfo=LONDON))
    with pytest.raises(ValidationError, match="acceptable"):
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=past.pk,
            outcome=AppointmentOutcome.ACCEPTABLE_ABSENCE,
            expected_version=2,
        )
    with pytest.raises(TransitionNotAllowed):
        services.take_enforcement_action(
            acting_user=case["user"],
            appointment_id=services.record_outcome(
                acting_user=case["user"],
                appointment_id=past.pk,
                outcome=AppointmentOutcome.ACCEPTABLE_ABSENCE,
                absence_reason="MEDICAL",
                expected_version=2,
            ).pk,
            decision=EnforcementDecision.WARNING,
            circumstances="x",
        )


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([BreachStatus.ACTIONED, BreachStatus.PRESENTED, BreachStatus.CONCLUDED], True),
        ([BreachStatus.PRESENTED], False),
        ([BreachStatus.ACTIONED, BreachStatus.CONCLUDED], False),
        ([BreachStatus.WITHDRAWN, BreachStatus.ACTIONED], False),
    ],
)
def test_breach_lifecycle_transitions(case: dict[str, Any], path: list[BreachStatus], allowed: bool) -> None:
    failure = _failed(case, datetime(2026, 1, 5, 10, tzinfo=LONDON))
    breach = services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=failure.pk,
        decision=EnforcementDecision.BREACH,
        circumstances="x",
        on=date(2026, 1, 6),
    )

    def step(status: BreachStatus) -> None:
        services.advance_breach(
            acting_user=case["user"],
            breach_id=breach.pk,
            to=status,
            on=date(2026, 1, 12),
            expected_version=Breach.objects.get(pk=breach.pk).version,
            court_outcome=CourtOutcome.FINE,
            withdrawn_reason="Sent in error",
        )

    if allowed:
        for status in path:
            step(status)
    else:
        with pytest.raises(TransitionNotAllowed):
            for status in path:
                step(status)


def test_transfers_keep_history(case: dict[str, Any]) -> None:
    other_team = TeamFactory()
    other = StaffFactory(team=other_team, pdu=other_team.pdu)
    first_team = case["person"].team
    services.allocate(
        acting_user=case["user"],
        person=case["person"],
        team=first_team,
        practitioner=case["user"].staff,
        reason=TransferReason.INITIAL,
        expected_version=case["person"].version,
    )
    services.allocate(
        acting_user=case["user"],
        person=case["person"],
        team=other_team,
        practitioner=other,
        reason=TransferReason.MOVED_ADDRESS,
        expected_version=case["person"].version,
    )
    history = list(Allocation.objects.filter(person=case["person"]).order_by("started_at"))
    assert len(history) == 2 and history[0].ended_at is not None and history[1].ended_at is None
    case["person"].refresh_from_db()
    assert case["person"].pdu == other_team.pdu and case["person"].practitioner == other
    with pytest.raises(ValidationError):
        services.allocate(
            acting_user=case["user"],
            person=case["person"],
            team=first_team,
            practitioner=other,
            reason=TransferReason.OTHER,
            expected_version=case["person"].version,
        )


def test_rar_progress_counts_attended_activity_days(case: dict[str, Any]) -> None:
    rar = case["event"].sentence.requirements.get(type="RAR")
    for day, outcome in (
        (5, AppointmentOutcome.ATTENDED_COMPLIED),
        (6, AppointmentOutcome.UNACCEPTABLE_ABSENCE),
        (7, AppointmentOutcome.ATTENDED_COMPLIED),
    ):
        when = datetime(2026, 1, day, 10, tzinfo=LONDON)
        appointment = services.book_appointment(
            acting_user=case["user"],
            person=case["person"],
            event=case["event"],
            type=AppointmentType.RAR_ACTIVITY,
            starts_at=when,
            ends_at=when + timedelta(hours=2),
            practitioner=case["user"].staff,
        )
        services.record_outcome(
            acting_user=case["user"],
            appointment_id=appointment.pk,
            outcome=outcome,
            notes="n",
            expected_version=1,
        )
    rar.refresh_from_db()
    assert rar.progress == 2


def test_two_officers_allocating_the_same_case_at_once_do_not_both_win(case: dict[str, Any]) -> None:
    """Both saw version 1; the first allocation succeeds and the second is told, not silently applied."""
    other_team = TeamFactory()
    other = StaffFactory(team=other_team, pdu=other_team.pdu)
    seen = case["person"].version
    services.allocate(
        acting_user=case["user"],
        person=case["person"],
        team=case["person"].team,
        practitioner=case["user"].staff,
        reason=TransferReason.INITIAL,
        expected_version=seen,
    )
    with pytest.raises(StaleRecord):
        services.allocate(
            acting_user=case["user"],
            person=case["person"],
            team=other_team,
            practitioner=other,
            reason=TransferReason.OTHER,
            expected_version=seen,
        )
    case["person"].refresh_from_db()
    assert case["person"].practitioner == case["user"].staff
    assert Allocation.objects.filter(person=case["person"]).count() == 1
