"""Everything the person overview page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from people.models import Person
from risk.models import MappaRecord, Registration, RiskAssessment, TierCalculation
from sentences.models import Event, Requirement
from supervision.constants import BreachStatus
from supervision.models import Allocation, Appointment, Breach, ContactNote, Warning
from supervision.selectors import action_needed_for

TIMELINE_LENGTH = 40


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
    def on_day(cls, day: Any, kind: str, title: str, detail: str = "", **extra: Any) -> TimelineEntry:
        """An entry known only by its date (warnings, breaches, sentences): shown without a time."""
        return cls(_start_of_day(day), kind, title, detail, all_day=True, **extra)


@dataclass(frozen=True)
class Overview:
    person: Person
    events: list[Event]
    tier: TierCalculation | None
    assessment: RiskAssessment | None
    registrations: list[Registration]
    mappa: MappaRecord | None
    upcoming: list[Appointment]
    awaiting_outcome: list[Appointment]
    action_needed: list[Appointment]  # enforceable failures still awaiting a warning or breach
    open_breaches: list[Breach]
    timeline: list[TimelineEntry]
    aliases: list[Any]
    addresses: list[Any]


def _start_of_day(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _timeline(person: Person) -> list[TimelineEntry]:
    now = timezone.now()
    entries: list[TimelineEntry] = []
    for a in (
        person.appointments.filter(starts_at__lte=now)
        .select_related("office")
        .order_by("-starts_at")[:TIMELINE_LENGTH]
    ):
        entries.append(
            TimelineEntry(
                a.starts_at,
                "appointment",
                a.get_type_display(),
                a.outcome_notes,
                tag=a.get_outcome_display() or "Outcome not recorded",
            )
        )
    for n in (
        ContactNote.objects.filter(person=person)
        .select_related("author")
        .order_by("-created_at")[:TIMELINE_LENGTH]
    ):
        entries.append(
            TimelineEntry(
                n.created_at,
                "note",
                f"Note by {n.author.get_full_name() or n.author.username}",
                n.text,
                sensitive=n.is_sensitive,
            )
        )
    for w in Warning.objects.filter(person=person).order_by("-given_on")[:TIMELINE_LENGTH]:
        entries.append(
            TimelineEntry.on_day(w.given_on, "warning", "Warning given", w.circumstances, tag="Warning")
        )
    for b in Breach.objects.filter(person=person).order_by("-requested_on")[:TIMELINE_LENGTH]:
        entries.append(
            TimelineEntry.on_day(
                b.requested_on,
                "breach",
                "Breach action started",
                b.reason,
                tag=b.get_status_display(),
            )
        )
    for t in TierCalculation.objects.filter(person=person).order_by("-calculated_at")[:TIMELINE_LENGTH]:
        entries.append(
            TimelineEntry(t.calculated_at, "tier", f"Tier {t.tier} ({t.legacy_tier})", t.trigger, tag="Tier")
        )
    for al in (
        Allocation.objects.filter(person=person)
        .select_related("team", "practitioner")
        .order_by("-started_at")[:TIMELINE_LENGTH]
    ):
        who = f"{al.practitioner}" if al.practitioner else "unallocated"
        entries.append(
            TimelineEntry(
                al.started_at,
                "allocation",
                f"Allocated to {who}",
                al.team.name if al.team else "",
                tag=al.get_reason_display(),
            )
        )
    for e in Event.objects.filter(person=person).select_related("sentence"):
        entries.append(
            TimelineEntry.on_day(
                e.sentenced_on,
                "sentence",
                f"Sentenced: {e.sentence.get_disposal_type_display()}"
                if hasattr(e, "sentence")
                else "Convicted",
                e.court,
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:TIMELINE_LENGTH]


def overview_for(person: Person) -> Overview:
    now = timezone.now()
    today = timezone.localdate()
    events = list(
        Event.objects.filter(person=person)
        .select_related("sentence", "practitioner")
        .prefetch_related(
            "offences",
            Prefetch(
                "sentence__requirements",
                queryset=Requirement.objects.select_related("upw_order").order_by("starts_on", "id"),
            ),
            "sentence__licence_conditions",
        )
        .order_by("-is_active", "-number")
    )
    open_now = Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    return Overview(
        person=person,
        events=events,
        tier=TierCalculation.objects.filter(person=person).order_by("-calculated_at", "-id").first(),
        assessment=RiskAssessment.objects.filter(person=person).order_by("-completed_on", "-id").first(),
        registrations=list(Registration.objects.filter(open_now, person=person)),
        mappa=MappaRecord.objects.filter(open_now, person=person).first(),
        upcoming=list(
            person.appointments.filter(starts_at__gte=now)
            .select_related("office", "practitioner")
            .order_by("starts_at")[:10]
        ),
        awaiting_outcome=list(
            person.appointments.filter(starts_at__lt=now, outcome="")
            .select_related("office")
            .order_by("starts_at")[:20]
        ),
        action_needed=list(action_needed_for(person)),
        open_breaches=list(
            Breach.objects.filter(person=person).exclude(
                status__in=[BreachStatus.CONCLUDED, BreachStatus.WITHDRAWN]
            )
        ),
        timeline=_timeline(person),
        aliases=list(person.aliases.all()),
        addresses=list(person.addresses.all()),
    )
