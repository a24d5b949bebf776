"""Builders for the programmes context. Programmes made here have their own codes, so
tests do not depend on the catalogue the data migration loads."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import factory
from django.utils import timezone

from organisation.models import Office, Staff
from organisation.tests.factories import OfficeFactory
from people.models import Person
from programmes.constants import (
    Cohort,
    Eligibility,
    GroupSex,
    Intensity,
    NeedArea,
    ProgrammeKind,
    ReferralSource,
)
from programmes.models import (
    GroupSlot,
    Programme,
    ProgrammeGroup,
    ProgrammeReferral,
    Room,
    SessionTemplate,
)
from sentences import services as sentences
from sentences.constants import RequirementType
from sentences.models import Requirement
from sentences.tests.factories import community_order

# The Building Choices moderate template: 21 group sessions of 150 minutes and 6 one-to-ones
# of 60 minutes in seven modules (HMPPS Manage and Deliver's session data).
BUILDING_CHOICES_MODERATE = [
    {
        "name": "Pre-group",
        "sessions": [{"name": "Pre-group one-to-one", "kind": "ONE_TO_ONE", "minutes": 60}],
    },
    {
        "name": "Getting started",
        "sessions": [
            *({"name": f"Getting started {n}", "kind": "GROUP", "minutes": 150} for n in (1, 2)),
            {"name": "Getting started one-to-one", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    },
    {
        "name": "Managing myself",
        "sessions": [
            *({"name": f"Managing myself {n}", "kind": "GROUP", "minutes": 150} for n in range(1, 7)),
            {"name": "Managing myself one-to-one", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    },
    {
        "name": "Managing life's problems",
        "sessions": [
            *(
                {"name": f"Managing life's problems {n}", "kind": "GROUP", "minutes": 150}
                for n in range(1, 5)
            ),
            {"name": "Managing life's problems one-to-one", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    },
    {
        "name": "Managing people around me",
        "sessions": [
            *(
                {"name": f"Managing people around me {n}", "kind": "GROUP", "minutes": 150}
                for n in range(1, 7)
            ),
            {"name": "Managing people around me one-to-one", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    },
    {
        "name": "Bringing it all together",
        "sessions": [
            {"name": f"Bringing it all together {n}", "kind": "GROUP", "minutes": 150} for n in (1, 2, 3)
        ],
    },
    {
        "name": "Post programme review",
        "sessions": [{"name": "Post programme review", "kind": "ONE_TO_ONE", "minutes": 60}],
    },
]

# A short template for tests that only need a few sessions.
SHORT_TEMPLATE = [
    {
        "name": "Module 1",
        "sessions": [
            {"name": "Session 1", "kind": "GROUP", "minutes": 120},
            {"name": "Session 2", "kind": "GROUP", "minutes": 120},
            {"name": "One-to-one", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    },
]


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"test-programme-{n}")
    name = factory.Sequence(lambda n: f"Test programme {n}")
    kind = ProgrammeKind.ACCREDITED
    intensity = Intensity.MODERATE
    need_area = NeedArea.GENERAL_OFFENDING
    audience = "Men and women aged 18 and over"
    eligibility = Eligibility.PNI_MODERATE_INTENSITY
    typical_weeks = 12


def programme_with_template(
    modules: list[dict[str, Any]] | None = None, *, effective_from: date = date(2020, 1, 1), **fields: Any
) -> Programme:
    """A programme with one published template (Building Choices moderate by default)."""
    programme = ProgrammeFactory(**fields)
    SessionTemplate.objects.create(
        programme=programme,
        effective_from=effective_from,
        modules=modules if modules is not None else BUILDING_CHOICES_MODERATE,
    )
    return programme


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Group room {n}")
    capacity = 14
    accredited = True


def programme_referral(
    person: Person,
    programme: Programme | None = None,
    *,
    sentenced_on: date = date(2026, 9, 7),
    months: int = 18,
    acting_user: Any = None,
    **fields: Any,
) -> ProgrammeReferral:
    """A person sentenced to a community order with a programme requirement, and its
    referral: the one the sentence opened, or (where none was opened) one made here."""
    event = community_order(
        person,
        sentenced_on=sentenced_on,
        months=months,
        requirements=[sentences.RequirementInput(type=RequirementType.PROGRAMME, amount=None)],
        acting_user=acting_user,
    )
    requirement = Requirement.objects.get(sentence__event=event, type=RequirementType.PROGRAMME)
    referral = ProgrammeReferral.objects.filter(requirement=requirement).first()
    if referral is None:
        referral = ProgrammeReferral.objects.create(
            person=person,
            event=event,
            requirement=requirement,
            pdu=person.pdu,
            source=ReferralSource.REQUIREMENT,
            referred_on=sentenced_on,
            must_finish_by=requirement.expected_end_on,
        )
    if programme is not None:
        referral.programme = programme
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save()
    return referral


def group(
    programme: Programme,
    *,
    room: Room,
    treatment_manager: Staff,
    created_by: Any,
    starts_on: date = date(2026, 11, 2),
    slots: tuple[tuple[int, time], ...] = ((0, time(10)), (3, time(10))),
    **fields: Any,
) -> ProgrammeGroup:
    """A forming group (no sessions: the group service generates them)."""
    template = programme.templates.order_by("-effective_from").first()
    assert template is not None, "give the programme a template first"
    made = ProgrammeGroup.objects.create(
        code=fields.pop("code", f"G{ProgrammeGroup.objects.count() + 1:04d}"),
        programme=programme,
        template=template,
        cohort=fields.pop("cohort", Cohort.GENERAL),
        sex=fields.pop("sex", GroupSex.MALE),
        pdu=fields.pop("pdu", room.office.pdu),
        room=room,
        starts_on=starts_on,
        treatment_manager=treatment_manager,
        created_by=created_by,
        created_at=timezone.now(),
        **fields,
    )
    for weekday, starts_at in slots:
        GroupSlot.objects.create(group=made, weekday=weekday, starts_at=starts_at)
    return made


def office_in(pdu: Any) -> Office:
    return OfficeFactory(pdu=pdu)
