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

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core.locking import lock_at_version
from organisation.models import Pdu, Staff
from organisation.selectors import pdus_in_scope, staff_in_scope
from programmes.constants import (
    Cohort,
    DeliveryMode,
    GroupSex,
    GroupStatus,
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
    SessionTemplate,
)
from programmes.models.referrals import NonAssociation
from programmes.rules import groups as group_rules
from programmes.rules import scheduling
from programmes.rules.catalogue import accepts_new_referrals
from programmes.services.attendance import (
    AttendanceEntry,
    RegisterRejected,
    add_note,
    outstanding_for,
    record_attendance,
    record_register,
)
from programmes.services.group_sessions import add_catch_up, book_one_to_one, reschedule_session
from programmes.services.group_support import (
    attend,
    audit_group,
    aware,
    double_bookings,
    lock_group,
    member_label,
    practitioner_for,
    template_in_force,
)
from programmes.services.transitions import move_referral
from supervision import services as supervision

# The group services in one place for the pages and API: forming and membership here,
# sessions and attendance in their own modules.
__all__ = [
    "AttendanceEntry",
    "RegisterRejected",
    "add_catch_up",
    "add_member",
    "add_note",
    "book_one_to_one",
    "cancel_group",
    "create_group",
    "deselect_member",
    "outstanding_for",
    "record_attendance",
    "record_register",
    "remove_member",
    "reschedule_session",
    "set_delivery",
    "template_in_force",
]


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
    dated = [(aware(p.starts_at), p) for p in plan if p.starts_at is not None]
    clashes = double_bookings(
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
    audit_group(
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
    group = lock_group(group_id)
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
    practitioner_for(acting_user, referral)
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
        attend(acting_user, member, session)
    for session in member.sessions.all():
        attend(acting_user, member, session)
    audit_group(AuditAction.CREATE, acting_user, member, member_label(member), {"group": [None, group.code]})
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
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("group", "referral__person")
        .get(pk=member_id)
    )
    if member.left_on is not None:
        raise ValidationError({"member": "This person has already left the group"})
    referral = ProgrammeReferral.objects.select_for_update(of=("self",)).get(pk=member.referral_id)
    move_referral(acting_user=acting_user, referral=referral, step=step, reason=reason, note=note)
    _take_out(acting_user, member, f"Taken out of programme group {member.group.code}: {reason}")
    audit_group(
        AuditAction.UPDATE,
        acting_user,
        member,
        member_label(member),
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
    audit_group(
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
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("group", "referral__person")
        .get(pk=member_id)
    )
    GROUP.guard(member.group, "add_member", acting_user)
    if mode != DeliveryMode.IN_GROUP and not reason.strip():
        raise ValidationError({"delivery_reason": "Give the reason for flexible delivery"})
    before = member.delivery_mode
    member.delivery_mode = mode
    member.delivery_reason = reason.strip() if mode != DeliveryMode.IN_GROUP else ""
    member.save(update_fields=["delivery_mode", "delivery_reason"])
    audit_group(
        AuditAction.UPDATE, acting_user, member, member_label(member), {"delivery_mode": [before, mode]}
    )
    return member
