"""Reads of events, sentences and requirements.

Every read here starts from a person the caller has already reached through
`people.selectors.get_person_for`, so the geography and restricted-case scoping is
applied once, there; a sentence or requirement of anyone else answers 404, exactly like
one that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from people.models import Person
from sentences.models import Event, Requirement, Sentence


def events_of(person: Person) -> list[Event]:
    """The person's events in order, with their sentence, offences, requirements and licence
    conditions loaded in a fixed number of queries."""
    return list(
        Event.objects.filter(person=person)
        .select_related("sentence")
        .prefetch_related("offences", "sentence__requirements", "sentence__licence_conditions")
        .order_by("number")
    )


def event_of(person: Person, event_id: int) -> Event | None:
    """One of the person's events, or None if it is not theirs."""
    return Event.objects.filter(pk=event_id, person=person).first()


def sentence_of(person: Person, sentence_id: int) -> Sentence:
    """One of the person's sentences; Http404 if it is missing or someone else's."""
    sentence = Sentence.objects.filter(pk=sentence_id, event__person=person).first()
    if sentence is None:
        raise Http404
    return sentence


def requirement_of(person: Person, requirement_id: int) -> Requirement:
    """One of the person's requirements; Http404 if it is missing or someone else's."""
    requirement = Requirement.objects.filter(pk=requirement_id, sentence__event__person=person).first()
    if requirement is None:
        raise Http404
    return requirement


def events_among(events: list[Event]) -> QuerySet[Event]:
    """The same events again as a queryset in number order, for a form's choices (the list
    was already scoped to one person by its caller)."""
    return Event.objects.filter(pk__in=[e.pk for e in events]).order_by("number")
