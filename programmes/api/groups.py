"""The programmes API: groups, their sessions and delivery, and a facilitator's diary.

The same capabilities and scoped selectors as the pages: reading a group and writing its
register need DELIVER_PROGRAMMES (a facilitator only for the groups they facilitate or
oversee); forming a group, adding, deselecting and rescheduling need MANAGE_PROGRAMMES.
People the caller may not see are left out of every answer."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from audit import services as audit
from core.api import LocalTime, ShortText, api_requires, api_user
from core.roles import Capability
from organisation.selectors import pdus_in_scope
from programmes.constants import Cohort, DeliveryMode, GroupSex, GroupStatus, StatusReason
from programmes.lifecycle import GROUP
from programmes.models import ProgrammeGroup, ProgrammeSession
from programmes.rules.scheduling import Slot
from programmes.selectors import groups as selectors
from programmes.selectors.catalogue import rooms_manageable_by
from programmes.services import groups as services

router = Router(tags=["Programmes"])


class SlotIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday")
    starts_at: LocalTime


class GroupIn(Schema):
    programme_code: str = Field(max_length=40)
    cohort: Cohort
    sex: GroupSex
    ldc: bool = False
    pdu_id: int
    room_id: int
    slots: list[SlotIn] = Field(min_length=1, max_length=7)
    starts_on: date
    treatment_manager: str = Field(max_length=12, description="Staff code")
    facilitators: list[str] = Field(min_length=1, max_length=10, description="Staff codes")
    cover_facilitators: list[str] = Field(default_factory=list, max_length=10, description="Staff codes")


class FacilitatorOut(Schema):
    staff_code: str
    name: str
    is_cover: bool


class SlotOut(Schema):
    weekday: int
    starts_at: LocalTime


class GroupOut(Schema):
    id: int
    code: str
    programme_code: str
    programme_name: str
    status: GroupStatus
    cohort: Cohort
    sex: GroupSex
    ldc: bool
    pdu_id: int
    room_id: int
    starts_on: date
    template_effective_from: date
    treatment_manager: str = Field(description="Staff code")
    slots: list[SlotOut]
    facilitators: list[FacilitatorOut]
    version: int


class SessionOut(Schema):
    id: int
    position: int = Field(description="Its place in the template")
    module: str
    name: str
    kind: str
    minutes: int
    starts_at: datetime | None = Field(description="null for a one-to-one not booked yet")
    member_id: int | None = Field(description="The member a one-to-one or catch-up is for")
    catch_up_for_id: int | None
    facilitators: list[str] = Field(description="Staff codes")
    version: int


class MemberOut(Schema):
    id: int
    crn: str
    referral_id: int
    referral_status: str
    joined_on: date
    left_on: date | None
    delivery_mode: str
    delivery_reason: str
    attended: int
    absences: int


class NextStep(Schema):
    name: str
    label: str


class GroupDetailOut(GroupOut):
    sessions: list[SessionOut]
    members: list[MemberOut]
    hidden_members: int = Field(description="Members on restricted cases not shown to you")
    next_steps: list[NextStep] = Field(description="The group lifecycle's steps you may take now")


def _group_out(group: ProgrammeGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "code": group.code,
        "programme_code": group.programme.code,
        "programme_name": group.programme.name,
        "status": group.status,
        "cohort": group.cohort,
        "sex": group.sex,
        "ldc": group.ldc,
        "pdu_id": group.pdu_id,
        "room_id": group.room_id,
        "starts_on": group.starts_on,
        "template_effective_from": group.template.effective_from,
        "treatment_manager": group.treatment_manager.staff_code,
        "slots": [{"weekday": s.weekday, "starts_at": s.starts_at} for s in group.slots.all()],
        "facilitators": [
            {"staff_code": f.staff.staff_code, "name": str(f.staff), "is_cover": f.is_cover}
            for f in group.facilitators.all()
        ],
        "version": group.version,
    }


def session_out(session: ProgrammeSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "position": session.position,
        "module": session.module,
        "name": session.name,
        "kind": session.kind,
        "minutes": session.minutes,
        "starts_at": session.starts_at,
        "member_id": session.member_id,
        "catch_up_for_id": session.catch_up_for_id,
        "facilitators": [s.staff_code for s in session.facilitators.all()],
        "version": session.version,
    }


def member_out(member: Any) -> dict[str, Any]:
    return {
        "id": member.pk,
        "crn": member.referral.person.crn,
        "referral_id": member.referral_id,
        "referral_status": member.referral.status,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "delivery_mode": member.delivery_mode,
        "delivery_reason": member.delivery_reason,
        "attended": member.attended,
        "absences": member.absences,
    }


def _detail(request: HttpRequest, group: ProgrammeGroup) -> dict[str, Any]:
    user = api_user(request)
    prefetch_related_objects([group], "slots", "facilitators__staff")
    members, hidden = selectors.members_of(user, group)
    audit.record_read(
        "programme group", actor=user, obj=group, people=[m.referral.person.crn for m in members]
    )
    return _group_out(group) | {
        "sessions": [session_out(s) for s in selectors.sessions_of(user, group)],
        "members": [member_out(m) for m in members],
        "hidden_members": hidden,
        "next_steps": [{"name": t.name, "label": t.label} for t in GROUP.allowed(group, user)],
    }


@router.get(
    "/programme-groups",
    response=list[GroupOut],
    summary="The programme groups of the PDUs in your area",
)
@api_requires(Capability.DELIVER_PROGRAMMES)
def list_groups(request: HttpRequest, status: GroupStatus | None = None) -> list[dict[str, Any]]:
    found = (
        selectors.groups_for(api_user(request))
        .select_related("template")
        .prefetch_related("slots", "facilitators__staff")
    )
    if status is not None:
        found = found.filter(status=status)
    return [_group_out(g) for g in found.order_by("-starts_on", "code")[:200]]


def _staff(user: Any, code: str) -> Any:
    """A member of staff in the caller's area; one outside it answers 404, exactly like
    reading them (as the PDU and room do)."""
    staff = selectors.staff_for(user).filter(staff_code=code.upper()).first()
    if staff is None:
        raise Http404("No such member of staff")
    return staff


@router.post(
    "/programme-groups",
    response={201: GroupDetailOut},
    summary="Form a group: its group sessions are planned from the template in force on the start date",
    description=(
        "Refused (422 naming the field) when the programme is not accepting referrals, no "
        "published template is in force on the start date, the room is not an accredited room "
        "in use at an office of the PDU, or a facilitator would be in two sessions at once. "
        "A PDU, room or member of staff outside your area answers 404, as reading it would."
    ),
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def create_group(request: HttpRequest, payload: GroupIn) -> tuple[int, dict[str, Any]]:
    user = api_user(request)
    programme = selectors.programmes_accepting_referrals().filter(code=payload.programme_code).first()
    if programme is None:
        raise ValidationError({"programme_code": "No programme accepting referrals has this code"})
    pdu = pdus_in_scope(user).filter(pk=payload.pdu_id).first()
    # Any room at an office in the caller's area: whether it suits the group is the service's 422.
    room = rooms_manageable_by(user).filter(pk=payload.room_id).first()
    if pdu is None or room is None:
        raise Http404("No such PDU or room")
    group = services.create_group(
        acting_user=user,
        programme=programme,
        cohort=payload.cohort,
        sex=payload.sex,
        ldc=payload.ldc,
        pdu=pdu,
        room=room,
        slots=[Slot(s.weekday, s.starts_at) for s in payload.slots],
        starts_on=payload.starts_on,
        treatment_manager=_staff(user, payload.treatment_manager),
        facilitators=[_staff(user, c) for c in payload.facilitators],
        cover_facilitators=[_staff(user, c) for c in payload.cover_facilitators],
    )
    return 201, _detail(request, selectors.get_group_for(user, group.pk))


@router.get(
    "/programme-groups/{group_id}",
    response=GroupDetailOut,
    summary="A group with its sessions, members and the steps you may take",
)
@api_requires(Capability.DELIVER_PROGRAMMES)
def get_group(request: HttpRequest, group_id: int) -> dict[str, Any]:
    return _detail(request, selectors.get_group_for(api_user(request), group_id))


class MemberIn(Schema):
    referral_id: int = Field(
        description="A referral awaiting allocation to the group's programme (or to none)"
    )


@router.post(
    "/programme-groups/{group_id}/members",
    response={201: MemberOut},
    summary="Add a person from the waitlist",
    description=(
        "Refused (422, field `referral`) for a 13th member, a non-association with a member (either "
        "way round), a person already in a forming or running group of the same programme, or a "
        "woman in a men's group or a man in a women's group. Their dated sessions become "
        "appointments on their supervision record."
    ),
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def add_member(request: HttpRequest, group_id: int, payload: MemberIn) -> tuple[int, dict[str, Any]]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    referral = selectors.waitlisted_referral(user, group, payload.referral_id)
    member = services.add_member(acting_user=user, group_id=group.pk, referral_id=referral.pk)
    return 201, member_out(counted_member(user, group, member.pk))


def counted_member(user: Any, group: ProgrammeGroup, member_id: int) -> Any:
    members, _ = selectors.members_of(user, group)
    found = next((m for m in members if m.pk == member_id), None)
    if found is None:
        raise Http404
    return found


class DeselectIn(Schema):
    reason: StatusReason
    note: ShortText = ""


@router.post(
    "/programme-groups/{group_id}/members/{member_id}/deselect",
    response=MemberOut,
    summary="Deselect a member: they leave, and their future appointments are removed",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def deselect(request: HttpRequest, group_id: int, member_id: int, payload: DeselectIn) -> dict[str, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, group, member_id)
    services.deselect_member(acting_user=user, member_id=member.pk, reason=payload.reason, note=payload.note)
    return member_out(counted_member(user, group, member.pk))


class CancelIn(Schema):
    reason: StatusReason = Field(description="Why; each member goes back on the waitlist with it")
    note: ShortText = ""
    version: int


@router.post(
    "/programme-groups/{group_id}/cancel",
    response=GroupDetailOut,
    summary="Cancel a group that has not started",
    description="Everyone in it goes back on the waitlist with the reason; 409 once it has started.",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def cancel_group(request: HttpRequest, group_id: int, payload: CancelIn) -> dict[str, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    services.cancel_group(
        acting_user=user,
        group_id=group.pk,
        reason=payload.reason,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, selectors.get_group_for(user, group_id))


def group_staff(group: ProgrammeGroup, code: str) -> Any:
    found = selectors.staff_for_group(group).filter(staff_code=code).first()
    if found is None:
        raise ValidationError(
            {"facilitator_code": "Choose one of the group's facilitators or its treatment manager"}
        )
    return found


class DeliveryIn(Schema):
    mode: DeliveryMode
    reason: ShortText = Field("", description="Needed unless the member takes part in the group")


@router.post(
    "/programme-groups/{group_id}/members/{member_id}/delivery",
    response=MemberOut,
    summary="Record how a member takes part (flexible delivery: remotely or one-to-one, with a reason)",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def set_delivery(request: HttpRequest, group_id: int, member_id: int, payload: DeliveryIn) -> dict[str, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, group, member_id)
    services.set_delivery(acting_user=user, member_id=member.pk, mode=payload.mode, reason=payload.reason)
    return member_out(counted_member(user, group, member.pk))


@router.post(
    "/programme-groups/{group_id}/members/{member_id}/remove",
    response=MemberOut,
    summary="Take a member out before they start: back on the waitlist with the reason",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def remove_member(request: HttpRequest, group_id: int, member_id: int, payload: DeselectIn) -> dict[str, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, group, member_id)
    services.remove_member(acting_user=user, member_id=member.pk, reason=payload.reason, note=payload.note)
    return member_out(counted_member(user, group, member.pk))
