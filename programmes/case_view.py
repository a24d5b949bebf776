"""Programmes' part of the person overview (see ``core.case_view``): the current
Programme Needs Identifier with its reasons, and its changes on the timeline.
Registered by ``ProgrammesConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from core.case_view import CASE_PANELS, TIMELINE_SOURCES, CasePanel, Region, TimelineEntry, TimelineSource
from programmes import selectors

DOMAIN_LABELS = {
    "sex": "Sex",
    "thinking": "Thinking",
    "relationships": "Relationships",
    "self_management": "Self-management",
}


def _programme_needs(person: Any) -> Mapping[str, Any]:
    """One query: the latest result, with its domain scores in a fixed order for the page."""
    pni = selectors.latest_programme_needs_of(person)
    domains = (
        [(label, (pni.domain_scores or {}).get(key)) for key, label in DOMAIN_LABELS.items()]
        if pni is not None and pni.domain_scores is not None
        else []
    )
    return {"pni": pni, "domains": domains}


def _pni_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    for row in selectors.programme_needs_history_of(person, limit):
        yield TimelineEntry(
            row.calculated_at,
            "programme-needs",
            f"Programme needs: {row.get_pathway_display().split(' (')[0].lower()}",
            row.trigger,
            tag="Programmes",
        )


def register() -> None:
    CASE_PANELS.register(
        CasePanel(
            "programme-needs", 15, Region.MAIN, "programmes/case/programme_needs.html", _programme_needs
        )
    )
    TIMELINE_SOURCES.register(TimelineSource("programme-needs", 45, _pni_entries))
