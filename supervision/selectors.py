"""Scoped reads for supervision: failures still waiting for an enforcement decision.

An enforceable outcome (unacceptable absence, or attended but failed to comply)
needs a warning or breach decision (Sentencing Act 2020 Sch 10 para 6). Until one
is recorded the failure is "action needed" on the case and on the caseload, so
leaving the enforcement page never loses it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from people.models import Person
from people.selectors import people_visible_to
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
