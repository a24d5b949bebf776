"""Domain events: how one context tells another that something happened without
importing it.

Layers import only downwards (docs/architecture.md). When a context must react to a
fact another records, and importing it would point upwards (risk recalculating the tier
after supervision requests a breach) or tie a lower context to a higher one (sentences
opening an Unpaid Work order), the recording context publishes an event defined here,
in the kernel, and the reacting context subscribes to it in its ``AppConfig.ready``.

Handlers run synchronously, in the order they subscribed, inside the publisher's
transaction: the breach and the tier it changes commit together or not at all, and a
handler that fails rolls the whole change back, exactly as a direct call did. Work
too long for a web request is not done in a handler; a handler enqueues it.

Every event names the acting user so the handler's own audit rows name who caused them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

E = TypeVar("E", bound="DomainEvent")
Handler = Callable[[Any], None]

_handlers: defaultdict[type[DomainEvent], list[Handler]] = defaultdict(list)


@dataclass(frozen=True)
class DomainEvent:
    """A fact, in the past tense, with the ids a subscriber needs to read the rest."""

    acting_user: Any


@dataclass(frozen=True)
class SentenceRecorded(DomainEvent):
    """A conviction and its sentence (with its requirements) were recorded."""

    person_id: int
    event_id: int


@dataclass(frozen=True)
class SentenceChanged(DomainEvent):
    """A sentence or one of its requirements ended; ``what`` says which, in words."""

    person_id: int
    event_id: int
    what: str


@dataclass(frozen=True)
class BreachRequested(DomainEvent):
    """Breach action was started for a failure to comply with an order or licence."""

    person_id: int
    event_id: int | None
    breach_id: int
    requested_on: date


@dataclass(frozen=True)
class RiskAssessmentRecorded(DomainEvent):
    """A completed risk assessment was recorded; it is now the person's latest if its date
    is the newest (programmes recalculates the Programme Needs Identifier from it)."""

    person_id: int
    assessment_id: int


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Calls ``handler`` with every ``event_type`` published from now on. Subscribing the
    same handler again (an app's ``ready`` run twice) changes nothing: it must never do
    the work twice."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: DomainEvent) -> None:
    """Runs every subscriber of the event's type now, in the caller's transaction."""
    for handler in list(_handlers[type(event)]):
        handler(event)


def subscribers_of(event_type: type[DomainEvent]) -> list[Handler]:
    """Who reacts to an event (the architecture test and the docs list them)."""
    return list(_handlers[event_type])
