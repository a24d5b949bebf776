"""What Unpaid Work does when a sentence is recorded: it opens an order for each hours
requirement. Sentences sits below this app and publishes ``SentenceRecorded``
(``core.events``); this handler, subscribed by ``UnpaidWorkConfig.ready``, runs in the
same transaction, so the sentence and its orders are recorded together or not at all.
"""

from __future__ import annotations

from core import events
from sentences.models import Event
from unpaid_work.services import open_orders_for_event


def on_sentence_recorded(event: events.SentenceRecorded) -> None:
    recorded = Event.objects.select_related("sentence", "person").get(pk=event.event_id)
    open_orders_for_event(acting_user=event.acting_user, event=recorded)


def register() -> None:
    events.subscribe(events.SentenceRecorded, on_sentence_recorded)
