"""Delivery: a member's attendance (one, or a whole register all or nothing), copied to
their supervision appointment so an enforceable outcome reaches the practitioner; what
follows from it (the referral starts at the first attendance and completes, with its
requirement, when every required session is attended; the group runs, then ends); and
facilitators' session notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core.exceptions import StaleRecord, TransitionNotAllowed
from programmes.constants import (
    Attendance,
    GroupStatus,
    ReferralStatus,
    SessionKind,
)
from programmes.lifecycle import GROUP
from programmes.models import (
    GroupMember,
    ProgrammeGroup,
    ProgrammeReferral,
    ProgrammeSession,
    SessionAttendance,
    SessionNote,
)
from programmes.rules import groups as group_rules
from programmes.services.group_support import (
    APPOINTMENT_OUTCOME,
    ATTENDED,
    ENFORCEABLE,
    audit_group,
    book_appointment_for,
    lock_group,
    member_label,
)
from programmes.services.transitions import move_referral
from sentences import services as sentences
from sentences.constants import RequirementStatus, TerminationReason
from sentences.models import Requirement
from supervision import services as supervision
from supervision.constants import AbsenceReason


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
    group = lock_group(session.group_id)
    GROUP.guard(group, "record_attendance", acting_user)
    row = (
        # "of self": the appointment is a nullable join, which PostgreSQL cannot lock.
        SessionAttendance.objects.select_for_update(of=("self",))
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
    appointment = row.appointment or book_appointment_for(acting_user, member, session)
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
    audit_group(
        AuditAction.UPDATE, acting_user, row, member_label(member), {"outcome": [before or None, outcome]}
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
        audit_group(
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
    audit_group(
        AuditAction.CREATE,
        acting_user,
        note,
        f"Programme group {session.group.code} session {session.name}",
        {"member": [None, member.referral.person.crn if member else None]},
    )
    return note
