"""The access matrices walk every role in the table, and a user holding two.

``test_access_matrix`` and ``test_write_access_matrix`` iterate ``build_world().users``;
this proves that world holds, for every ``Role``, a user with that role alone, plus a user
with two roles whose access is their union, so a role added to ``core.roles`` is walked by
both matrices without anyone remembering to add it.

Proved able to fail: having ``build_world`` skip one role (``Role.FACILITATOR``), as it
would skip a role added to the table but not to the world, turned the first test red;
restored, green.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.roles import ROLE_CAPABILITIES, Capability, Role, ScopeLevel
from core.tests.test_write_access_matrix import ANYONE
from core.tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_world_has_a_user_for_each_role_alone_and_one_with_two() -> None:
    world = build_world()
    alone = {next(iter(u.roles)) for u in world.users.values() if len(u.roles) == 1}
    assert alone == set(Role)
    several = [u for u in world.users.values() if len(u.roles) > 1]
    assert several, "the matrices need a user holding several roles"
    # The write matrix's "anyone" rows name every world user, so none is left unwalked.
    assert set(world.users) == ANYONE


def test_the_two_role_user_gets_the_union_and_the_widest_scope() -> None:
    world = build_world()
    user: Any = world.users["SPO_TREATMENT_MANAGER"]
    assert user.roles == {Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER}
    assert user.scope_level == ScopeLevel.REGION.value
    union = ROLE_CAPABILITIES[Role.SENIOR_PROBATION_OFFICER] | ROLE_CAPABILITIES[Role.TREATMENT_MANAGER]
    assert {c for c in Capability if user.has_capability(c)} == union
    by_marker = {p.last_name: p for p in world.people}
    assert world.may_see(user, by_marker["MarkerNotts"])  # same region, other PDU
    assert not world.may_see(user, by_marker["MarkerLeeds"])  # other region
