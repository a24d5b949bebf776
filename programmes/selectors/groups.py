"""Scoped reads of groups, their sessions, members and the waitlist.

Groups belong to a PDU: a user who runs or delivers programmes sees the groups of the
PDUs in their geography. Delivering (a register, notes) narrows further for a facilitator:
only the groups they facilitate or, as treatment manager, oversee; a coordinator or
treatment manager (MANAGE_PROGRAMMES) delivers any group they can see. People are always
resolved through ``people.selectors.people_visible_to``, so a restricted case stays
hidden from excluded staff in every list and register; missing and forbidden are both 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.roles import Capability
from organisation.models import Staff
from organisation.selectors import pdus_in_scope, staff_in_scope
from people.selectors import people_visible_to
from programmes.constants import Attendance, GroupStatus, ReferralStatus, SessionKind
from programmes.models import (
    GroupMember,
    Programme,
    ProgrammeGroup,
    ProgrammeReferral,
    ProgrammeSession,
    Room,
    SessionAttendance,
    SessionNote,
)
from programmes.selectors import catalogue as catalogue_selectors

ATTENDED = (Attendance.ATTENDED_COMPLIED, Attendance.ATTENDED_FAILED_TO_COMPLY)


def _runs_or_delivers(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            user.has_capability(Capability.MANAGE_PROGRAMMES)
            or user.has_capability(Capability.DELIVER_PROGRAMMES)
        )
    )


def groups_for(user: Any) -> QuerySet[ProgrammeGroup]:
    """The groups of the PDUs in the user's geography."""
    if not _runs_or_delivers(user):
        return ProgrammeGroup.objects.none()
    return ProgrammeGroup.objects.filter(pdu__in=pdus_in_scope(user)).select_related(
        "programme", "pdu", "room__office", "treatment_manager"
    )


def groups_delivered_by(user: Any) -> QuerySet[ProgrammeGroup]:
    """The groups whose registers and notes the user may write: any they can see when they
    run programmes; otherwise those they facilitate (cover included) or oversee."""
    groups = groups_for(user)
    if user.has_capability(Capability.MANAGE_PROGRAMMES):
        return groups
    staff_id = getattr(user, "staff_id", None)
    if staff_id is None or not user.has_capability(Capability.DELIVER_PROGRAMMES):
        return ProgrammeGroup.objects.none()
    return groups.filter(Q(facilitators__staff_id=staff_id) | Q(treatment_manager_id=staff_id)).distinct()


def get_group_for(user: Any, group_id: int) -> ProgrammeGroup:
    group = groups_for(user).filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group")
    return group


def get_group_to_deliver(user: Any, group_id: int) -> ProgrammeGroup:
    group = groups_delivered_by(user).filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group")
    return group


def session_of(user: Any, group: ProgrammeGroup, session_id: int) -> ProgrammeSession:
    """A session of the group; a one-to-one or catch-up of a member the user may not see is 404."""
    session = (
        group.sessions.filter(pk=session_id)
        .filter(Q(member__isnull=True) | Q(member__referral__person__in=people_visible_to(user)))
        .prefetch_related("facilitators")
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def member_of(user: Any, group: ProgrammeGroup, member_id: int) -> GroupMember:
    member = (
        group.members.filter(pk=member_id, referral__person__in=people_visible_to(user))
        .select_related("referral__person")
        .first()
    )
    if member is None:
        raise Http404("No such member")
    return member


def members_of(user: Any, group: ProgrammeGroup) -> tuple[list[Any], int]:
    """The members the user may see (current first), with attendance counts, and how many
    are hidden from them."""
    every = group.members.all()
    visible = list(
        every.filter(referral__person__in=people_visible_to(user))
        .select_related("referral__person")
        .annotate(
            attended=Count("attendances", filter=Q(attendances__outcome__in=ATTENDED)),
            absences=Count(
                "attendances",
                filter=Q(
                    attendances__outcome__in=(Attendance.ACCEPTABLE_ABSENCE, Attendance.UNACCEPTABLE_ABSENCE)
                ),
            ),
            failures=Count(
                "attendances",
                filter=Q(
                    attendances__outcome__in=(
                        Attendance.ATTENDED_FAILED_TO_COMPLY,
                        Attendance.UNACCEPTABLE_ABSENCE,
                    )
                ),
            ),
        )
        .order_by("left_on", "referral__person__last_name")
    )
    return visible, every.count() - len(visible)


def sessions_of(user: Any, group: ProgrammeGroup) -> QuerySet[ProgrammeSession]:
    """The group's sessions in time order (placeholders last), leaving out the one-to-ones
    and catch-ups of members the user may not see."""
    return (
        group.sessions.filter(
            Q(member__isnull=True) | Q(member__referral__person__in=people_visible_to(user))
        )
        .select_related("member__referral__person", "catch_up_for")
        .prefetch_related("facilitators")
        .order_by(F("starts_at").asc(nulls_last=True), "position", "id")
    )


def register_of(user: Any, session: ProgrammeSession) -> tuple[list[SessionAttendance], int]:
    """The session's register rows the user may see, and how many are hidden."""
    rows = session.attendances.all()
    visible = list(
        rows.filter(member__referral__person__in=people_visible_to(user))
        .select_related("member__referral__person", "appointment")
        .order_by("member__referral__person__last_name")
    )
    return visible, rows.count() - len(visible)


def notes_of(user: Any, session: ProgrammeSession) -> list[SessionNote]:
    """Notes on the session: about the group, or about a member the user may see."""
    return list(
        session.notes.filter(
            Q(member__isnull=True) | Q(member__referral__person__in=people_visible_to(user))
        ).select_related("author", "member__referral__person")
    )


def waitlist_for(user: Any, group: ProgrammeGroup) -> QuerySet[ProgrammeReferral]:
    """Referrals awaiting allocation to this programme (or to none named yet), of people the
    user may see, on the waitlists of the PDUs in their geography."""
    return (
        ProgrammeReferral.objects.filter(
            status=ReferralStatus.AWAITING_ALLOCATION,
            pdu__in=pdus_in_scope(user),
            person__in=people_visible_to(user),
        )
        .filter(Q(programme=group.programme) | Q(programme__isnull=True))
        .select_related("person", "programme")
        .order_by("referred_on", "id")
    )


def waitlisted_referral(user: Any, group: ProgrammeGroup, referral_id: int) -> ProgrammeReferral:
    referral = waitlist_for(user, group).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral on the waitlist")
    return referral


def programmes_accepting_referrals(on: date | None = None) -> QuerySet[Programme]:
    """The catalogue's rule (``rules.catalogue.accepts_new_referrals``) as a query."""
    return catalogue_selectors.programmes_accepting_referrals(on or timezone.localdate())


def rooms_for(user: Any) -> QuerySet[Room]:
    """Rooms suitable for groups, in use, at offices of the PDUs in the user's geography."""
    return Room.objects.filter(
        accredited=True,
        retired_at__isnull=True,
        office__pdu__in=pdus_in_scope(user),
        office__retired_at__isnull=True,
    ).select_related("office__pdu")


def staff_for(user: Any) -> QuerySet[Staff]:
    """Staff who can be named as a group's treatment manager or facilitators."""
    return staff_in_scope(user).order_by("surname", "forename")


def staff_for_group(group: ProgrammeGroup) -> QuerySet[Staff]:
    """Who can run a group's one-to-ones and catch-ups: its facilitators (cover included)
    and its treatment manager."""
    return Staff.objects.filter(
        Q(pk=group.treatment_manager_id) | Q(pk__in=group.facilitators.values("staff_id")),
        left_at__isnull=True,
    ).order_by("surname", "forename")


def facilitator_for(user: Any, staff_code: str) -> Staff:
    """Whose diary the user may read: their own, or (running programmes) anyone in scope."""
    own = getattr(user, "staff", None)
    if own is not None and own.staff_code == staff_code.upper():
        return own
    if user.has_capability(Capability.MANAGE_PROGRAMMES):
        staff = staff_in_scope(user).filter(staff_code=staff_code.upper()).first()
        if staff is not None:
            return staff
    raise Http404("No such facilitator")


def diary_of(user: Any, staff: Staff, start: datetime, end: datetime) -> list[ProgrammeSession]:
    """The staff member's sessions from ``start`` to ``end``; one-to-ones with people the
    user may not see are left out."""
    visible = people_visible_to(user)
    return list(
        ProgrammeSession.objects.filter(facilitators=staff, starts_at__gte=start, starts_at__lt=end)
        .filter(Q(member__isnull=True) | Q(member__referral__person__in=visible))
        .select_related("group__programme", "room__office", "member__referral__person")
        .order_by("starts_at")
    )


def missed_sessions_of(member: GroupMember) -> list[ProgrammeSession]:
    """Sessions the member was due at, has not attended and has no catch-up for (booked
    or attended): the ones a catch-up can be offered for."""
    now = timezone.now()
    group_sessions = member.group.sessions.filter(
        kind=SessionKind.GROUP, member__isnull=True, catch_up_for__isnull=True, starts_at__lt=now
    )
    own = member.sessions.filter(catch_up_for__isnull=True, starts_at__lt=now)
    attended = set(member.attendances.filter(outcome__in=ATTENDED).values_list("session_id", flat=True))
    caught_up = set(
        member.sessions.filter(catch_up_for__isnull=False)
        .exclude(attendances__outcome__in=(Attendance.ACCEPTABLE_ABSENCE, Attendance.UNACCEPTABLE_ABSENCE))
        .values_list("catch_up_for_id", flat=True)
    )
    return [
        s
        for s in [*group_sessions.order_by("starts_at"), *own.order_by("starts_at")]
        if s.pk not in attended and s.pk not in caught_up
    ]


def groups_with_sessions(groups: QuerySet[ProgrammeGroup]) -> QuerySet[ProgrammeGroup]:
    """Groups for a list, with their member and session counts."""
    return groups.annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        session_count=Count("sessions", filter=Q(sessions__member__isnull=True), distinct=True),
    ).prefetch_related(Prefetch("slots"))


def running_groups_count(user: Any) -> int:
    """Groups forming or running in the user's geography."""
    return groups_for(user).filter(status__in=[GroupStatus.FORMING, GroupStatus.RUNNING]).count()
