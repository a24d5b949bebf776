"""A group's sessions once formed: rescheduling (the later group sessions cascade, never
into the past or onto a bank holiday), booking a member's one-to-one placeholder, and a
catch-up for a session a member missed. Each moves the members' appointments with it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core.locking import lock_at_version
from organisation.models import Staff
from programmes.constants import (
    SessionKind,
)
from programmes.lifecycle import GROUP
from programmes.models import (
    GroupMember,
    ProgrammeSession,
    SessionAttendance,
)
from programmes.rules import scheduling
from programmes.selectors.groups import missed_sessions_of
from programmes.services.group_support import (
    attend,
    audit_group,
    aware,
    book_appointment_for,
    check_facilitator,
    double_bookings,
    lock_group,
    member_label,
    scheduling_error,
    slots_of,
    wall_clock,
)
from supervision import services as supervision


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
    group = lock_group(session.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if session.starts_at is None:
        raise ValidationError({"starts_at": "This one-to-one has not been booked yet: book it instead"})
    if session.attendances.exclude(outcome="").exists():
        raise ValidationError(
            {"starts_at": "Attendance has been recorded at this session, so it cannot move"}
        )
    starts_at = aware(starts_at)
    now = wall_clock(timezone.now())
    try:
        if session.member_id is None and session.catch_up_for_id is None:
            ordered = list(
                group.sessions.filter(member__isnull=True, catch_up_for__isnull=True).order_by(
                    "starts_at", "position"
                )
            )
            index = next(i for i, s in enumerate(ordered) if s.pk == session.pk)
            times = scheduling.reschedule(
                [wall_clock(s.starts_at) for s in ordered if s.starts_at is not None],
                index,
                wall_clock(starts_at),
                slots=slots_of(group),
                now=now,
                length=timedelta(minutes=session.minutes),
            )
            changed = [(s, aware(t)) for s, t in zip(ordered, times, strict=True) if s.starts_at != aware(t)]
        else:
            scheduling.check_moment(wall_clock(starts_at), now)
            changed = [(session, starts_at)]
    except scheduling.SchedulingError as error:
        raise scheduling_error(error) from error
    if any(s.attendances.exclude(outcome="").exists() for s, _ in changed):
        raise ValidationError(
            {"starts_at": "A later session already has attendance recorded, so it cannot move"}
        )
    ids = [s.pk for s, _ in changed]
    clashes: list[str] = []
    for moved, start in changed:
        clashes += double_bookings(
            moved.facilitators.all(), [(start, start + timedelta(minutes=moved.minutes))], exclude=ids
        )
    if clashes:
        raise ValidationError({"starts_at": sorted(set(clashes))})
    for moved, start in changed:
        _move(acting_user, moved, start)
    audit_group(
        AuditAction.UPDATE,
        acting_user,
        session,
        f"Programme group {group.code} session {session.name}",
        {"starts_at": [None, starts_at], "sessions_moved": [None, len(changed)]},
    )
    return [s for s, _ in changed]


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
    group = lock_group(session.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if session.member is None or session.kind != SessionKind.ONE_TO_ONE:
        raise ValidationError({"session": "Only a member's one-to-one is booked this way"})
    if session.starts_at is not None:
        raise ValidationError({"session": "This one-to-one is already booked: reschedule it instead"})
    check_facilitator(group, facilitator)
    starts_at = aware(starts_at)
    try:
        scheduling.check_moment(wall_clock(starts_at), wall_clock(timezone.now()))
    except scheduling.SchedulingError as error:
        raise scheduling_error(error) from error
    clashes = double_bookings([facilitator], [(starts_at, starts_at + timedelta(minutes=session.minutes))])
    if clashes:
        raise ValidationError({"facilitator": clashes})
    session.starts_at, session.room = starts_at, group.room
    session.bump_version()
    session.save()
    session.facilitators.set([facilitator])
    row = SessionAttendance.objects.filter(session=session, member=session.member).first()
    if row is None:
        attend(acting_user, session.member, session)
    elif row.appointment_id is None:
        row.appointment = book_appointment_for(acting_user, session.member, session)
        row.save(update_fields=["appointment"])
    audit_group(
        AuditAction.UPDATE,
        acting_user,
        session,
        f"{member_label(session.member)}: {session.name}",
        {"starts_at": [None, starts_at], "facilitator": [None, facilitator.staff_code]},
    )
    return session


@transaction.atomic
def add_catch_up(
    *, acting_user: Any, member_id: int, missed_session_id: int, starts_at: datetime, facilitator: Staff
) -> ProgrammeSession:
    """A catch-up for a session the member missed; attended, it counts for that session."""
    member = GroupMember.objects.select_related("group", "referral__person").get(pk=member_id)
    group = lock_group(member.group_id)
    GROUP.guard(group, "reschedule", acting_user)
    if member.left_on is not None:
        raise ValidationError({"member": "This person has left the group"})
    missed = next((s for s in missed_sessions_of(member) if s.pk == missed_session_id), None)
    if missed is None:
        raise ValidationError(
            {"session": "Choose a past session this person missed and has no catch-up for yet"}
        )
    check_facilitator(group, facilitator)
    starts_at = aware(starts_at)
    try:
        scheduling.check_moment(wall_clock(starts_at), wall_clock(timezone.now()))
    except scheduling.SchedulingError as error:
        raise scheduling_error(error) from error
    clashes = double_bookings([facilitator], [(starts_at, starts_at + timedelta(minutes=missed.minutes))])
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
    attend(acting_user, member, catch_up)
    audit_group(
        AuditAction.CREATE,
        acting_user,
        catch_up,
        f"{member_label(member)}: {catch_up.name}",
        {"starts_at": [None, starts_at], "catch_up_for": [None, missed.pk]},
    )
    return catch_up
