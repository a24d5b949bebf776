"""Groups, their sessions and delivery: forming a group from the template in force,
adding people from the waitlist, rescheduling, one-to-ones and catch-ups, the register
and session notes, and what follows from attendance (the referral starting and
completing, the requirement completing, the group running and ending).

Each write is atomic, takes a keyword-only ``acting_user``, is guarded by
``programmes.lifecycle.GROUP`` (and, for the referral, ``move_referral``), and is
audited in the same transaction. Each dated session of a member is an appointment on
their supervision record, so it shows on their timeline and an enforceable outcome
reaches their practitioner's warning or breach decision (Sentencing Act 2020 Sch 10
para 6), as Unpaid Work's bookings do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.locking import lock_at_version
from organisation.models import Pdu, Staff
from organisation.selectors import pdus_in_scope, staff_in_scope
from programmes.constants import (
    Attendance,
    Cohort,
    DeliveryMode,
    GroupSex,
    GroupStatus,
    ProgrammeKind,
    ReferralStatus,
    SessionKind,
)
from programmes.lifecycle import GROUP
from programmes.models import (
    GroupFacilitator,
    GroupMember,
    GroupSlot,
    Programme,
    ProgrammeGroup,
    ProgrammeReferral,
    ProgrammeSession,
    Room,
    SessionAttendance,
    SessionNote,
    SessionTemplate,
)
from programmes.models.referrals import NonAssociation
from programmes.rules import groups as group_rules
from programmes.rules import scheduling
from programmes.rules.catalogue import accepts_new_referrals
from programmes.selectors import catalogue as catalogue_selectors
from programmes.selectors.groups import missed_sessions_of
from programmes.services.transitions import move_referral
from sentences import services as sentences
from sentences.constants import RequirementStatus, TerminationReason
from sentences.models import Requirement
from supervision import services as supervision
from supervision.constants import AbsenceReason, AppointmentOutcome, AppointmentType
from supervision.models import Appointment

ATTENDED = frozenset({Attendance.ATTENDED_COMPLIED, Attendance.ATTENDED_FAILED_TO_COMPLY})
ENFORCEABLE = frozenset({Attendance.ATTENDED_FAILED_TO_COMPLY, Attendance.UNACCEPTABLE_ABSENCE})

# The programme's kind -> the appointment type its sessions are on the supervision record.
# A Structured Intervention is delivered under a rehabilitation activity requirement, so
# its sessions are RAR activities and each day attended counts as a RAR day.
APPOINTMENT_TYPE = {
    ProgrammeKind.ACCREDITED: AppointmentType.PROGRAMME_SESSION,
    ProgrammeKind.STRUCTURED: AppointmentType.RAR_ACTIVITY,
}

# Session attendance -> the outcome on the supervision appointment (the same four).
APPOINTMENT_OUTCOME = {
    Attendance.ATTENDED_COMPLIED: AppointmentOutcome.ATTENDED_COMPLIED,
    Attendance.ATTENDED_FAILED_TO_COMPLY: AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY,
    Attendance.ACCEPTABLE_ABSENCE: AppointmentOutcome.ACCEPTABLE_ABSENCE,
    Attendance.UNACCEPTABLE_ABSENCE: AppointmentOutcome.UNACCEPTABLE_ABSENCE,
}


# --- Helpers ------------------------------------------------------------------------


def _audit(action: AuditAction, actor: Any, obj: Any, label: str, changes: dict[str, Any]) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=label[:200], changes=changes)


def _wall(moment: datetime) -> datetime:
    """An aware time as naive wall-clock time in England and Wales (what the rules take)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _scheduling(error: scheduling.SchedulingError) -> ValidationError:
    return ValidationError({error.field: error.message})


def _slots_of(group: ProgrammeGroup) -> list[scheduling.Slot]:
    return [scheduling.Slot(s.weekday, s.starts_at) for s in group.slots.all()]


def template_in_force(programme: Programme, on: date) -> SessionTemplate:
    """The newest template effective on the day; refused when none is, or it is not published."""
    template = catalogue_selectors.template_in_force(programme, on)
    if template is None:
        raise ValidationError({"starts_on": f"{programme} has no session template in force on {on:%d/%m/%Y}"})
    if not template.published:
        note = f": {template.note}" if template.note else ""
        raise ValidationError(
            {
                "programme": f"{programme} has no published session template, so no group can be scheduled{note}"
            }
        )
    return template


def _double_bookings(
    staff: Iterable[Staff], intervals: Sequence[tuple[datetime, datetime]], exclude: Iterable[int] = ()
) -> list[str]:
    """Each facilitator who would be in two sessions at once, named with the clash."""
    if not intervals:
        return []
    earliest = min(start for start, _ in intervals) - timedelta(days=1)
    latest = max(end for _, end in intervals)
    problems: list[str] = []
    for person in staff:
        theirs = (
            ProgrammeSession.objects.filter(
                facilitators=person, starts_at__gte=earliest, starts_at__lt=latest
            )
            .exclude(group__status=GroupStatus.CANCELLED)
            .exclude(pk__in=list(exclude))
            .select_related("group")
        )
        for other in theirs:
            assert other.starts_at is not None
            other_end = other.starts_at + timedelta(minutes=other.minutes)
            if any(start < other_end and other.starts_at < end for start, end in intervals):
                when = timezone.localtime(other.starts_at)
                problems.append(
                    f"{person} is already facilitating {other.group.code} ({other.name}) at "
                    f"{when:%H:%M} on {when:%d/%m/%Y}"
                )
                break
    return problems


def _practitioner_for(acting_user: Any, referral: ProgrammeReferral) -> Staff:
    """Who the appointments are with: the person's practitioner, or the coordinator adding them."""
    practitioner = referral.person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        raise ValidationError(
            {
                "referral": "This person has no practitioner to hold their appointments: allocate the case first"
            }
        )
    return practitioner


def _book_appointment(acting_user: Any, member: GroupMember, session: ProgrammeSession) -> Appointment:
    """The session as an appointment on the member's supervision record."""
    referral, group = member.referral, member.group
    assert session.starts_at is not None
    return supervision.book_appointment(
        acting_user=acting_user,
        person=referral.person,
        type=APPOINTMENT_TYPE[ProgrammeKind(group.programme.kind)],
        starts_at=session.starts_at,
        ends_at=session.starts_at + timedelta(minutes=session.minutes),
        practitioner=_practitioner_for(acting_user, referral),
        office=(session.room or group.room).office,
        event=referral.event,
    )


def _attend(acting_user: Any, member: GroupMember, session: ProgrammeSession) -> SessionAttendance:
    """The member's register row for the session, with its appointment when it is dated."""
    appointment = _book_appointment(acting_user, member, session) if session.starts_at else None
    return SessionAttendance.objects.create(session=session, member=member, appointment=appointment)


def _member_label(member: GroupMember) -> str:
    return f"{member.referral.person.crn} in group {member.group.code}"


# --- Forming a group ------------------------------------------------------------------


def _group_refusals(
    acting_user: Any,
    *,
    programme: Programme,
    sex: str,
    pdu: Pdu,
    room: Room,
    starts_on: date,
    treatment_manager: Staff,
    staff: Sequence[Staff],
) -> dict[str, str]:
    """Why a group with these facts cannot be formed, by field (empty when it can)."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not pdus_in_scope(acting_user).filter(pk=pdu.pk).exists():
        errors["pdu"] = "Choose a PDU in your area"
    if not accepts_new_referrals(programme, today):
        errors["programme"] = f"{programme} is not accepting referrals, so no new group can start"
    refusal = group_rules.programme_sex_refusal(sex, programme.men, programme.women)
    if refusal:
        errors["sex"] = refusal
    if not room.accredited or room.retired_at is not None or room.office.pdu_id != pdu.pk:
        errors["room"] = "Choose a room suitable for groups, in use, at an office of the group's PDU"
    if starts_on < today:
        errors["starts_on"] = "The start date must be today or later"
    in_scope = set(staff_in_scope(acting_user).filter(pk__in=[s.pk for s in {treatment_manager, *staff}]))
    if treatment_manager not in in_scope:
        errors["treatment_manager"] = "Choose a treatment manager in your area"
    if any(s not in in_scope for s in staff):
        errors["facilitators"] = "Choose facilitators in your area"
    return errors


@transaction.atomic
def create_group(
    *,
    acting_user: Any,
    programme: Programme,
    cohort: Cohort,
    sex: GroupSex,
    ldc: bool,
    pdu: Pdu,
    room: Room,
    slots: Sequence[scheduling.Slot],
    starts_on: date,
    treatment_manager: Staff,
    facilitators: Sequence[Staff],
    cover_facilitators: Sequence[Staff] = (),
) -> ProgrammeGroup:
    """Forms a group and generates its group sessions from the template in force on the
    start date; every refusal is named on its field."""
    errors = _group_refusals(
        acting_user,
        programme=programme,
        sex=sex,
        pdu=pdu,
        room=room,
        starts_on=starts_on,
        treatment_manager=treatment_manager,
        staff=[*facilitators, *cover_facilitators],
    )
    if not facilitators:
        errors["facilitators"] = "Choose at least one facilitator"
    elif set(facilitators) & set(cover_facilitators):
        errors["cover_facilitators"] = "A facilitator cannot also be their own cover"
    template: SessionTemplate | None = None
    plan: list[scheduling.PlannedSession] = []
    try:
        template = template_in_force(programme, starts_on)
        plan = scheduling.plan_sessions(template.modules, starts_on, slots)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    except scheduling.SchedulingError as error:
        errors[error.field] = error.message
    if errors:
        raise ValidationError(errors)
    assert template is not None
    dated = [(_aware(p.starts_at), p) for p in plan if p.starts_at is not None]
    clashes = _double_bookings(
        facilitators, [(start, start + timedelta(minutes=p.minutes)) for start, p in dated]
    )
    if clashes:
        raise ValidationError({"facilitators": clashes})
    group = ProgrammeGroup.objects.create(
        code=_next_code(),
        programme=programme,
        template=template,
        cohort=cohort,
        sex=sex,
        ldc=ldc,
        pdu=pdu,
        room=room,
        starts_on=starts_on,
        treatment_manager=treatment_manager,
        created_by=acting_user,
        created_at=timezone.now(),
    )
    GroupSlot.objects.bulk_create(
        [GroupSlot(group=group, weekday=s.weekday, starts_at=s.starts_at) for s in slots]
    )
    GroupFacilitator.objects.bulk_create(
        [GroupFacilitator(group=group, staff=s) for s in facilitators]
        + [GroupFacilitator(group=group, staff=s, is_cover=True) for s in cover_facilitators]
    )
    for start, planned in dated:
        session = ProgrammeSession.objects.create(
            group=group,
            position=planned.position,
            module=planned.module,
            name=planned.name,
            kind=planned.kind,
            minutes=planned.minutes,
            starts_at=start,
            room=room,
        )
        session.facilitators.set(facilitators)
    _audit(
        AuditAction.CREATE,
        acting_user,
        group,
        f"Programme group {group.code}",
        {
            "programme": [None, programme.code],
            "starts_on": [None, starts_on],
            "template": [None, str(template.effective_from)],
            "sessions": [None, len(dated)],
        },
    )
    return group


def _next_code() -> str:
    number = ProgrammeGroup.objects.count() + 1
    while ProgrammeGroup.objects.filter(code=f"GRP{number:05d}").exists():
        number += 1
    return f"GRP{number:05d}"


# --- Members --------------------------------------------------------------------------


def _lock_group(group_id: int) -> ProgrammeGroup:
    return (
        ProgrammeGroup.objects.select_for_update()
        .select_related("programme", "room__office")
        .get(pk=group_id)
    )


def _joining_refusal(group: ProgrammeGroup, referral: ProgrammeReferral) -> str | None:
    """Why this person cannot join this group now, or None (the size, sex,
    non-association and one-group-per-programme rules)."""
    person = referral.person
    current = GroupMember.objects.filter(group=group, left_on__isnull=True)
    if current.filter(referral__person=person).exists():
        return f"{person.full_name} is already in this group"
    refusal = group_rules.size_refusal(current.count()) or group_rules.sex_refusal(group.sex, person.sex)
    if refusal:
        return refusal
    members = current.values("referral__person")
    if (
        NonAssociation.objects.filter(referral__person=person, other_person__in=members).exists()
        or NonAssociation.objects.filter(referral__person__in=members, other_person=person).exists()
    ):
        return f"{person.full_name} has a non-association with a member of this group"
    elsewhere = GroupMember.objects.filter(
        left_on__isnull=True,
        referral__person=person,
        group__programme_id=group.programme_id,
        group__status__in=(GroupStatus.FORMING, GroupStatus.RUNNING),
    ).exclude(group=group)
    if elsewhere.exists():
        return f"{person.full_name} is already in a forming or running group of {group.programme}"
    return None


@transaction.atomic
def add_member(*, acting_user: Any, group_id: int, referral_id: int) -> GroupMember:
    """Adds a person from the waitlist: the referral is scheduled, their one-to-one
    placeholders made, and every dated session put on their supervision record."""
    group = _lock_group(group_id)
    GROUP.guard(group, "add_member", acting_user)
    referral = (
        ProgrammeReferral.objects.select_for_update(of=("self",))
        .select_related("person__practitioner", "event")
        .get(pk=referral_id)
    )
    if referral.programme_id not in (None, group.programme_id):
        raise ValidationError(
            {"referral": f"This referral is for {referral.programme}, not {group.programme}"}
        )
    refusal = _joining_refusal(group, referral)
    if refusal:
        raise ValidationError({"referral": refusal})
    _practitioner_for(acting_user, referral)
    referral.programme = group.programme
    move_referral(acting_user=acting_user, referral=referral, step="schedule")
    member = GroupMember.objects.create(group=group, referral=referral, joined_on=timezone.localdate())
    now = timezone.now()
    template = scheduling.template_sessions(group.template.modules)
    for planned in template:
        if planned.kind == scheduling.ONE_TO_ONE:
            ProgrammeSession.objects.create(
                group=group,
                position=planned.position,
                module=planned.module,
                name=planned.name,
                kind=planned.kind,
                minutes=planned.minutes,
                member=member,
            )
    # Group sessions still to come, and the member's own placeholders (undated).
    for session in group.sessions.filter(member__isnull=True, catch_up_for__isnull=True, starts_at__gte=now):
        _attend(acting_user, member, session)
    for session in member.sessions.all():
        _attend(acting_user, member, session)
    _audit(AuditAction.CREATE, acting_user, member, _member_label(member), {"group": [None, group.code]})
    return member


def _take_out(acting_user: Any, member: GroupMember, reason: str) -> None:
    """The member leaves: their future register rows and appointments with no outcome are
    removed (audited by supervision), and their own unrecorded sessions go with them."""
    now = timezone.now()
    member.left_on = timezone.localdate()
    member.save(update_fields=["left_on"])
    rows = member.attendances.filter(outcome="").select_related("session")
    for row in rows:
        if row.session.starts_at is not None and row.session.starts_at < now:
            continue  # a past session still waits for its outcome
        appointment_id = row.appointment_id
        row.delete()
        if appointment_id is not None:
            supervision.remove_appointment(
                acting_user=acting_user, appointment_id=appointment_id, reason=reason
            )
    # Catch-ups first: a one-to-one cannot go while a catch-up still names it.
    unrecorded = member.sessions.exclude(attendances__isnull=False)
    for session in [
        *unrecorded.filter(catch_up_for__isnull=False),
        *unrecorded.filter(catch_up_for__isnull=True),
    ]:
        if not session.catch_ups.exists():
            session.delete()


def _remove(acting_user: Any, member_id: int, step: str, reason: str, note: str) -> GroupMember:
    member = (
        GroupMember.objects.select_for_update().select_related("group", "referral__person").get(pk=member_id)
    )
    if member.left_on is not None:
        raise ValidationError({"member": "This person has already left the group"})
    referral = ProgrammeReferral.objects.select_for_update(of=("self",)).get(pk=member.referral_id)
    move_referral(acting_user=acting_user, referral=referral, step=step, reason=reason, note=note)
    _take_out(acting_user, member, f"Taken out of programme group {member.group.code}: {reason}")
    _audit(
        AuditAction.UPDATE,
        acting_user,
        member,
        _member_label(member),
        {"left_on": [None, member.left_on], "step": [None, step], "reason": [None, reason]},
    )
    return member


@transaction.atomic
def remove_member(*, acting_user: Any, member_id: int, reason: str, note: str = "") -> GroupMember:
    """Takes a person out before they start ("unschedule"): back on the waitlist."""
    return _remove(acting_user, member_id, "unschedule", reason, note)


@transaction.atomic
def deselect_member(*, acting_user: Any, member_id: int, reason: str, note: str = "") -> GroupMember:
    """Deselects a person in delivery (missed sessions, behaviour...): they leave the group
    and their future appointments are removed; the referral says why."""
    return _remove(acting_user, member_id, "deselect", reason, note)


@transaction.atomic
def cancel_group(
    *, acting_user: Any, group_id: int, reason: str, note: str = "", expected_version: int
) -> ProgrammeGroup:
    """Cancels a group that has not started: everyone in it goes back on the waitlist with
    the reason given, their appointments come off their record, and no session is left."""
    group = lock_at_version(ProgrammeGroup.objects.select_related("programme"), group_id, expected_version)
    transition = GROUP.guard(group, "cancel", acting_user)
    for member in group.members.filter(left_on__isnull=True).order_by("pk"):
        _remove(acting_user, member.pk, "unschedule", reason, note or f"Group {group.code} cancelled")
    group.sessions.filter(attendances__isnull=True).delete()
    group.status = str(transition.target)
    group.bump_version()
    group.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        group,
        f"Programme group {group.code}",
        {"status": [GroupStatus.FORMING, group.status], "reason": [None, reason]},
    )
    return group


@transaction.atomic
def set_delivery(*, acting_user: Any, member_id: int, mode: DeliveryMode, reason: str) -> GroupMember:
    """Flexible delivery for one member (remotely or one-to-one), with the reason why."""
    member = (
        GroupMember.objects.select_for_update().select_related("group", "referral__person").get(pk=member_id)
    )
    GROUP.guard(member.group, "add_member", acting_user)
    if mode != DeliveryMode.IN_GROUP and not reason.strip():
        raise ValidationError({"delivery_reason": "Give the reason for flexible delivery"})
    before = member.delivery_mode
    member.delivery_mode = mode
    member.delivery_reason = reason.strip() if mode != DeliveryMode.IN_GROUP else ""
    member.save(update_fields=["delivery_mode", "delivery_reason"])
    _audit(AuditAction.UPDATE, acting_user, member, _member_label(member), {"delivery_mode": [before, mode]})
    return member


# --- Sessions -------------------------------------------------------------------------


def _move(acting_user: Any, session: ProgrammeSession, starts_at: datetime) -> None:
    session.starts_at = starts_at
    session.bump_version()
    session.save()
    ends_at = starts_at + timedelta(minutes=session.minutes)
    for row in session.attendances.filter(outcome="", appointment__isnull=False):
        assert row.appointment_id is not None
        supervision.move_appointment(
            acting_user=acting_user, appointment_id=row.appointment_id, starts_at=starts_at, ends_at=ends_at
        )


@transaction.atomic
def reschedule_session(
    *, acting_user: Any, session_id: int, starts_at: datetime, expected_version: int
) -> list[ProgrammeSession]:
    """Moves a dated session. A group session cascades: the later group sessions take the
    slot occurrences after its new time, in order. A one-to-one or catch-up moves alone.
    Nothing moves into the past or onto a bank holiday; every appointment follows."""
    session = lock_at_version(ProgrammeSession.objects.all(), session_id, expected_version)
    group = _lock_group(session.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if session.starts_at is None:
        raise ValidationError({"starts_at": "This one-to-one has not been booked yet: book it instead"})
    if session.attendances.exclude(outcome="").exists():
        raise ValidationError(
            {"starts_at": "Attendance has been recorded at this session, so it cannot move"}
        )
    starts_at = _aware(starts_at)
    now = _wall(timezone.now())
    try:
        if session.member_id is None and session.catch_up_for_id is None:
            ordered = list(
                group.sessions.filter(member__isnull=True, catch_up_for__isnull=True).order_by(
                    "starts_at", "position"
                )
            )
            index = next(i for i, s in enumerate(ordered) if s.pk == session.pk)
            times = scheduling.reschedule(
                [_wall(s.starts_at) for s in ordered if s.starts_at is not None],
                index,
                _wall(starts_at),
                slots=_slots_of(group),
                now=now,
                length=timedelta(minutes=session.minutes),
            )
            changed = [
                (s, _aware(t)) for s, t in zip(ordered, times, strict=True) if s.starts_at != _aware(t)
            ]
        else:
            scheduling.check_moment(_wall(starts_at), now)
            changed = [(session, starts_at)]
    except scheduling.SchedulingError as error:
        raise _scheduling(error) from error
    if any(s.attendances.exclude(outcome="").exists() for s, _ in changed):
        raise ValidationError(
            {"starts_at": "A later session already has attendance recorded, so it cannot move"}
        )
    ids = [s.pk for s, _ in changed]
    clashes: list[str] = []
    for moved, start in changed:
        clashes += _double_bookings(
            moved.facilitators.all(), [(start, start + timedelta(minutes=moved.minutes))], exclude=ids
        )
    if clashes:
        raise ValidationError({"starts_at": sorted(set(clashes))})
    for moved, start in changed:
        _move(acting_user, moved, start)
    _audit(
        AuditAction.UPDATE,
        acting_user,
        session,
        f"Programme group {group.code} session {session.name}",
        {"starts_at": [None, starts_at], "sessions_moved": [None, len(changed)]},
    )
    return [s for s, _ in changed]


def _check_facilitator(group: ProgrammeGroup, facilitator: Staff) -> None:
    if not (
        facilitator.pk == group.treatment_manager_id or group.facilitators.filter(staff=facilitator).exists()
    ):
        raise ValidationError(
            {"facilitator": "Choose one of the group's facilitators or its treatment manager"}
        )


@transaction.atomic
def book_one_to_one(
    *, acting_user: Any, session_id: int, starts_at: datetime, facilitator: Staff, expected_version: int
) -> ProgrammeSession:
    """Books a member's one-to-one placeholder: a time, a facilitator, an appointment."""
    session = lock_at_version(
        ProgrammeSession.objects.select_related("member__referral__person", "member__group"),
        session_id,
        expected_version,
    )
    group = _lock_group(session.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if session.member is None or session.kind != SessionKind.ONE_TO_ONE:
        raise ValidationError({"session": "Only a member's one-to-one is booked this way"})
    if session.starts_at is not None:
        raise ValidationError({"session": "This one-to-one is already booked: reschedule it instead"})
    _check_facilitator(group, facilitator)
    starts_at = _aware(starts_at)
    try:
        scheduling.check_moment(_wall(starts_at), _wall(timezone.now()))
    except scheduling.SchedulingError as error:
        raise _scheduling(error) from error
    clashes = _double_bookings([facilitator], [(starts_at, starts_at + timedelta(minutes=session.minutes))])
    if clashes:
        raise ValidationError({"facilitator": clashes})
    session.starts_at, session.room = starts_at, group.room
    session.bump_version()
    session.save()
    session.facilitators.set([facilitator])
    row = SessionAttendance.objects.filter(session=session, member=session.member).first()
    if row is None:
        _attend(acting_user, session.member, session)
    elif row.appointment_id is None:
        row.appointment = _book_appointment(acting_user, session.member, session)
        row.save(update_fields=["appointment"])
    _audit(
        AuditAction.UPDATE,
        acting_user,
        session,
        f"{_member_label(session.member)}: {session.name}",
        {"starts_at": [None, starts_at], "facilitator": [None, facilitator.staff_code]},
    )
    return session


@transaction.atomic
def add_catch_up(
    *, acting_user: Any, member_id: int, missed_session_id: int, starts_at: datetime, facilitator: Staff
) -> ProgrammeSession:
    """A catch-up for a session the member missed; attended, it counts for that session."""
    member = GroupMember.objects.select_related("group", "referral__person").get(pk=member_id)
    group = _lock_group(member.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if member.left_on is not None:
        raise ValidationError({"member": "This person has left the group"})
    missed = next((s for s in missed_sessions_of(member) if s.pk == missed_session_id), None)
    if missed is None:
        raise ValidationError(
            {"session": "Choose a past session this person missed and has no catch-up for yet"}
        )
    _check_facilitator(group, facilitator)
    starts_at = _aware(starts_at)
    try:
        scheduling.check_moment(_wall(starts_at), _wall(timezone.now()))
    except scheduling.SchedulingError as error:
        raise _scheduling(error) from error
    clashes = _double_bookings([facilitator], [(starts_at, starts_at + timedelta(minutes=missed.minutes))])
    if clashes:
        raise ValidationError({"facilitator": clashes})
    catch_up = ProgrammeSession.objects.create(
        group=group,
        position=missed.position,
        module=missed.module,
        name=f"Catch-up: {missed.name}",
        kind=missed.kind,
        minutes=missed.minutes,
        member=member,
        catch_up_for=missed,
        starts_at=starts_at,
        room=group.room,
    )
    catch_up.facilitators.set([facilitator])
    _attend(acting_user, member, catch_up)
    _audit(
        AuditAction.CREATE,
        acting_user,
        catch_up,
        f"{_member_label(member)}: {catch_up.name}",
        {"starts_at": [None, starts_at], "catch_up_for": [None, missed.pk]},
    )
    return catch_up


# --- Delivery -------------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *,
    acting_user: Any,
    session_id: int,
    member_id: int,
    outcome: Attendance,
    absence_reason: str = "",
    notes: str = "",
) -> SessionAttendance:
    """Records one member's attendance and copies it to their supervision appointment, where
    an enforceable outcome waits for the practitioner's warning or breach decision. Then
    what follows: the referral starts at the first attendance and completes when every
    required session is attended; the group runs from the first register and ends when
    nothing is left to record."""
    session = ProgrammeSession.objects.select_related("group").get(pk=session_id)
    group = _lock_group(session.group_id)
    GROUP.guard(group, "record_attendance", acting_user)
    row = (
        SessionAttendance.objects.select_for_update()
        .select_related(
            "appointment",
            "member__referral__person",
            "member__group__programme",
            "member__group__room__office",
        )
        .filter(session=session, member_id=member_id)
        .first()
    )
    if row is None:
        raise ValidationError({"member": "This person is not on this session's register"})
    if session.starts_at is None or session.starts_at > timezone.now():
        raise ValidationError({"outcome": "Attendance can be recorded only once the session has started"})
    if outcome == Attendance.ACCEPTABLE_ABSENCE and absence_reason not in AbsenceReason.values:
        raise ValidationError({"absence_reason": "Choose why the absence was acceptable"})
    if outcome != Attendance.ACCEPTABLE_ABSENCE and absence_reason:
        raise ValidationError({"absence_reason": "Only an acceptable absence has a reason"})
    if outcome in ENFORCEABLE and not notes.strip():
        raise ValidationError({"notes": "Describe what happened: the notes support any enforcement action"})
    member = row.member
    appointment = row.appointment or _book_appointment(acting_user, member, session)
    row.appointment = appointment
    label = f"{group.programme}, {session.name}: {Attendance(outcome).label}. {notes.strip()}".strip()
    try:
        row.appointment = supervision.record_outcome(
            acting_user=acting_user,
            appointment_id=appointment.pk,
            outcome=APPOINTMENT_OUTCOME[Attendance(outcome)],
            notes=label,
            absence_reason=absence_reason,
            expected_version=appointment.version,
        )
    except ValidationError as error:
        # supervision names its fields after the appointment; the register's are the same
        # but for "event" (no order to enforce against), which is about the member.
        if hasattr(error, "error_dict") and "event" in error.error_dict:
            raise ValidationError({"member": error.message_dict["event"]}) from error
        raise
    before = row.outcome
    row.outcome, row.absence_reason = outcome, absence_reason
    row.recorded_at, row.recorded_by = timezone.now(), acting_user
    row.save()
    _audit(
        AuditAction.UPDATE, acting_user, row, _member_label(member), {"outcome": [before or None, outcome]}
    )
    _after_attendance(acting_user, group, member, session, outcome)
    return row


def _after_attendance(
    acting_user: Any, group: ProgrammeGroup, member: GroupMember, session: ProgrammeSession, outcome: str
) -> None:
    referral = ProgrammeReferral.objects.select_for_update(of=("self",)).get(pk=member.referral_id)
    assert session.starts_at is not None
    on = timezone.localtime(session.starts_at).date()
    if outcome in ATTENDED and referral.status == ReferralStatus.SCHEDULED:
        referral.started_on = on
        move_referral(acting_user=acting_user, referral=referral, step="start", by_system=True)
    if referral.status == ReferralStatus.ON_PROGRAMME and not outstanding_for(member):
        referral.completed_on = on
        move_referral(acting_user=acting_user, referral=referral, step="complete", by_system=True)
        _complete_requirement(acting_user, referral, on)
    before = group.status
    if group.status == GroupStatus.FORMING:
        group.status = GroupStatus.RUNNING
    if _nothing_left(group):
        group.status = GroupStatus.ENDED
    if group.status != before:
        group.bump_version()
        group.save()
        _audit(
            AuditAction.UPDATE,
            acting_user,
            group,
            f"Programme group {group.code}",
            {"status": [before, group.status]},
        )


def outstanding_for(member: GroupMember) -> set[int]:
    """The ids of the member's required sessions not yet attended: every group session and
    their own one-to-ones, an attended catch-up counting for the session it replaces."""
    required = [
        *member.group.sessions.filter(
            kind=SessionKind.GROUP, member__isnull=True, catch_up_for__isnull=True
        ).values_list("pk", flat=True),
        *member.sessions.filter(catch_up_for__isnull=True).values_list("pk", flat=True),
    ]
    attended = member.attendances.filter(outcome__in=ATTENDED).values_list("session_id", flat=True)
    catch_ups = dict(member.sessions.filter(catch_up_for__isnull=False).values_list("pk", "catch_up_for_id"))
    return group_rules.outstanding(required, attended, catch_ups)


def _nothing_left(group: ProgrammeGroup) -> bool:
    """The group ends when its last group session has passed and no current member has a
    session left to record or book."""
    last = group.sessions.filter(member__isnull=True).order_by("-starts_at").first()
    if last is None or last.starts_at is None or last.starts_at > timezone.now():
        return False
    return not SessionAttendance.objects.filter(
        session__group=group, member__left_on__isnull=True, outcome=""
    ).exists()


def _complete_requirement(acting_user: Any, referral: ProgrammeReferral, on: date) -> None:
    """The programme requirement is complete when the programme is (sentences audits it)."""
    if referral.requirement_id is None:
        return
    requirement = Requirement.objects.get(pk=referral.requirement_id)
    if requirement.status != RequirementStatus.ACTIVE:
        return
    sentences.end_requirement(
        acting_user=acting_user,
        requirement_id=requirement.pk,
        ended_on=max(on, requirement.starts_on),
        reason=TerminationReason.COMPLETED,
        expected_version=requirement.version,
    )


@dataclass(frozen=True)
class AttendanceEntry:
    """One row of a session register as the facilitator filled it in."""

    member_id: int
    outcome: Attendance
    absence_reason: str = ""
    notes: str = ""


class RegisterRejected(Exception):
    """Some rows of a register could not be saved, so none were: each row's problems,
    by member id, as ``{field or None: [messages]}``."""

    def __init__(self, problems: dict[int, dict[str | None, list[str]]]) -> None:
        super().__init__("The register was not saved")
        self.problems = problems


@transaction.atomic
def record_register(
    *, acting_user: Any, session_id: int, entries: list[AttendanceEntry]
) -> list[SessionAttendance]:
    """Saves a whole register or nothing, reporting every row's problems at once."""
    ids = [entry.member_id for entry in entries]
    if len(ids) != len(set(ids)):
        raise ValidationError({"members": "Each person can appear only once in a register"})
    problems: dict[int, dict[str | None, list[str]]] = {}
    saved: list[SessionAttendance] = []
    for entry in entries:
        try:
            with transaction.atomic():
                saved.append(
                    record_attendance(
                        acting_user=acting_user,
                        session_id=session_id,
                        member_id=entry.member_id,
                        outcome=entry.outcome,
                        absence_reason=entry.absence_reason,
                        notes=entry.notes,
                    )
                )
        except ValidationError as error:
            problems[entry.member_id] = (
                {k: list(v) for k, v in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {None: list(error.messages)}
            )
        except (StaleRecord, TransitionNotAllowed) as error:
            problems[entry.member_id] = {None: [str(error)]}
    if problems:
        raise RegisterRejected(problems)
    return saved


@transaction.atomic
def add_note(*, acting_user: Any, session_id: int, text: str, member_id: int | None = None) -> SessionNote:
    """A facilitator's note on a session, about the group or one member."""
    session = ProgrammeSession.objects.select_related("group").get(pk=session_id)
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    member = None
    if member_id is not None:
        member = GroupMember.objects.filter(pk=member_id).filter(group_id=session.group_id).first()
        if member is None:
            raise ValidationError({"member": "Choose a member of this group"})
    note = SessionNote.objects.create(
        session=session, member=member, text=text.strip(), written_at=timezone.now(), author=acting_user
    )
    _audit(
        AuditAction.CREATE,
        acting_user,
        note,
        f"Programme group {session.group.code} session {session.name}",
        {"member": [None, member.referral.person.crn if member else None]},
    )
    return note
