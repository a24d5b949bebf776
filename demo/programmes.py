"""The demo's Accredited Programmes and Structured Interventions, in the Nottinghamshire PDU
where the programmes team sits: rooms, the region's delivery suite, a Structured
Intervention approved by the panel and one awaiting it, a waitlist, and a Building Choices
group some weeks into its run, with registers taken.

The past is replayed, not written: the clock is set to each day in turn (time-machine,
a development dependency like the demo itself) and the real services record each
sentence, assessment, group and register on the day it happened, so every date, status,
appointment, enforcement decision and audit row is the one the rules produce.
Deterministic from the demo's seeded random source.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from organisation.models import Office, Pdu
from people.constants import Sex
from people.models import Person
from programmes.constants import (
    Attendance,
    Cohort,
    GroupSex,
    NeedArea,
    PartnerContactMethod,
    StatusReason,
    Suitability,
)
from programmes.models import GroupMember, Programme, ProgrammeReferral, ProgrammeSession
from programmes.rules.scheduling import Slot
from programmes.services import catalogue, groups
from programmes.services import referrals as programme_referrals
from sentences import services as sentences
from sentences.constants import DisposalType, OffenceCategory, RequirementType

BUILDING_CHOICES = "building-choices-moderate"
BBR = "building-better-relationships"

# Two weekly slots: Building Choices moderate's 21 group sessions take about ten weeks.
GROUP_SLOTS = [Slot(0, time(10)), Slot(3, time(10))]


@contextmanager
def on_day(day: date, hour: int = 12) -> Iterator[None]:
    """Runs the block as if it were ``hour`` o'clock on ``day`` (Europe/London)."""
    # Imported here: time-machine is a development dependency, and only the demo (never
    # the product) moves the clock. Not a cycle.
    import time_machine  # noqa: PLC0415

    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    with time_machine.travel(moment, tick=False):
        yield


def _user(username: str) -> Any:
    return User.objects.select_related("staff__pdu").get(username=username)


def _sentence(person: Person, sentenced_on: date, months: int = 12, rar_days: int = 15) -> None:
    """A community order with a programme requirement, recorded on the day of sentence: the
    programme referral opens itself (programmes listens for the sentence)."""
    with on_day(sentenced_on, 15):
        sentences.record_event(
            acting_user=None,
            person=person,
            court="Mansfield Magistrates' Court",
            convicted_on=sentenced_on,
            sentenced_on=sentenced_on,
            offences=[
                sentences.OffenceInput(
                    description="Assault occasioning actual bodily harm",
                    category=OffenceCategory.VIOLENCE,
                    committed_on=sentenced_on - timedelta(days=90),
                    is_main=True,
                    is_violent=True,
                )
            ],
            sentence=sentences.SentenceInput(
                disposal_type=DisposalType.COMMUNITY_ORDER, length_months=months
            ),
            requirements=[
                sentences.RequirementInput(type=RequirementType.PROGRAMME),
                sentences.RequirementInput(type=RequirementType.RAR, amount=rar_days),
            ],
        )


def _referral_of(person: Person) -> ProgrammeReferral:
    return ProgrammeReferral.objects.filter(person=person).order_by("-pk").first()  # type: ignore[return-value]


def _assess(
    coordinator: Any, referral: ProgrammeReferral, suitability: str, programme: Programme, **why: str
) -> None:
    referral.refresh_from_db()
    programme_referrals.assess(
        acting_user=coordinator,
        referral_id=referral.pk,
        outcome=programme_referrals.SuitabilityInput(
            suitability=suitability,
            reasons=why.get("reasons", "Seen at a suitability interview; motivated to take part."),
            programme_id=programme.pk if suitability != Suitability.NOT_SUITABLE else None,
            reason=why.get("reason", ""),
            note=why.get("note", ""),
        ),
        expected_version=referral.version,
    )


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


def load_programmes(rng: random.Random, *, second_pdu: str, home_pdu: str) -> None:
    """The programmes half of the demo (called by ``load_demo`` once people exist)."""
    today = timezone.localdate()
    coordinator, manager, facilitator = _user("programmes"), _user("treatment"), _user("facilitator")
    notts = Pdu.objects.get(name=second_pdu)
    city = Pdu.objects.get(name=home_pdu)
    building_choices = Programme.objects.get(code=BUILDING_CHOICES)
    office = Office.objects.active().filter(pdu=notts).order_by("name").first()
    city_office = Office.objects.active().filter(pdu=city).order_by("name").first()
    assert office is not None and city_office is not None, "the reference offices are loaded by migration"

    # Rooms, the suite and the panel: set up today, as a coordinator would on their first day.
    room = catalogue.add_room(
        acting_user=coordinator, office_id=office.pk, name="Group room 1", capacity=12, accredited=True
    )
    catalogue.add_room(
        acting_user=coordinator, office_id=office.pk, name="Interview room 2", capacity=3, accredited=False
    )
    catalogue.add_room(
        acting_user=coordinator,
        office_id=city_office.pk,
        name="Programmes suite",
        capacity=14,
        accredited=True,
    )
    for code, pdu, where in (
        (BUILDING_CHOICES, notts, office),
        (BUILDING_CHOICES, city, city_office),
        (BBR, notts, office),
        (BBR, city, city_office),
    ):
        catalogue.add_offer(
            acting_user=coordinator, programme_code=code, pdu_id=pdu.pk, office_id=where.pk, starts_on=today
        )
    _interventions(manager, notts, office, today)

    # The replayed past: a cohort sentenced about eleven weeks ago, assessed, grouped and
    # now some weeks into Building Choices; an older cohort that never started; a fresh waitlist.
    men = list(
        Person.objects.filter(
            pdu=notts, sex=Sex.MALE, is_restricted=False, practitioner__isnull=False
        ).order_by("crn")
    )
    rng.shuffle(men)
    cohort, older, waiting = men[:9], men[9:13], men[13:18]
    sentenced = today - timedelta(weeks=11)
    for index, person in enumerate(cohort):
        _sentence(person, sentenced - timedelta(days=index % 4))
    with on_day(sentenced + timedelta(days=7), 11):
        for person in cohort[:8]:
            _assess(coordinator, _referral_of(person), Suitability.SUITABLE, building_choices)
        for person in cohort[8:]:  # a small demo (few people a team) may have none left
            _assess(
                coordinator,
                _referral_of(person),
                Suitability.SUITABLE_NOT_READY,
                building_choices,
                reasons="Suitable, but drinking daily: to engage with alcohol treatment first.",
                reason=StatusReason.SUBSTANCE_MISUSE,
            )
    starts_on = _monday_after(sentenced + timedelta(days=14))
    with on_day(sentenced + timedelta(days=14), 10):
        group = groups.create_group(
            acting_user=coordinator,
            programme=building_choices,
            cohort=Cohort.GENERAL,
            sex=GroupSex.MALE,
            ldc=False,
            pdu=notts,
            room=room,
            slots=GROUP_SLOTS,
            starts_on=starts_on,
            treatment_manager=manager.staff,
            facilitators=[facilitator.staff],
        )
        for person in cohort[:8]:
            groups.add_member(acting_user=coordinator, group_id=group.pk, referral_id=_referral_of(person).pk)
        _book_pre_group_one_to_ones(coordinator, facilitator, group.pk, starts_on - timedelta(days=3))
    _registers(rng, facilitator, group.pk, today)
    _older_cohort(coordinator, older, building_choices, today)
    _waitlist(coordinator, waiting, building_choices, today)
    _practitioners_person(coordinator, city, today)
    _partner_link_work(men[18:19], notts, today)


def _interventions(manager: Any, pdu: Pdu, office: Office, today: date) -> None:
    """One Structured Intervention approved by the panel and offered, one awaiting it."""
    panel = _user("panel")
    sessions = [{"name": f"Session {n}", "kind": "GROUP", "minutes": 120} for n in range(1, 7)]
    approved = catalogue.submit_intervention(
        acting_user=manager,
        proposal=catalogue.InterventionProposal(
            name="Stepwise Emotions",
            need_area=NeedArea.EMOTIONAL_MANAGEMENT,
            audience="Men and women on probation who struggle to manage anger and stress",
            modules=[{"name": "Stepwise Emotions", "sessions": sessions}],
            typical_weeks=6,
            summary="Six weekly sessions on recognising and managing emotions, after the Stepwise suite.",
        ),
    )
    catalogue.decide_intervention(
        acting_user=panel, code=approved.code, step="approve", reasons="Meets all seven principles."
    )
    catalogue.add_offer(
        acting_user=manager, programme_code=approved.code, pdu_id=pdu.pk, office_id=office.pk, starts_on=today
    )
    catalogue.submit_intervention(
        acting_user=manager,
        proposal=catalogue.InterventionProposal(
            name="Stepwise Relationships",
            need_area=NeedArea.DOMESTIC_ABUSE,
            audience="Men who have used abuse in a relationship, at lower risk",
            modules=[{"name": "Stepwise Relationships", "sessions": sessions[:5]}],
            typical_weeks=5,
            summary="Five sessions on healthy relationships for those not eligible for Building Better Relationships.",
        ),
    )


def _book_pre_group_one_to_ones(coordinator: Any, facilitator: Any, group_id: int, day: date) -> None:
    """Each member's first one-to-one (the pre-group session), booked by the coordinator with
    the facilitator an hour apart on one day, and (replayed on that day) their attendance."""
    first_one_to_ones = [
        ProgrammeSession.objects.filter(group_id=group_id, member=member, starts_at__isnull=True)
        .order_by("position")
        .first()
        for member in GroupMember.objects.filter(group_id=group_id).order_by("pk")
    ]
    booked = [s for s in first_one_to_ones if s is not None]
    for hour, placeholder in enumerate(booked):
        groups.book_one_to_one(
            acting_user=coordinator,
            session_id=placeholder.pk,
            starts_at=timezone.make_aware(datetime.combine(day, time(9 + hour))),
            facilitator=facilitator.staff,
            expected_version=placeholder.version,
        )
    with on_day(day, 18):
        for one_to_one in booked:
            assert one_to_one.member_id is not None
            groups.record_attendance(
                acting_user=facilitator,
                session_id=one_to_one.pk,
                member_id=one_to_one.member_id,
                outcome=Attendance.ATTENDED_COMPLIED,
            )


def _registers(rng: random.Random, facilitator: Any, group_id: int, today: date) -> None:
    """Each group session already held has its register: mostly attended, some acceptable
    absences, and one unacceptable absence the practitioner must now act on."""
    held = list(
        ProgrammeSession.objects.filter(
            group_id=group_id,
            member__isnull=True,
            starts_at__lt=timezone.make_aware(datetime.combine(today, time.min)),
        ).order_by("starts_at")
    )
    for number, session in enumerate(held):
        assert session.starts_at is not None
        with on_day(timezone.localtime(session.starts_at).date(), 13):
            entries = []
            for row, attendance in enumerate(session.attendances.order_by("member_id")):
                roll = rng.random()
                if number == len(held) - 2 and row == 0:
                    entries.append(
                        groups.AttendanceEntry(
                            attendance.member_id,
                            Attendance.UNACCEPTABLE_ABSENCE,
                            notes="Did not attend and did not get in touch.",
                        )
                    )
                elif roll < 0.08:
                    entries.append(
                        groups.AttendanceEntry(attendance.member_id, Attendance.ACCEPTABLE_ABSENCE, "MEDICAL")
                    )
                else:
                    entries.append(groups.AttendanceEntry(attendance.member_id, Attendance.ATTENDED_COMPLIED))
            groups.record_register(acting_user=facilitator, session_id=session.pk, entries=entries)


def _older_cohort(coordinator: Any, people: list[Person], programme: Programme, today: date) -> None:
    """Referrals from about eight months ago that closed without the programme starting,
    each with its reason: what the commencement figures are there to bring down."""
    reasons = [
        StatusReason.NOT_ENOUGH_TIME,
        StatusReason.CUSTODY,
        StatusReason.HEALTH,
        StatusReason.NOT_MOTIVATED,
    ]
    for index, (person, reason) in enumerate(zip(people, reasons, strict=False)):
        sentenced = today - timedelta(days=240 + 9 * index)
        _sentence(person, sentenced)
        referral = _referral_of(person)
        with on_day(sentenced + timedelta(days=20 + 3 * index), 11):
            programme_referrals.take_step(
                acting_user=coordinator,
                referral_id=referral.pk,
                step="withdraw",
                reason=reason,
                note="",
                expected_version=referral.version,
            )


def _waitlist(coordinator: Any, people: list[Person], programme: Programme, today: date) -> None:
    """Recent referrals: some assessed and waiting for the next group, one on a short order
    that cannot finish Building Choices in time."""
    for index, person in enumerate(people):
        short = index == len(people) - 1
        _sentence(person, today - timedelta(days=10 + 4 * index), months=3 if short else 12)
        if index % 2 == 0:
            with on_day(today - timedelta(days=3), 11):
                _assess(coordinator, _referral_of(person), Suitability.SUITABLE, programme)


def _practitioners_person(coordinator: Any, city: Pdu, today: date) -> None:
    """One of the demo practitioner's own people is on the Nottingham City waitlist, so
    their overview shows a programme referral."""
    practitioner = _user("practitioner")
    person = (
        Person.objects.filter(practitioner=practitioner.staff, sex=Sex.MALE, is_restricted=False)
        .order_by("crn")
        .first()
    )
    if person is None:
        return
    _sentence(person, today - timedelta(days=21))
    with on_day(today - timedelta(days=7), 11):
        _assess(
            coordinator,
            _referral_of(person),
            Suitability.SUITABLE,
            Programme.objects.get(code=BUILDING_CHOICES),
        )


def _partner_link_work(people: list[Person], pdu: Pdu, today: date) -> None:
    """A man referred to Building Better Relationships, with the Partner Link Worker's
    first contact with his partner."""
    plw = _user("plw")
    for person in people:
        _sentence(person, today - timedelta(days=28))
        referral = _referral_of(person)
        with on_day(today - timedelta(days=21), 11):
            _assess(_user("treatment"), referral, Suitability.SUITABLE, Programme.objects.get(code=BBR))
        with on_day(today - timedelta(days=14), 14):
            programme_referrals.record_partner_contact(
                acting_user=plw,
                referral_id=referral.pk,
                contacted_on=today - timedelta(days=14),
                method=PartnerContactMethod.PHONE,
                safety_concern=False,
                notes="Introduced the Partner Link Worker role and agreed a safe time to call.",
            )
