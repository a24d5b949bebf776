"""What risk does when other contexts record facts that feed the tier.

Sentences and supervision sit on either side of risk in the layers; neither calls risk's
services for the tier. They publish events (``core.events``) and these handlers,
subscribed by ``RiskConfig.ready``, re-tier the person in the publisher's transaction.
"""

from __future__ import annotations

from core import events
from people.models import Person
from risk import services
from risk.constants import EnforcementKind


def _person(person_id: int) -> Person:
    return Person.objects.get(pk=person_id)


def on_sentence_recorded(event: events.SentenceRecorded) -> None:
    services.recalculate_tier(
        person=_person(event.person_id), acting_user=event.acting_user, trigger="Sentence recorded"
    )


def on_sentence_changed(event: events.SentenceChanged) -> None:
    services.recalculate_tier(
        person=_person(event.person_id), acting_user=event.acting_user, trigger=event.what
    )


def on_breach_requested(event: events.BreachRequested) -> None:
    """Breach action on a live conviction counts towards a woman's tier for a year."""
    services.record_enforcement(
        acting_user=event.acting_user,
        person=_person(event.person_id),
        event_id=event.event_id,
        kind=EnforcementKind.BREACH,
        occurred_on=event.requested_on,
        source=f"breach:{event.breach_id}",
        trigger="Breach requested",
    )


def register() -> None:
    events.subscribe(events.SentenceRecorded, on_sentence_recorded)
    events.subscribe(events.SentenceChanged, on_sentence_changed)
    events.subscribe(events.BreachRequested, on_breach_requested)
