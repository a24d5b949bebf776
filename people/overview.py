"""Everything the person overview page shows, gathered in a fixed number of queries.

``people`` owns the page and the person's own details; every other section comes from
the contexts above it through the registries in ``core.case_view``, so this module
imports none of them. Each panel and timeline source reads a fixed number of queries,
so the page's query count does not grow with the length of the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.case_view import (
    CASE_ACTIONS,
    CASE_PANELS,
    TIMELINE_LENGTH,
    TIMELINE_SOURCES,
    CaseAction,
    Region,
    TimelineEntry,
)
from people.models import Person


@dataclass(frozen=True)
class PanelView:
    key: str
    template: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Overview:
    person: Person
    alerts: list[PanelView]  # banners: things to act on now
    main: list[PanelView]
    timeline: list[TimelineEntry]
    aliases: list[Any]
    addresses: list[Any]

    def panel(self, key: str) -> Mapping[str, Any]:
        """One contributed panel's data by key (tests and the API read it this way)."""
        for view in (*self.alerts, *self.main):
            if view.key == key:
                return view.data
        raise KeyError(key)


def timeline_for(person: Person) -> list[TimelineEntry]:
    entries = [entry for source in TIMELINE_SOURCES for entry in source.entries(person, TIMELINE_LENGTH)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:TIMELINE_LENGTH]


def actions_for(user: Any) -> list[CaseAction]:
    """The overview's buttons this user may use, in their registered order."""
    return [action for action in CASE_ACTIONS if user.has_capability(action.capability)]


def overview_for(person: Person) -> Overview:
    views = {region: [] for region in Region}  # type: dict[Region, list[PanelView]]
    for panel in CASE_PANELS:
        views[panel.region].append(PanelView(panel.key, panel.template, panel.data(person)))
    return Overview(
        person=person,
        alerts=views[Region.ALERTS],
        main=views[Region.MAIN],
        timeline=timeline_for(person),
        aliases=list(person.aliases.all()),
        addresses=list(person.addresses.all()),
    )
