"""What Unpaid Work does when sentences change: it opens an order for each hours
requirement when a sentence is recorded, and ends the order when its requirement or
the sentence ends. Sentences sits below this app and publishes ``SentenceRecorded`` and
``SentenceChanged`` (``core.events``); these handlers, subscribed by
``UnpaidWorkConfig.ready``, run in the same transaction, so the sentence and its
orders change together or not at all.
"""

from __future__ import annotations

from core import events
from sentences.models import Event
from unpaid_work.services import end_orders_of_ended_requirements, open_orders_for_event


def on_sentence_recorded(event: events.SentenceRecorded) -> None:
    recorded = Event.objects.select_related("sentence", "person").get(pk=event.event_id)
    open_orders_for_event(acting_user=event.acting_user, event=recorded)


def on_sentence_changed(event: events.SentenceChanged) -> None:
    """A requirement or the whole sentence ended: its orders end with it."""
    end_orders_of_ended_requirements(acting_user=event.acting_user, event_id=event.event_id)


def register() -> None:
    events.subscribe(events.SentenceRecorded, on_sentence_recorded)
    events.subscribe(events.SentenceChanged, on_sentence_changed)
