"""The role table (``core.roles``): complete, and what several roles add up to.

Pure: no database. The boundary tests name a capability only one of two roles grants, so
an intersection (or "the first role wins") would fail them.

Proved able to fail: making ``capabilities_for_roles`` return the capabilities of the
first role (in the table's order) only turned ``test_two_roles_grant_what_either_grants``
red for every pair; making it return
``ROLE_CAPABILITIES[Role.PRACTITIONER]`` for an empty set turned
``test_no_role_grants_nothing`` red; restored, green.
"""

from __future__ import annotations

import pytest

from core.roles import (
    CAPABILITY_DESCRIPTIONS,
    DEFAULT_SCOPE,
    EXTERNAL_ROLES,
    NO_ROLE_MESSAGE,
    ROLE_CAPABILITIES,
    ROLE_DESCRIPTIONS,
    ROLE_LABELS,
    STAFF_ROLES,
    Capability,
    Role,
    ScopeLevel,
    capabilities_for,
    capabilities_for_roles,
    default_scope_for_roles,
    in_table_order,
    role_set_problem,
)

C = Capability


def test_every_role_has_a_label_description_capabilities_and_default_scope() -> None:
    for table in (ROLE_LABELS, ROLE_DESCRIPTIONS, ROLE_CAPABILITIES, DEFAULT_SCOPE):
        assert set(table) == set(Role)
    assert set(CAPABILITY_DESCRIPTIONS) == set(Capability)


def test_every_role_is_either_staff_or_external() -> None:
    assert set(Role) == STAFF_ROLES | EXTERNAL_ROLES
    assert not STAFF_ROLES & EXTERNAL_ROLES


def test_the_accredited_programmes_jobs() -> None:
    """Issue 10, point 11, and issue 12: treatment managers and coordinators run programmes
    across a region; facilitators deliver sessions in their PDU; only treatment managers
    and Partner Link Workers read partner-safety contacts; only the national panel
    approves Structured Interventions, and it sees no cases."""
    assert ROLE_CAPABILITIES[Role.FACILITATOR] == {C.VIEW_CASES, C.VIEW_ORGANISATION, C.DELIVER_PROGRAMMES}
    for role in (Role.TREATMENT_MANAGER, Role.PROGRAMME_COORDINATOR):
        assert {
            C.VIEW_CASES,
            C.VIEW_INSIGHTS,
            C.MANAGE_PROGRAMMES,
            C.DELIVER_PROGRAMMES,
        } <= ROLE_CAPABILITIES[role]
        assert DEFAULT_SCOPE[role] is ScopeLevel.REGION
    assert {r for r in Role if C.PARTNER_SAFETY in ROLE_CAPABILITIES[r]} == {
        Role.TREATMENT_MANAGER,
        Role.PARTNER_LINK_WORKER,
    }
    assert {r for r in Role if C.APPROVE_INTERVENTIONS in ROLE_CAPABILITIES[r]} == {Role.INTERVENTIONS_PANEL}
    assert DEFAULT_SCOPE[Role.INTERVENTIONS_PANEL] is ScopeLevel.NONE
    assert DEFAULT_SCOPE[Role.FACILITATOR] is ScopeLevel.PDU
    assert {Role.TREATMENT_MANAGER, Role.FACILITATOR, Role.PROGRAMME_COORDINATOR} <= STAFF_ROLES
    assert "PROGRAMMES" not in {role.value for role in Role}


@pytest.mark.parametrize(
    "roles",
    [
        (Role.SENIOR_PROBATION_OFFICER, Role.UNPAID_WORK),
        (Role.PRACTITIONER, Role.COMMERCIAL),
        (Role.NATIONAL_ANALYST, Role.ADMINISTRATOR),
        (Role.FACILITATOR, Role.COMMERCIAL),
    ],
)
def test_two_roles_grant_what_either_grants(roles: tuple[Role, Role]) -> None:
    """Each pair is a boundary: each role grants something the other does not."""
    first, second = roles
    only_first = ROLE_CAPABILITIES[first] - ROLE_CAPABILITIES[second]
    only_second = ROLE_CAPABILITIES[second] - ROLE_CAPABILITIES[first]
    assert only_first and only_second
    for order in (roles, roles[::-1]):
        both = capabilities_for_roles(order)
        assert only_first <= both and only_second <= both
        assert both == ROLE_CAPABILITIES[first] | ROLE_CAPABILITIES[second]


def test_no_role_grants_nothing() -> None:
    assert capabilities_for_roles([]) == frozenset()
    assert capabilities_for_roles(["PROGRAMMES", "NOT_A_ROLE"]) == frozenset()  # removed roles grant nothing
    assert capabilities_for("") == frozenset()


def test_the_default_scope_is_the_widest_of_the_roles_defaults() -> None:
    assert default_scope_for_roles([Role.PRACTITIONER]) is ScopeLevel.TEAM
    assert default_scope_for_roles([Role.PRACTITIONER, Role.FACILITATOR]) is ScopeLevel.PDU
    assert (
        default_scope_for_roles([Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER]) is ScopeLevel.REGION
    )
    assert default_scope_for_roles([Role.ADMINISTRATOR, Role.NATIONAL_ANALYST]) is ScopeLevel.NATIONAL
    assert default_scope_for_roles([]) is ScopeLevel.NONE


def test_staff_and_external_roles_cannot_be_mixed() -> None:
    problem = role_set_problem([Role.PRACTITIONER, Role.PROVIDER])
    assert problem is not None and "not both" in problem
    assert "Provider user" in problem and "Probation practitioner" in problem
    assert role_set_problem([]) == NO_ROLE_MESSAGE
    assert role_set_problem([Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER]) is None
    assert role_set_problem([Role.COMMISSIONER, Role.PROVIDER]) is None


def test_roles_read_in_the_tables_order() -> None:
    assert in_table_order([Role.ADMINISTRATOR, "PRACTITIONER", Role.ADMINISTRATOR]) == [
        Role.PRACTITIONER,
        Role.ADMINISTRATOR,
    ]
