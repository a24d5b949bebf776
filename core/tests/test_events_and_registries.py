"""The kernel's domain events and registries: the seams that let a lower layer learn of
a higher one's facts, and a page show what higher layers contribute, without an upward
import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core import events
from core.case_view import CASE_ACTIONS, CASE_PANELS, CASELOAD_COLUMNS, TIMELINE_SOURCES
from core.registry import DuplicateRegistration, Registry
from core.roles import Role
from people.tests.factories import PersonFactory
from programmes import handlers as programmes_handlers
from risk import handlers as risk_handlers
from risk.models import EnforcementRecord
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType, EnforcementDecision
from supervision.models import Appointment, Breach
from unpaid_work import handlers as upw_handlers


@dataclass(frozen=True)
class _Something(events.DomainEvent):
    n: int


def test_handlers_run_in_the_order_they_subscribed_and_a_second_subscription_changes_nothing() -> None:
    seen: list[tuple[str, int]] = []

    def first(e: _Something) -> None:
        seen.append(("first", e.n))

    def second(e: _Something) -> None:
        seen.append(("second", e.n))

    events.subscribe(_Something, first)
    events.subscribe(_Something, second)
    events.subscribe(_Something, first)  # an app's ready() run twice
    events.publish(_Something(acting_user=None, n=7))
    assert seen == [("first", 7), ("second", 7)]
    assert events.subscribers_of(_Something) == [first, second]


@dataclass(frozen=True)
class _Entry:
    key: str
    order: int


def test_a_registry_keeps_order_and_refuses_a_different_entry_under_a_taken_key() -> None:
    registry: Registry[_Entry] = Registry("test")
    registry.register(_Entry("b", 20))
    registry.register(_Entry("a", 10))
    registry.register(_Entry("a", 10))  # the same contribution again: no change
    assert registry.keys() == ["a", "b"] and len(registry) == 2
    with pytest.raises(DuplicateRegistration):
        registry.register(_Entry("a", 30))


def test_each_context_fills_the_overview_and_subscribes_to_the_facts_it_needs() -> None:
    """Wiring, read from the registries as Django loaded them: if an app's ready() stops
    registering, its panel silently vanishes from the overview; this says which."""

    assert CASE_PANELS.keys() == [
        "awaiting-outcome",
        "risk",
        "programme-needs",
        "programme-referrals",
        "action-needed",
        "sentences",
        "breaches",
        "upcoming",
    ]
    assert CASE_ACTIONS.keys() == [
        "book-appointment",
        "add-note",
        "record-sentence",
        "referrals",
        "record-assessment",
        "add-registration",
        "allocate",
    ]
    assert set(TIMELINE_SOURCES.keys()) == {
        "appointments",
        "notes",
        "enforcement",
        "tiers",
        "allocations",
        "sentences",
        "programme-needs",
    }
    assert CASELOAD_COLUMNS.keys() == ["next_appointment", "overdue", "action_needed"]
    assert events.subscribers_of(events.SentenceRecorded) == [
        risk_handlers.on_sentence_recorded,
        upw_handlers.on_sentence_recorded,
        programmes_handlers.on_sentence_recorded,
    ]
    assert events.subscribers_of(events.SentenceChanged) == [
        risk_handlers.on_sentence_changed,
        upw_handlers.on_sentence_changed,
        programmes_handlers.on_sentence_changed,
    ]
    assert events.subscribers_of(events.BreachRequested) == [risk_handlers.on_breach_requested]
    assert events.subscribers_of(events.RiskAssessmentRecorded) == [
        programmes_handlers.on_risk_assessment_recorded
    ]


@pytest.mark.django_db
def test_a_failing_handler_rolls_back_the_change_that_published_it(make_user: Any, monkeypatch: Any) -> None:
    """The breach and the tier's record of it commit together or not at all. Proved able
    to fail: with ``publish`` swallowing handler errors, the breach was kept."""

    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    order = community_order(person, sentenced_on=date(2025, 6, 2))
    when = datetime(2025, 9, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    booked = services.book_appointment(
        acting_user=user,
        person=person,
        event=order,
        type=AppointmentType.SUPERVISION,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        practitioner=user.staff,
    )
    failed = services.record_outcome(
        acting_user=user,
        appointment_id=booked.pk,
        outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        notes="Did not attend",
        expected_version=Appointment.objects.get(pk=booked.pk).version,
    )

    def broken(event: events.BreachRequested) -> None:
        raise RuntimeError("the tier could not be recalculated")

    monkeypatch.setattr(events, "_handlers", {events.BreachRequested: [broken]})
    with pytest.raises(RuntimeError):
        services.take_enforcement_action(
            acting_user=user,
            appointment_id=failed.pk,
            decision=EnforcementDecision.BREACH,
            circumstances="Second failure",
            on=date(2025, 9, 2),
        )
    assert not Breach.objects.filter(person=person).exists()
    monkeypatch.undo()
    services.take_enforcement_action(
        acting_user=user,
        appointment_id=failed.pk,
        decision=EnforcementDecision.BREACH,
        circumstances="Second failure",
        on=date(2025, 9, 2),
    )
    breach = Breach.objects.get(person=person)
    record = EnforcementRecord.objects.get(person=person)
    assert (record.source, record.occurred_on, record.event_id) == (
        f"breach:{breach.pk}",
        breach.requested_on,
        order.pk,
    )
