"""Sentences' part of the person overview (see ``core.case_view``): each event with its
offence, dates, requirements and licence conditions, sentencing on the timeline, and
the button to record a sentence. Registered by ``SentencesConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch

from core.case_view import (
    CASE_ACTIONS,
    CASE_PANELS,
    TIMELINE_SOURCES,
    CaseAction,
    CasePanel,
    Region,
    TimelineEntry,
    TimelineSource,
)
from core.roles import Capability
from sentences.models import Event, Requirement


def _sentences(person: Any) -> Mapping[str, Any]:
    events = (
        Event.objects.filter(person=person)
        .select_related("sentence", "practitioner")
        .prefetch_related(
            "offences",
            Prefetch("sentence__requirements", queryset=Requirement.objects.order_by("starts_on", "id")),
            "sentence__licence_conditions",
        )
        .order_by("-is_active", "-number")
    )
    return {"events": list(events)}


def _sentence_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    for e in Event.objects.filter(person=person).select_related("sentence").order_by("-sentenced_on")[:limit]:
        title = (
            f"Sentenced: {e.sentence.get_disposal_type_display()}" if hasattr(e, "sentence") else "Convicted"
        )
        yield TimelineEntry.on_day(e.sentenced_on, "sentence", title, e.court)


def register() -> None:
    CASE_PANELS.register(CasePanel("sentences", 20, Region.MAIN, "sentences/case/sentences.html", _sentences))
    CASE_ACTIONS.register(
        CaseAction("record-sentence", 30, "Record a sentence", "sentences:event_new", Capability.MANAGE_CASES)
    )
    TIMELINE_SOURCES.register(TimelineSource("sentences", 60, _sentence_entries))
