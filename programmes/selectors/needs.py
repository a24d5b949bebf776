"""Scoped reads of the programmes context.

The person comes from ``people.selectors.get_person_for`` (which answers 404 out of
scope); these read that person's Programme Needs Identifier history.
"""

from __future__ import annotations

from people.models import Person
from programmes.models import ProgrammeNeeds


def latest_programme_needs_of(person: Person) -> ProgrammeNeeds | None:
    """The person's current PNI result, if one was ever calculated."""
    return ProgrammeNeeds.objects.filter(person=person).order_by("-calculated_at", "-id").first()


def programme_needs_history_of(person: Person, limit: int) -> list[ProgrammeNeeds]:
    """The person's PNI results, newest first (the timeline)."""
    return list(ProgrammeNeeds.objects.filter(person=person).order_by("-calculated_at", "-id")[:limit])
