"""What the group services share: the audit line, local wall-clock times, the template in
force, facilitators' double bookings, a member's appointment on their supervision record
and the group lock. Split from ``services.groups`` so forming, sessions and attendance each
fit in one sitting; nothing here writes on its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from organisation.models import Staff
from programmes.constants import (
    Attendance,
    GroupStatus,
    ProgrammeKind,
)
from programmes.models import (
    GroupMember,
    Programme,
    ProgrammeGroup,
    ProgrammeReferral,
    ProgrammeSession,
    SessionAttendance,
    SessionTemplate,
)
from programmes.rules import scheduling
from programmes.selectors import catalogue as catalogue_selectors
from supervision import services as supervision
from supervision.constants import AppointmentOutcome, AppointmentType
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


def audit_group(action: AuditAction, actor: Any, obj: Any, label: str, changes: dict[str, Any]) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=label[:200], changes=changes)


def wall_clock(moment: datetime) -> datetime:
    """An aware time as naive wall-clock time in England and Wales (what the rules take)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def scheduling_error(error: scheduling.SchedulingError) -> ValidationError:
    return ValidationError({error.field: error.message})


def slots_of(group: ProgrammeGroup) -> list[scheduling.Slot]:
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


def double_bookings(
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


def practitioner_for(acting_user: Any, referral: ProgrammeReferral) -> Staff:
    """Who the appointments are with: the person's practitioner, or the coordinator adding them."""
    practitioner = referral.person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        raise ValidationError(
            {
                "referral": "This person has no practitioner to hold their appointments: allocate the case first"
            }
        )
    return practitioner


def book_appointment_for(acting_user: Any, member: GroupMember, session: ProgrammeSession) -> Appointment:
    """The session as an appointment on the member's supervision record."""
    referral, group = member.referral, member.group
    assert session.starts_at is not None
    return supervision.book_appointment(
        acting_user=acting_user,
        person=referral.person,
        type=APPOINTMENT_TYPE[ProgrammeKind(group.programme.kind)],
        starts_at=session.starts_at,
        ends_at=session.starts_at + timedelta(minutes=session.minutes),
        practitioner=practitioner_for(acting_user, referral),
        office=(session.room or group.room).office,
        event=referral.event,
    )


def attend(acting_user: Any, member: GroupMember, session: ProgrammeSession) -> SessionAttendance:
    """The member's register row for the session, with its appointment when it is dated."""
    appointment = book_appointment_for(acting_user, member, session) if session.starts_at else None
    return SessionAttendance.objects.create(session=session, member=member, appointment=appointment)


def member_label(member: GroupMember) -> str:
    return f"{member.referral.person.crn} in group {member.group.code}"


def lock_group(group_id: int) -> ProgrammeGroup:
    return (
        ProgrammeGroup.objects.select_for_update(of=("self",))
        .select_related("programme", "room__office")
        .get(pk=group_id)
    )


def check_facilitator(group: ProgrammeGroup, facilitator: Staff) -> None:
    if not (
        facilitator.pk == group.treatment_manager_id or group.facilitators.filter(staff=facilitator).exists()
    ):
        raise ValidationError(
            {"facilitator": "Choose one of the group's facilitators or its treatment manager"}
        )
