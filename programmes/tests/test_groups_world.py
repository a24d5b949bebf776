"""A small world for the group tests: a coordinator, a treatment manager and a facilitator
in one PDU, an accredited room there, a programme with a published template, and people
waiting for it. Imported by the other ``test_groups_*`` modules; the clock starts in
October 2026, before the groups' first sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.roles import Role
from organisation.constants import Grade
from organisation.models import Pdu, Staff
from organisation.tests.factories import OfficeFactory, StaffFactory, TeamFactory
from people.models import Person
from people.tests.factories import PersonFactory
from programmes.constants import Cohort, GroupSex, ReferralStatus
from programmes.models import Programme, ProgrammeGroup, ProgrammeReferral, Room
from programmes.rules.scheduling import Slot
from programmes.services import groups as services
from programmes.tests.factories import (
    SHORT_TEMPLATE,
    RoomFactory,
    programme_referral,
    programme_with_template,
)

LONDON = ZoneInfo("Europe/London")
BEFORE = datetime(2026, 10, 15, 12, tzinfo=LONDON)
# SHORT_TEMPLATE from Monday 2 November 2026 on Mondays and Thursdays at 10:00:
FIRST = datetime(2026, 11, 2, 10, tzinfo=LONDON)
SECOND = datetime(2026, 11, 5, 10, tzinfo=LONDON)


@dataclass
class GroupWorld:
    coordinator: Any
    treatment_manager: Any
    facilitator: Any
    pdu: Pdu
    room: Room
    programme: Programme
    clock: Any
    people: list[Person] = field(default_factory=list)

    def waitlisted(
        self, *, sex: str = "MALE", programme: Programme | None = None, **fields: Any
    ) -> ProgrammeReferral:
        """A person in the PDU with a referral awaiting allocation to the programme."""
        person = PersonFactory(team=TeamFactory(pdu=self.pdu), sex=sex, **fields)
        self.people.append(person)
        return programme_referral(
            person,
            programme or self.programme,
            sentenced_on=date(2026, 10, 1),
            status=ReferralStatus.AWAITING_ALLOCATION,
        )

    def form_group(self, **overrides: Any) -> ProgrammeGroup:
        fields: dict[str, Any] = {
            "programme": self.programme,
            "cohort": Cohort.GENERAL,
            "sex": GroupSex.MALE,
            "ldc": False,
            "pdu": self.pdu,
            "room": self.room,
            "slots": [Slot(0, time(10)), Slot(3, time(10))],
            "starts_on": date(2026, 11, 2),
            "treatment_manager": self.treatment_manager.staff,
            "facilitators": [self.facilitator.staff],
        }
        return services.create_group(acting_user=self.coordinator, **(fields | overrides))

    def staff(self) -> Staff:
        """Another facilitator's staff record in the PDU (give it to ``make_user(staff=...)``)."""
        return StaffFactory(grade=Grade.FACILITATOR, team=TeamFactory(pdu=self.pdu))


def build_world(
    make_user: Callable[..., Any], clock: Any, modules: Any = None, **programme: Any
) -> GroupWorld:
    facilitator = make_user(Role.FACILITATOR)
    pdu = facilitator.staff.pdu
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    treatment_manager = make_user(Role.TREATMENT_MANAGER)
    for user in (coordinator, treatment_manager):
        user.staff.pdu, user.staff.team = pdu, TeamFactory(pdu=pdu)
        user.staff.save()
    room = RoomFactory(office=OfficeFactory(pdu=pdu))
    return GroupWorld(
        coordinator=coordinator,
        treatment_manager=treatment_manager,
        facilitator=facilitator,
        pdu=pdu,
        room=room,
        programme=programme_with_template(modules if modules is not None else SHORT_TEMPLATE, **programme),
        clock=clock,
    )


@pytest.fixture(name="clock")
def clock_fixture() -> Iterator[Any]:
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


@pytest.fixture(name="world")
def world_fixture(make_user: Callable[..., Any], clock: Any) -> GroupWorld:
    return build_world(make_user, clock)


def test_the_world_forms_a_group_with_its_sessions(world: GroupWorld) -> None:
    group = world.form_group()
    assert [s.starts_at for s in group.sessions.order_by("starts_at")] == [FIRST, SECOND]
