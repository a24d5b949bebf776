from __future__ import annotations

from typing import Any

import pytest

from core.roles import (
    DEFAULT_SCOPE,
    EXTERNAL_ROLES,
    ROLE_CAPABILITIES,
    ROLE_DESCRIPTIONS,
    ROLE_LABELS,
    STAFF_ROLES,
    Role,
    ScopeLevel,
)
from core.scoping import geography_filter, geography_of
from people.models import Person

pytestmark = pytest.mark.django_db


def test_every_role_is_described_and_has_capabilities_and_a_default_scope() -> None:
    for role in Role:
        assert ROLE_LABELS[role] and ROLE_DESCRIPTIONS[role]
        assert role in ROLE_CAPABILITIES and role in DEFAULT_SCOPE
    assert set(Role) == STAFF_ROLES | EXTERNAL_ROLES
    assert not STAFF_ROLES & EXTERNAL_ROLES


@pytest.mark.parametrize(
    ("level", "expected_filter"),
    [
        (ScopeLevel.NATIONAL, "(AND: )"),
        (ScopeLevel.REGION, "pdu__region_id"),
        (ScopeLevel.PDU, "pdu_id"),
        (ScopeLevel.TEAM, "team_id"),
        (ScopeLevel.NONE, "pk__in"),
    ],
)
def test_each_scope_level_filters_on_its_own_geography(
    make_user: Any, level: ScopeLevel, expected_filter: str
) -> None:
    user = make_user(Role.REGIONAL_DIRECTOR, scope_level=level.value)
    assert expected_filter in str(geography_filter(user))
    assert geography_of(user).level is level
    list(Person.objects.filter(geography_filter(user)))  # the filter is valid SQL


def test_a_team_scope_without_a_team_sees_nothing(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    user.staff.team = None
    user.staff.save()
    user.refresh_from_db()
    assert geography_of(user).level is ScopeLevel.NONE


def test_external_users_have_no_case_geography(make_user: Any) -> None:
    assert geography_of(make_user(Role.PROVIDER)).level is ScopeLevel.NONE
