"""What each context contributes to the person overview and the caseload.

``people`` shows both pages but sits below sentences, risk, supervision and the
delivery contexts, so it cannot import them. Instead each context registers, when
Django loads it, the panels it adds to the overview, the buttons it offers there, the
entries it adds to the timeline and the columns it adds to the caseload. ``people``
reads these registries. A new context (programmes, workload, court work) adds its
panel here without touching ``people``.

Each contribution reads only its own context's tables (and the layers below), in a
fixed number of queries, so the overview's query count does not grow with the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone

from core.registry import Registry
from core.roles import Capability

# How many entries of each kind the timeline reads, and how many it shows in all.
TIMELINE_LENGTH = 40


class Region(StrEnum):
    """Where on the overview a panel goes."""

    ALERTS = "alerts"  # notification banners above the record: things to act on now
    MAIN = "main"  # the body of the record


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    sensitive: bool = False
    tag: str = ""
    all_day: bool = False

    @classmethod
    def on_day(cls, day: date, kind: str, title: str, detail: str = "", **extra: Any) -> TimelineEntry:
        """An entry known only by its date (warnings, breaches, sentences): shown without a time."""
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        return cls(start, kind, title, detail, all_day=True, **extra)


@dataclass(frozen=True)
class CasePanel:
    """A section of the overview. ``data`` reads what the panel shows for one person;
    ``template`` renders it, receiving that data as ``panel`` (and the page's context)."""

    key: str
    order: int
    region: Region
    template: str
    data: Callable[[Any], Mapping[str, Any]]


@dataclass(frozen=True)
class CaseAction:
    """A button on the overview that starts a task about the person."""

    key: str
    order: int
    label: str
    url_name: str  # reversed with the person's CRN
    capability: Capability
    primary: bool = False


@dataclass(frozen=True)
class TimelineSource:
    """Entries one context adds to the person's timeline, newest first, at most ``limit``."""

    key: str
    order: int
    entries: Callable[[Any, int], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class CaseloadColumn:
    """A figure the caseload shows for each person, computed in the database.

    ``annotate`` returns the expression (given the moment the list is drawn) that Django
    annotates as ``key``; the caseload sorts by it when the user picks ``sort`` and, if
    ``filter_when_chosen`` is set, keeps only rows where it is above zero when the user
    asks for that filter."""

    key: str
    order: int
    annotate: Callable[[datetime], Any]
    sort: str = ""
    filter_when_chosen: str = ""


CASE_PANELS: Registry[CasePanel] = Registry("case overview panels")
CASE_ACTIONS: Registry[CaseAction] = Registry("case overview actions")
TIMELINE_SOURCES: Registry[TimelineSource] = Registry("case timeline sources")
CASELOAD_COLUMNS: Registry[CaseloadColumn] = Registry("caseload columns")
