"""Groups and delivery, through the services: each refusal at its boundary, and what
attendance leads to (the supervision appointment and enforcement, RAR days, the referral
starting and completing, the requirement completing, the group running and ending)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core.exceptions import TransitionNotAllowed
from organisation.tests.factories import TeamFactory
from people.tests.factories import PersonFactory
from programmes.constants import (
    Attendance,
    DeliveryMode,
    GroupSex,
    GroupStatus,
    ProgrammeKind,
    ReferralSource,
    ReferralStatus,
    StatusReason,
)
from programmes.models import (
    NonAssociation,
    ProgrammeReferral,
    ProgrammeSession,
    SessionAttendance,
    SessionTemplate,
)
from programmes.rules.groups import MAX_GROUP_MEMBERS
from programmes.services import groups as services
from programmes.tests.factories import programme_with_template
from programmes.tests.test_groups_world import FIRST, LONDON, SECOND, GroupWorld, clock_fixture, world_fixture  # noqa: F401
from sentences import services as sentences
from sentences.constants import RequirementStatus, RequirementType
from sentences.models import Requirement
from sentences.tests.factories import community_order
from supervision.constants import AppointmentOutcome, AppointmentType
from supervision.models import Appointment
from supervision.selectors import action_needed_for

pytestmark = pytest.mark.django_db


def _add(world: GroupWorld, group: Any, referral: ProgrammeReferral) -> Any:
    return services.add_member(acting_user=world.coordinator, group_id=group.pk, referral_id=referral.pk)


def _session(group: Any, when: datetime) -> ProgrammeSession:
    return group.sessions.get(member__isnull=True, starts_at=when)


def _record(world: GroupWorld, session: ProgrammeSession, member: Any, outcome: str, **extra: Any) -> Any:
    return services.record_attendance(
        acting_user=world.facilitator, session_id=session.pk, member_id=member.pk, outcome=outcome, **extra
    )


# --- Forming a group ------------------------------------------------------------------


def test_a_group_takes_the_template_in_force_on_its_start_date(world: GroupWorld) -> None:
    newer = SessionTemplate.objects.create(
        programme=world.programme,
        effective_from=date(2026, 11, 3),
        modules=[{"name": "New", "sessions": [{"name": "Only", "kind": "GROUP", "minutes": 90}]}],
    )
    on_the_day_before = world.form_group(starts_on=date(2026, 11, 2))
    assert on_the_day_before.template.effective_from == date(2020, 1, 1)
    assert world.form_group(starts_on=date(2026, 11, 3), facilitators=[world.staff()]).template == newer


def test_no_template_in_force_is_refused(world: GroupWorld) -> None:
    world.programme.templates.update(effective_from=date(2026, 11, 3))
    with pytest.raises(ValidationError) as refused:
        world.form_group(starts_on=date(2026, 11, 2))
    assert "no session template in force" in refused.value.message_dict["starts_on"][0]


def test_an_unpublished_template_is_refused(world: GroupWorld) -> None:
    world.programme.templates.update(published=False, modules=[], note="Not public yet")
    with pytest.raises(ValidationError) as refused:
        world.form_group()
    assert "no published session template" in refused.value.message_dict["programme"][0]


def test_a_withdrawn_programme_and_an_unsuitable_room_are_refused(world: GroupWorld) -> None:
    world.programme.withdrawn_on = date(2026, 10, 15)
    world.programme.save()
    world.room.accredited = False
    world.room.save()
    with pytest.raises(ValidationError) as refused:
        world.form_group()
    assert set(refused.value.message_dict) == {"programme", "room"}


def test_a_double_booked_facilitator_is_refused_by_name(world: GroupWorld) -> None:
    world.form_group()
    other_room = type(world.room).objects.create(office=world.room.office, name="Second room", capacity=10)
    with pytest.raises(ValidationError) as refused:
        world.form_group(room=other_room, slots=[services.scheduling.Slot(0, time(11, 59))])
    message = refused.value.message_dict["facilitators"][0]
    assert str(world.facilitator.staff) in message and "already facilitating" in message
    # Starting when the other session ends (10:00 + 120 minutes) is no clash.
    world.form_group(room=other_room, slots=[services.scheduling.Slot(0, time(12))])


# --- Adding people --------------------------------------------------------------------


def test_adding_a_person_schedules_them_and_puts_every_dated_session_on_their_record(
    world: GroupWorld,
) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SCHEDULED
    placeholder = member.sessions.get()
    assert placeholder.kind == "ONE_TO_ONE" and placeholder.starts_at is None and placeholder.position == 3
    rows = SessionAttendance.objects.filter(member=member)
    assert rows.count() == 3 and all(r.outcome == "" for r in rows)
    appointments = Appointment.objects.filter(person=referral.person)
    assert sorted(a.starts_at for a in appointments) == [FIRST, SECOND]
    assert {a.type for a in appointments} == {AppointmentType.PROGRAMME_SESSION}
    assert {a.event_id for a in appointments} == {referral.event_id}
    assert {a.practitioner_id for a in appointments} == {world.coordinator.staff_id}  # no practitioner yet


def test_the_thirteenth_person_is_refused(world: GroupWorld) -> None:
    group = world.form_group()
    for _ in range(MAX_GROUP_MEMBERS):
        _add(world, group, world.waitlisted())
    with pytest.raises(ValidationError, match="already has 12 members"):
        _add(world, group, world.waitlisted())


@pytest.mark.parametrize("recorded_on", ["newcomer", "member"])
def test_a_non_association_is_refused_whichever_side_recorded_it(world: GroupWorld, recorded_on: str) -> None:
    group = world.form_group()
    member_referral = world.waitlisted()
    _add(world, group, member_referral)
    newcomer = world.waitlisted()
    on, other = (newcomer, member_referral) if recorded_on == "newcomer" else (member_referral, newcomer)
    NonAssociation.objects.create(
        referral=on, other_person=other.person, reason="Co-defendants", recorded_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="non-association"):
        _add(world, group, newcomer)


def test_a_person_already_in_a_group_of_the_same_programme_is_refused(world: GroupWorld) -> None:
    first, second = (
        world.form_group(),
        world.form_group(starts_on=date(2026, 11, 9), facilitators=[world.staff()]),
    )
    referral = world.waitlisted()
    _add(world, first, referral)
    another = ProgrammeReferral.objects.create(
        person=referral.person,
        event=referral.event,
        pdu=world.pdu,
        programme=world.programme,
        source=ReferralSource.PRACTITIONER,
        referred_on=date(2026, 10, 2),
        must_finish_by=date(2027, 10, 1),
        status=ReferralStatus.AWAITING_ALLOCATION,
    )
    with pytest.raises(ValidationError, match="already in a forming or running group"):
        _add(world, second, another)


@pytest.mark.parametrize(
    ("group_sex", "person_sex", "message"),
    [(GroupSex.MALE, "FEMALE", "men's group"), (GroupSex.FEMALE, "MALE", "women's group")],
)
def test_sex_mismatch_is_refused(world: GroupWorld, group_sex: str, person_sex: str, message: str) -> None:
    group = world.form_group(sex=group_sex)
    with pytest.raises(ValidationError, match=message):
        _add(world, group, world.waitlisted(sex=person_sex))
    _add(world, group, world.waitlisted(sex="MALE" if group_sex == GroupSex.MALE else "FEMALE"))


def test_a_referral_for_another_programme_is_refused(world: GroupWorld) -> None:
    group = world.form_group()
    other = world.waitlisted(programme=programme_with_template())
    with pytest.raises(ValidationError, match="This referral is for"):
        _add(world, group, other)


def test_a_referral_with_no_programme_takes_the_groups(world: GroupWorld) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    referral.programme = None
    referral.save()
    _add(world, group, referral)
    referral.refresh_from_db()
    assert referral.programme == world.programme


def test_removing_before_the_start_puts_the_referral_back_and_clears_the_appointments(
    world: GroupWorld,
) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    services.remove_member(acting_user=world.coordinator, member_id=member.pk, reason=StatusReason.STAFFING)
    referral.refresh_from_db()
    member.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ALLOCATION and member.left_on == date(2026, 10, 15)
    assert not Appointment.objects.filter(person=referral.person).exists()
    assert not member.sessions.exists()
    assert AuditEvent.objects.filter(changes__removed__isnull=False).count() == 2
    # Back on the waitlist, they can join again.
    _add(world, group, referral)


def test_flexible_delivery_needs_a_reason(world: GroupWorld) -> None:
    group = world.form_group()
    member = _add(world, group, world.waitlisted())
    with pytest.raises(ValidationError):
        services.set_delivery(
            acting_user=world.coordinator, member_id=member.pk, mode=DeliveryMode.REMOTE, reason=""
        )
    services.set_delivery(
        acting_user=world.coordinator,
        member_id=member.pk,
        mode=DeliveryMode.REMOTE,
        reason="Lives on an island",
    )
    member.refresh_from_db()
    assert member.delivery_mode == DeliveryMode.REMOTE


# --- Sessions -------------------------------------------------------------------------


def test_rescheduling_cascades_and_moves_the_appointments(world: GroupWorld) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    _add(world, group, referral)
    first = _session(group, FIRST)
    moved = services.reschedule_session(
        acting_user=world.coordinator,
        session_id=first.pk,
        starts_at=datetime(2026, 11, 5, 10, tzinfo=LONDON),
        expected_version=first.version,
    )
    assert len(moved) == 2
    starts = sorted(s.starts_at for s in group.sessions.filter(member__isnull=True) if s.starts_at)
    assert starts == [SECOND, datetime(2026, 11, 9, 10, tzinfo=LONDON)]
    assert sorted(a.starts_at for a in Appointment.objects.filter(person=referral.person)) == starts


def test_rescheduling_into_the_past_is_refused(world: GroupWorld) -> None:
    group = world.form_group()
    first = _session(group, FIRST)
    with pytest.raises(ValidationError, match="past"):
        services.reschedule_session(
            acting_user=world.coordinator,
            session_id=first.pk,
            starts_at=datetime(2026, 10, 15, 11, tzinfo=LONDON),
            expected_version=first.version,
        )


def test_booking_a_one_to_one_puts_it_on_the_record(world: GroupWorld) -> None:
    group = world.form_group()
    member = _add(world, group, world.waitlisted())
    placeholder = member.sessions.get()
    when = datetime(2026, 11, 10, 14, tzinfo=LONDON)
    services.book_one_to_one(
        acting_user=world.coordinator,
        session_id=placeholder.pk,
        starts_at=when,
        facilitator=world.facilitator.staff,
        expected_version=placeholder.version,
    )
    row = SessionAttendance.objects.get(session=placeholder)
    assert row.appointment is not None and row.appointment.starts_at == when


# --- Delivery -------------------------------------------------------------------------


def test_a_future_session_refuses_attendance(world: GroupWorld) -> None:
    group = world.form_group()
    member = _add(world, group, world.waitlisted())
    with pytest.raises(ValidationError, match="once the session has started"):
        _record(world, _session(group, FIRST), member, Attendance.ATTENDED_COMPLIED)


def test_attendance_reaches_the_appointment_and_an_enforceable_one_the_practitioner(
    world: GroupWorld,
) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    world.clock.move_to(FIRST + timedelta(hours=3))
    with pytest.raises(ValidationError) as refused:
        _record(world, _session(group, FIRST), member, Attendance.UNACCEPTABLE_ABSENCE)
    assert "notes" in refused.value.message_dict
    row = _record(world, _session(group, FIRST), member, Attendance.UNACCEPTABLE_ABSENCE, notes="No contact")
    row.appointment.refresh_from_db()
    assert row.appointment.outcome == AppointmentOutcome.UNACCEPTABLE_ABSENCE
    assert list(action_needed_for(referral.person)) == [row.appointment]
    group.refresh_from_db()
    referral.refresh_from_db()
    assert group.status == GroupStatus.RUNNING
    assert referral.status == ReferralStatus.SCHEDULED  # an absence is not a start


def test_an_acceptable_absence_needs_a_reason(world: GroupWorld) -> None:
    group = world.form_group()
    member = _add(world, group, world.waitlisted())
    world.clock.move_to(FIRST + timedelta(hours=3))
    with pytest.raises(ValidationError) as refused:
        _record(world, _session(group, FIRST), member, Attendance.ACCEPTABLE_ABSENCE)
    assert "absence_reason" in refused.value.message_dict
    row = _record(
        world, _session(group, FIRST), member, Attendance.ACCEPTABLE_ABSENCE, absence_reason="MEDICAL"
    )
    assert row.appointment.absence_reason == "MEDICAL"


def test_first_attendance_starts_and_the_last_required_one_completes(world: GroupWorld) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    placeholder = member.sessions.get()
    services.book_one_to_one(
        acting_user=world.coordinator,
        session_id=placeholder.pk,
        starts_at=datetime(2026, 11, 10, 14, tzinfo=LONDON),
        facilitator=world.facilitator.staff,
        expected_version=placeholder.version,
    )
    world.clock.move_to(FIRST + timedelta(hours=3))
    _record(world, _session(group, FIRST), member, Attendance.ATTENDED_COMPLIED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_PROGRAMME and referral.started_on == date(2026, 11, 2)
    world.clock.move_to(datetime(2026, 11, 11, 12, tzinfo=LONDON))
    _record(world, _session(group, SECOND), member, Attendance.ATTENDED_COMPLIED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_PROGRAMME  # the one-to-one is still to be recorded
    _record(world, placeholder, member, Attendance.ATTENDED_COMPLIED)
    referral.refresh_from_db()
    group.refresh_from_db()
    assert referral.status == ReferralStatus.PROGRAMME_COMPLETE and referral.completed_on == date(
        2026, 11, 10
    )
    requirement = Requirement.objects.get(pk=referral.requirement_id)
    assert requirement.status == RequirementStatus.COMPLETED and requirement.ended_on == date(2026, 11, 10)
    assert group.status == GroupStatus.ENDED
    with pytest.raises(TransitionNotAllowed):
        _record(world, placeholder, member, Attendance.ATTENDED_COMPLIED)


def test_an_attended_catch_up_counts_for_the_missed_session(world: GroupWorld) -> None:
    world.programme.templates.update(
        modules=[
            {"name": "M", "sessions": [{"name": f"S{n}", "kind": "GROUP", "minutes": 60} for n in (1, 2)]}
        ]
    )
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    world.clock.move_to(FIRST + timedelta(hours=3))
    _record(world, _session(group, FIRST), member, Attendance.ACCEPTABLE_ABSENCE, absence_reason="MEDICAL")
    catch_up = services.add_catch_up(
        acting_user=world.coordinator,
        member_id=member.pk,
        missed_session_id=_session(group, FIRST).pk,
        starts_at=datetime(2026, 11, 4, 10, tzinfo=LONDON),
        facilitator=world.facilitator.staff,
    )
    world.clock.move_to(datetime(2026, 11, 5, 13, tzinfo=LONDON))
    _record(world, _session(group, SECOND), member, Attendance.ATTENDED_COMPLIED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_PROGRAMME
    _record(world, catch_up, member, Attendance.ATTENDED_COMPLIED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROGRAMME_COMPLETE


def test_a_register_saves_every_row_or_none(world: GroupWorld) -> None:
    group = world.form_group()
    one, two = _add(world, group, world.waitlisted()), _add(world, group, world.waitlisted())
    world.clock.move_to(FIRST + timedelta(hours=3))
    session = _session(group, FIRST)
    with pytest.raises(services.RegisterRejected) as rejected:
        services.record_register(
            acting_user=world.facilitator,
            session_id=session.pk,
            entries=[
                services.AttendanceEntry(one.pk, Attendance.ATTENDED_COMPLIED),
                services.AttendanceEntry(two.pk, Attendance.ATTENDED_FAILED_TO_COMPLY),
            ],
        )
    assert list(rejected.value.problems) == [two.pk]
    assert not SessionAttendance.objects.filter(session=session).exclude(outcome="").exists()


def test_deselection_removes_future_appointments_and_keeps_the_past(world: GroupWorld) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = _add(world, group, referral)
    world.clock.move_to(FIRST + timedelta(hours=3))
    _record(world, _session(group, FIRST), member, Attendance.ATTENDED_COMPLIED)
    services.deselect_member(
        acting_user=world.coordinator, member_id=member.pk, reason=StatusReason.MISSED_SESSIONS
    )
    referral.refresh_from_db()
    member.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ALLOCATION
    assert referral.status_reason == StatusReason.MISSED_SESSIONS
    assert member.left_on == date(2026, 11, 2)
    assert [a.starts_at for a in Appointment.objects.filter(person=referral.person)] == [FIRST]
    assert AuditEvent.objects.filter(changes__removed__isnull=False).count() == 1
    with pytest.raises(ValidationError, match="Choose a reason"):
        services.deselect_member(
            acting_user=world.coordinator, member_id=_add(world, group, world.waitlisted()).pk, reason=""
        )


def test_a_structured_intervention_session_counts_a_rar_day(world: GroupWorld) -> None:
    world.programme.kind = ProgrammeKind.STRUCTURED
    world.programme.save()
    group = world.form_group()
    person = PersonFactory(team=TeamFactory(pdu=world.pdu))
    event = community_order(
        person,
        sentenced_on=date(2026, 10, 1),
        requirements=[sentences.RequirementInput(type=RequirementType.RAR, amount=20)],
    )
    rar = Requirement.objects.get(sentence__event=event, type=RequirementType.RAR)
    referral = ProgrammeReferral.objects.create(
        person=person,
        event=event,
        requirement=rar,
        pdu=world.pdu,
        programme=world.programme,
        source=ReferralSource.REQUIREMENT,
        referred_on=date(2026, 10, 1),
        must_finish_by=rar.expected_end_on,
        status=ReferralStatus.AWAITING_ALLOCATION,
    )
    member = _add(world, group, referral)
    assert {a.type for a in Appointment.objects.filter(person=person)} == {AppointmentType.RAR_ACTIVITY}
    world.clock.move_to(FIRST + timedelta(hours=3))
    _record(world, _session(group, FIRST), member, Attendance.ATTENDED_COMPLIED)
    rar.refresh_from_db()
    assert rar.progress == 1
