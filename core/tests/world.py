"""A small, fully-known world for access tests: geography, one user per role, and cases.

Every person has a unique marker surname, so a test can search any response
for people who should not appear in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.roles import ROLE_CAPABILITIES, Capability, Role, ScopeLevel
from accounts.tests.factories import UserFactory
from organisation.models import Pdu
from organisation.tests.factories import StaffFactory, TeamFactory
from people.constants import AccessListKind
from people.models import CaseAccessEntry, Person
from people.tests.factories import PersonFactory


@dataclass
class World:
    users: dict[str, Any]
    people: list[Person]
    excluded: set[tuple[int, int]] = field(default_factory=set)  # (person id, user id)
    permitted: set[tuple[int, int]] = field(default_factory=set)

    def may_see(self, user: Any, person: Person) -> bool:
        """The oracle, written independently of the selectors it checks."""
        if Capability.VIEW_CASES not in ROLE_CAPABILITIES[Role(user.role)]:
            return False
        level = ScopeLevel(user.scope_level)
        staff = user.staff
        in_geography = {
            ScopeLevel.NATIONAL: True,
            ScopeLevel.REGION: staff is not None and person.pdu.region_id == staff.pdu.region_id,
            ScopeLevel.PDU: staff is not None and person.pdu_id == staff.pdu_id,
            ScopeLevel.TEAM: staff is not None
            and staff.team_id is not None
            and person.team_id == staff.team_id,
            ScopeLevel.NONE: False,
        }[level]
        if not in_geography or (person.pk, user.pk) in self.excluded:
            return False
        return not person.is_restricted or (person.pk, user.pk) in self.permitted


def build_world() -> World:
    nottingham = Pdu.objects.get(name="Nottingham City")
    notts = Pdu.objects.get(name="Nottinghamshire")
    leeds = Pdu.objects.get(name="Leeds")
    team_a = TeamFactory(pdu=nottingham, code="W-A")
    team_b = TeamFactory(pdu=nottingham, code="W-B")
    team_m = TeamFactory(pdu=notts, code="W-M")
    team_l = TeamFactory(pdu=leeds, code="W-L")

    users: dict[str, Any] = {}
    for role in Role:
        staff = None
        if role not in (Role.COMMISSIONER, Role.PROVIDER):
            staff = StaffFactory(team=team_a, pdu=nottingham)
        users[role.value] = (
            UserFactory(username=f"w-{role.value.lower()}", role=role, staff=staff)
            if staff
            else UserFactory(username=f"w-{role.value.lower()}", role=role)
        )
    # A national-scope user (e.g. national security division) to cover the NATIONAL level.
    users["NATIONAL_CASE_VIEWER"] = UserFactory(
        username="w-national",
        role=Role.REGIONAL_DIRECTOR,
        scope_level=ScopeLevel.NATIONAL.value,
        staff=StaffFactory(team=None, pdu=leeds),
    )
    # A PSO in team B: same PDU as team A, different team.
    users["TEAM_B_PRACTITIONER"] = UserFactory(
        username="w-teamb", role=Role.PRACTITIONER, staff=StaffFactory(team=team_b, pdu=nottingham)
    )

    def person(marker: str, team: Any, pdu: Any = None, **kw: Any) -> Person:
        return PersonFactory(last_name=f"Marker{marker}", team=team, pdu=pdu or team.pdu, **kw)

    people = [
        person("TeamA", team_a),
        person("TeamB", team_b),
        person("Unallocated", None, pdu=nottingham),
        person("Notts", team_m),
        person("Leeds", team_l),
        person("Excluded", team_a),
        person("Restricted", team_a, is_restricted=True),
    ]
    world = World(users=users, people=people)
    excluded_person, restricted_person = people[5], people[6]
    practitioner, spo = users[Role.PRACTITIONER.value], users[Role.SENIOR_PROBATION_OFFICER.value]
    CaseAccessEntry.objects.create(
        person=excluded_person, user=practitioner, kind=AccessListKind.EXCLUDED, reason="test"
    )
    world.excluded.add((excluded_person.pk, practitioner.pk))
    CaseAccessEntry.objects.create(
        person=restricted_person, user=spo, kind=AccessListKind.PERMITTED, reason="test"
    )
    world.permitted.add((restricted_person.pk, spo.pk))
    return world
