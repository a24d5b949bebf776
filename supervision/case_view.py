"""Supervision's part of the person overview and the caseload (see ``core.case_view``):
appointments awaiting an outcome, failures awaiting an enforcement decision, open
breach action, upcoming appointments, their timeline entries, the booking and
allocation buttons, and the caseload's next appointment, overdue and action-needed
columns. Registered by ``SupervisionConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.case_view import (
    CASE_ACTIONS,
    CASE_PANELS,
    CASELOAD_COLUMNS,
    TIMELINE_SOURCES,
    CaseAction,
    CaseloadColumn,
    CasePanel,
    Region,
    TimelineEntry,
    TimelineSource,
)
from core.roles import Capability
from supervision.constants import BreachStatus
from supervision.models import Allocation, Appointment, Breach, ContactNote, Warning
from supervision.selectors import action_needed_count, action_needed_for

UPCOMING_SHOWN = 10
AWAITING_OUTCOME_SHOWN = 20


def _awaiting_outcome(person: Any) -> Mapping[str, Any]:
    awaiting = Appointment.objects.filter(person=person, starts_at__lt=timezone.now(), outcome="")
    return {
        "appointments": list(awaiting.select_related("office").order_by("starts_at")[:AWAITING_OUTCOME_SHOWN])
    }


def _action_needed(person: Any) -> Mapping[str, Any]:
    return {"appointments": list(action_needed_for(person))}


def _open_breaches(person: Any) -> Mapping[str, Any]:
    closed = [BreachStatus.CONCLUDED, BreachStatus.WITHDRAWN]
    return {"breaches": list(Breach.objects.filter(person=person).exclude(status__in=closed))}


def _upcoming(person: Any) -> Mapping[str, Any]:
    upcoming = Appointment.objects.filter(person=person, starts_at__gte=timezone.now())
    return {
        "appointments": list(
            upcoming.select_related("office", "practitioner").order_by("starts_at")[:UPCOMING_SHOWN]
        )
    }


def _appointment_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    past = Appointment.objects.filter(person=person, starts_at__lte=timezone.now())
    for a in past.select_related("office").order_by("-starts_at")[:limit]:
        yield TimelineEntry(
            a.starts_at,
            "appointment",
            a.get_type_display(),
            a.outcome_notes,
            tag=a.get_outcome_display() or "Outcome not recorded",
        )


def _note_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    notes = ContactNote.objects.filter(person=person).select_related("author").order_by("-created_at")
    for n in notes[:limit]:
        author = n.author.get_full_name() or n.author.username
        yield TimelineEntry(n.created_at, "note", f"Note by {author}", n.text, sensitive=n.is_sensitive)


def _enforcement_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    for w in Warning.objects.filter(person=person).order_by("-given_on")[:limit]:
        yield TimelineEntry.on_day(w.given_on, "warning", "Warning given", w.circumstances, tag="Warning")
    for b in Breach.objects.filter(person=person).order_by("-requested_on")[:limit]:
        yield TimelineEntry.on_day(
            b.requested_on, "breach", "Breach action started", b.reason, tag=b.get_status_display()
        )


def _allocation_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    allocations = Allocation.objects.filter(person=person).select_related("team", "practitioner")
    for al in allocations.order_by("-started_at")[:limit]:
        who = f"{al.practitioner}" if al.practitioner else "unallocated"
        yield TimelineEntry(
            al.started_at,
            "allocation",
            f"Allocated to {who}",
            al.team.name if al.team else "",
            tag=al.get_reason_display(),
        )


def _next_appointment(now: datetime) -> Subquery:
    upcoming = Appointment.objects.filter(person=OuterRef("pk"), starts_at__gte=now).order_by("starts_at")
    return Subquery(upcoming.values("starts_at")[:1])


def _overdue_outcomes(now: datetime) -> Coalesce:
    overdue = Appointment.objects.filter(person=OuterRef("pk"), starts_at__lt=now, outcome="")
    return Coalesce(Subquery(overdue.values("person").annotate(n=Count("pk")).values("n")[:1]), 0)


def _action_needed_count(now: datetime) -> Coalesce:
    return action_needed_count()


def register() -> None:
    CASE_PANELS.register(
        CasePanel(
            "awaiting-outcome", 10, Region.ALERTS, "supervision/case/awaiting_outcome.html", _awaiting_outcome
        )
    )
    CASE_PANELS.register(
        CasePanel("action-needed", 20, Region.ALERTS, "supervision/case/action_needed.html", _action_needed)
    )
    CASE_PANELS.register(
        CasePanel("breaches", 30, Region.MAIN, "supervision/case/breaches.html", _open_breaches)
    )
    CASE_PANELS.register(CasePanel("upcoming", 40, Region.MAIN, "supervision/case/upcoming.html", _upcoming))
    CASE_ACTIONS.register(
        CaseAction(
            "book-appointment",
            10,
            "Book an appointment",
            "supervision:appointment_new",
            Capability.MANAGE_CASES,
            primary=True,
        )
    )
    CASE_ACTIONS.register(
        CaseAction("add-note", 20, "Add a contact note", "supervision:note_new", Capability.MANAGE_CASES)
    )
    CASE_ACTIONS.register(
        CaseAction("allocate", 70, "Allocate or transfer", "supervision:allocate", Capability.ALLOCATE_CASES)
    )
    TIMELINE_SOURCES.register(TimelineSource("appointments", 10, _appointment_entries))
    TIMELINE_SOURCES.register(TimelineSource("notes", 20, _note_entries))
    TIMELINE_SOURCES.register(TimelineSource("enforcement", 30, _enforcement_entries))
    TIMELINE_SOURCES.register(TimelineSource("allocations", 50, _allocation_entries))
    CASELOAD_COLUMNS.register(CaseloadColumn("next_appointment", 10, _next_appointment, sort="next"))
    CASELOAD_COLUMNS.register(CaseloadColumn("overdue", 20, _overdue_outcomes, sort="overdue"))
    CASELOAD_COLUMNS.register(
        CaseloadColumn("action_needed", 30, _action_needed_count, sort="action", filter_when_chosen="action")
    )
