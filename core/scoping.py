"""The one place that decides how much geography a user's case access covers.

Pages and API alike call the scoped selectors (``people.selectors`` and, later,
referrals and other aggregates), and those selectors take their geography
filter from here. Nothing else filters by region, PDU or team for access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from core.roles import ScopeLevel

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Geography:
    level: ScopeLevel
    region_id: str | None = None
    pdu_id: int | None = None
    team_id: int | None = None


def geography_of(user: Any) -> Geography:
    """The user's effective scope; falls back to NONE when the anchor is missing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Geography(ScopeLevel.NONE)
    cached = getattr(user, "_geography", None)
    if cached is not None:
        return cached
    try:
        level = ScopeLevel(user.scope_level)
    except ValueError:
        level = ScopeLevel.NONE
    staff = user.staff
    if level is ScopeLevel.NATIONAL:
        geography = Geography(level)
    elif staff is None or level is ScopeLevel.NONE:
        geography = Geography(ScopeLevel.NONE)
    elif level is ScopeLevel.REGION:
        geography = Geography(level, region_id=staff.pdu.region_id)
    elif level is ScopeLevel.PDU:
        geography = Geography(level, region_id=staff.pdu.region_id, pdu_id=staff.pdu_id)
    elif staff.team_id is None:
        geography = Geography(ScopeLevel.NONE)
    else:
        geography = Geography(
            level, region_id=staff.pdu.region_id, pdu_id=staff.pdu_id, team_id=staff.team_id
        )
    user._geography = geography
    return geography


def geography_filter(
    user: Any,
    *,
    region_path: str = "pdu__region_id",
    pdu_path: str = "pdu_id",
    team_path: str = "team_id",
) -> Q:
    """A filter limiting any geographically-owned rows to the user's scope."""
    geography = geography_of(user)
    if geography.level is ScopeLevel.NATIONAL:
        return Q()
    if geography.level is ScopeLevel.REGION:
        return Q(**{region_path: geography.region_id})
    if geography.level is ScopeLevel.PDU:
        return Q(**{pdu_path: geography.pdu_id})
    if geography.level is ScopeLevel.TEAM:
        return Q(**{team_path: geography.team_id})
    return _NOTHING
