"""The home page's reads: how many cases the user can see, carries, and (for those who
allocate) how many await allocation, all through ``people_visible_to`` so the figures
never count a case outside the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.roles import Role
from people.selectors import people_visible_to

# Roles whose work includes allocating: their home page counts cases awaiting allocation.
ALLOCATING_ROLES = frozenset({Role.SENIOR_PROBATION_OFFICER, Role.REGIONAL_DIRECTOR})


@dataclass(frozen=True)
class CaseCounts:
    in_scope: int
    own_caseload: int | None
    unallocated: int | None


def case_counts_for(user: Any) -> CaseCounts:
    people = people_visible_to(user)
    return CaseCounts(
        in_scope=people.count(),
        own_caseload=people.filter(practitioner_id=user.staff_id).count() if user.staff_id else None,
        unallocated=people.filter(practitioner__isnull=True).count()
        if ALLOCATING_ROLES & user.roles
        else None,
    )
