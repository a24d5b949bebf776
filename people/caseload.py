"""The caseload list: people in scope with their tier, RoSH, next appointment and
overdue actions, sorted and filtered in the database in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import Person
from people.selectors import search_people
from supervision.models import Appointment
from supervision.selectors import action_needed_count

# Each sort's primary column; ties break on name then CRN so pages are stable.
SORTS = {
    "name": "last_name",
    "tier": "tier_rank",
    "rosh": "rosh_rank",
    "next": "next_appointment",
    "overdue": "overdue",
    "action": "action_needed",
}
TIER_ORDER = ["A", "B", "C", "D", "E", "F", "G", "MISSING", "NOT_SUPERVISED", ""]
ROSH_ORDER = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", ""]


@dataclass(frozen=True)
class CaseloadFilter:
    query: str = ""
    mine_only: bool = False
    tier: str = ""
    rosh: str = ""
    sort: str = "name"
    descending: bool = False
    action_needed_only: bool = False


def _rank(field: str, order: list[str]) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(order)],
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def caseload(user: Any, chosen: CaseloadFilter) -> QuerySet[Person]:
    now = timezone.now()
    upcoming = Appointment.objects.filter(person=OuterRef("pk"), starts_at__gte=now).order_by("starts_at")
    people = search_people(user, chosen.query).annotate(
        next_appointment=Subquery(upcoming.values("starts_at")[:1]),
        overdue=Coalesce(
            Subquery(
                Appointment.objects.filter(person=OuterRef("pk"), starts_at__lt=now, outcome="")
                .values("person")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        action_needed=action_needed_count(),
        tier_rank=_rank("tier", TIER_ORDER),
        rosh_rank=_rank("rosh", ROSH_ORDER),
    )
    if chosen.mine_only and getattr(user, "staff_id", None):
        people = people.filter(practitioner_id=user.staff_id)
    if chosen.tier:
        people = people.filter(tier=chosen.tier)
    if chosen.rosh:
        people = people.filter(rosh=chosen.rosh)
    if chosen.action_needed_only:
        people = people.filter(action_needed__gt=0)
    column = F(SORTS.get(chosen.sort, SORTS["name"]))
    primary = column.desc(nulls_last=True) if chosen.descending else column.asc(nulls_last=True)
    return people.order_by(primary, "last_name", "first_name", "crn")
