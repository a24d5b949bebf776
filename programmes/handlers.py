"""What programmes does when other contexts record facts it needs.

- Risk records an assessment: recalculate the person's PNI.
- Sentences records a sentence: open a programme referral for each programme requirement
  and each licence condition that requires a programme.
- Sentences ends a requirement or a sentence: withdraw its open referrals (the order or
  licence ended), unless the programme is already complete.

Risk and sentences sit below programmes and must not import it, so they publish events
(``core.events``) and these handlers, subscribed by ``ProgrammesConfig.ready``, run in
the publisher's transaction: a failure here rolls the publisher's change back.
"""

from __future__ import annotations

from core import events
from people.models import Person
from programmes import services
from programmes.services import referrals
from sentences.models import Event


def on_risk_assessment_recorded(event: events.RiskAssessmentRecorded) -> None:
    services.recalculate_pni(
        acting_user=event.acting_user,
        person=Person.objects.get(pk=event.person_id),
        trigger="Risk assessment recorded",
    )


def on_sentence_recorded(event: events.SentenceRecorded) -> None:
    recorded = Event.objects.select_related("sentence", "person").get(pk=event.event_id)
    referrals.open_referrals_for_event(acting_user=event.acting_user, event=recorded)


def on_sentence_changed(event: events.SentenceChanged) -> None:
    """A requirement or the whole sentence ended: its open referrals close with it."""
    referrals.close_referrals_of_ended(event_id=event.event_id, what=event.what)


def register() -> None:
    events.subscribe(events.RiskAssessmentRecorded, on_risk_assessment_recorded)
    events.subscribe(events.SentenceRecorded, on_sentence_recorded)
    events.subscribe(events.SentenceChanged, on_sentence_changed)
