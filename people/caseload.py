"""The caseload list: people in scope with their tier, RoSH and the figures other
contexts contribute (next appointment, overdue outcomes, action needed), sorted and
filtered in the database in a fixed number of queries.

The contributed columns come from ``core.case_view.CASELOAD_COLUMNS``, each one
subquery, so this module imports none of the contexts above ``people``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from core.case_view import CASELOAD_COLUMNS
from people.models import Person
from people.selectors import search_people

# The person's own sorts; contributed columns add theirs (see ``sorts``).
OWN_SORTS = {"name": "last_name", "tier": "tier_rank", "rosh": "rosh_rank"}
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
    # Contributed "only rows with some" filters chosen, by name (e.g. "action").
    only: frozenset[str] = frozenset()


def sorts() -> dict[str, str]:
    """Each sort's primary column; ties break on name then CRN so pages are stable."""
    contributed = {c.sort: c.key for c in CASELOAD_COLUMNS if c.sort}
    return {**OWN_SORTS, **contributed}


def _rank(field: str, order: list[str]) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(order)],
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def caseload(user: Any, chosen: CaseloadFilter) -> QuerySet[Person]:
    now = timezone.now()
    people = search_people(user, chosen.query).annotate(
        **{column.key: column.annotate(now) for column in CASELOAD_COLUMNS},
        tier_rank=_rank("tier", TIER_ORDER),
        rosh_rank=_rank("rosh", ROSH_ORDER),
    )
    if chosen.mine_only and getattr(user, "staff_id", None):
        people = people.filter(practitioner_id=user.staff_id)
    if chosen.tier:
        people = people.filter(tier=chosen.tier)
    if chosen.rosh:
        people = people.filter(rosh=chosen.rosh)
    for contributed in CASELOAD_COLUMNS:
        if contributed.filter_when_chosen and contributed.filter_when_chosen in chosen.only:
            people = people.filter(**{f"{contributed.key}__gt": 0})
    column = F(sorts().get(chosen.sort, "last_name"))
    primary = column.desc(nulls_last=True) if chosen.descending else column.asc(nulls_last=True)
    return people.order_by(primary, "last_name", "first_name", "crn")
