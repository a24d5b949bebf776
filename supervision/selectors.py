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

from people.models import Person
from people.selectors import people_visible_to
from supervision.constants import ENFORCEABLE_OUTCOMES
from supervision.models import Appointment, Breach, Warning


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
