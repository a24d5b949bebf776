"""Scoped reads for supervision: failures still waiting for an enforcement decision.

An enforceable outcome (unacceptable absence, or attended but failed to comply)
needs a warning or breach decision (Sentencing Act 2020 Sch 10 para 6). Until one
is recorded the failure is "action needed" on the case and on the caseload, so
leaving the enforcement page never loses it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from people.models import Person
from people.selectors import people_visible_to
from sentences.models import Event
from supervision import rules
from supervision.constants import ENFORCEABLE_OUTCOMES
from supervision.models import Allocation, Appointment, Breach, ContactNote, Warning


def _undecided() -> Q:
    """Enforceable outcomes with neither a warning nor a breach on them."""
    warned = Exists(Warning.objects.filter(appointment=OuterRef("pk")))
    breached = Exists(Breach.objects.filter(appointment=OuterRef("pk")))
    return Q(outcome__in=list(ENFORCEABLE_OUTCOMES)) & ~Q(warned) & ~Q(breached)


def action_needed_for(person: Person) -> QuerySet[Appointment]:
    """This person's failures awaiting a warning or breach, oldest first.

    The caller has already resolved ``person`` through the user's scope.
    """
    return (
        Appointment.objects.filter(_undecided(), person=person)
        .select_related("event")
        .order_by("starts_at", "pk")
    )


def action_needed(user: Any) -> QuerySet[Appointment]:
    """Every failure awaiting a decision on a case the user may see (scoped like the caseload)."""
    return (
        Appointment.objects.filter(_undecided(), person__in=people_visible_to(user))
        .select_related("person", "event")
        .order_by("starts_at", "pk")
    )


def action_needed_count() -> Coalesce:
    """Per-person count of undecided failures, for annotating a queryset of people
    (one subquery, so a list's query count does not grow with its rows)."""
    return Coalesce(
        Subquery(
            Appointment.objects.filter(_undecided(), person=OuterRef("pk"))
            .values("person")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


# --- One person's supervision records (the person comes from get_person_for) ---------------
# A record of anyone else's case answers 404, exactly like one that does not exist.


def appointment_of(person: Person, appointment_id: int) -> Appointment:
    """One of the person's appointments; Http404 if it is missing or someone else's."""
    found = Appointment.objects.filter(pk=appointment_id, person=person).first()
    if found is None:
        raise Http404
    return found


def breaches_of(person: Person) -> QuerySet[Breach]:
    """The person's breaches."""
    return Breach.objects.filter(person=person)


def breach_of(person: Person, breach_id: int) -> Breach:
    """One of the person's breaches; Http404 if it is missing or someone else's."""
    found = Breach.objects.filter(pk=breach_id, person=person).first()
    if found is None:
        raise Http404
    return found


def notes_of(person: Person) -> QuerySet[ContactNote]:
    """The person's contact notes, newest first (sensitive ones included: the caller decides)."""
    return ContactNote.objects.filter(person=person).order_by("-created_at")


def allocations_of(person: Person) -> list[Allocation]:
    """The person's allocation and transfer history, newest first."""
    return list(Allocation.objects.filter(person=person).order_by("-started_at"))


# --- Enforcement reads (moved from services: they write nothing) ----------------------------


def live_events(person: Person) -> list[Event]:
    """The person's events still being served: the orders an appointment can enforce."""
    return list(Event.objects.filter(person=person, is_active=True).order_by("number"))


def enforcement_options_for(appointment: Appointment, on: date | None = None) -> rules.EnforcementOptions:
    """What the practitioner may do about this failure if they decide ``on`` (today by default).

    Only warnings on the same order (event) count: Sch 10 para 6(2) (and Sch 16
    para 6(2)) speak of a warning "in relation to a breach of any requirement of the order".
    """
    event_id = appointment.event_id
    if event_id is None:
        live = live_events(appointment.person)
        event_id = live[0].pk if len(live) == 1 else None
    warnings: list[date] = []
    if event_id is not None:
        warnings = list(Warning.objects.filter(event_id=event_id).values_list("given_on", flat=True))
    return rules.enforcement_options(on or timezone.localdate(), warnings)
