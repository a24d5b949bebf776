"""The programmes API: a group's sessions and their delivery (rescheduling, booking a
one-to-one, catch-ups, the register and notes) and a facilitator's diary. The same
capabilities and scoped selectors as the pages; split from ``api.groups``, whose schemas
and answers it reuses."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import model_validator

from audit import services as audit
from core.api import Text, api_requires, api_user
from core.roles import Capability
from programmes.api.groups import SessionOut, group_staff, session_out
from programmes.constants import Attendance
from programmes.models import SessionAttendance
from programmes.selectors import groups as selectors
from programmes.services import groups as services
from supervision.constants import AbsenceReason

router = Router(tags=["Programmes"])


class RescheduleIn(Schema):
    starts_at: datetime = Field(description="The new start; later group sessions follow it")
    version: int


@router.post(
    "/programme-groups/{group_id}/sessions/{session_id}/reschedule",
    response=list[SessionOut],
    summary="Move a session; the later group sessions cascade onto the following weekly times",
    description="Refused (422, `starts_at`) in the past, on a bank holiday, or before the session before it.",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def reschedule(
    request: HttpRequest, group_id: int, session_id: int, payload: RescheduleIn
) -> list[dict[str, Any]]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    session = selectors.session_of(user, group, session_id)
    moved = services.reschedule_session(
        acting_user=user, session_id=session.pk, starts_at=payload.starts_at, expected_version=payload.version
    )
    return [session_out(s) for s in moved]


class AttendanceRowIn(Schema):
    member_id: int
    outcome: Attendance
    absence_reason: AbsenceReason | None = Field(
        None, description="Only for an acceptable absence, and then required"
    )
    notes: Text = Field("", description="Required for a failure to comply or an unacceptable absence")


class SessionAttendanceIn(Schema):
    """One member's attendance (``member_id``, ``outcome``...) or a whole register (``rows``)."""

    member_id: int | None = None
    outcome: Attendance | None = None
    absence_reason: AbsenceReason | None = None
    notes: Text = ""
    rows: list[AttendanceRowIn] | None = Field(None, max_length=20)

    @model_validator(mode="after")
    def one_or_the_register(self) -> "SessionAttendanceIn":
        if (self.rows is None) == (self.member_id is None or self.outcome is None):
            raise ValueError("give either member_id and outcome, or rows (the register)")
        return self

    def entries(self) -> list[AttendanceRowIn]:
        if self.rows is not None:
            return self.rows
        assert self.member_id is not None and self.outcome is not None
        return [
            AttendanceRowIn(
                member_id=self.member_id,
                outcome=self.outcome,
                absence_reason=self.absence_reason,
                notes=self.notes,
            )
        ]


class AttendanceOut(Schema):
    session_id: int
    member_id: int
    crn: str
    outcome: str
    absence_reason: str
    recorded_at: datetime | None
    appointment_id: int | None = Field(description="The appointment on the person's supervision record")


def _attendance_out(row: SessionAttendance) -> dict[str, Any]:
    return {
        "session_id": row.session_id,
        "member_id": row.member_id,
        "crn": row.member.referral.person.crn,
        "outcome": row.outcome,
        "absence_reason": row.absence_reason,
        "recorded_at": row.recorded_at,
        "appointment_id": row.appointment_id,
    }


@router.post(
    "/programme-groups/{group_id}/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="Record attendance: one member, or the register (every row saved, or none)",
    description=(
        "Each outcome is copied to the member's supervision appointment; a failure to comply or an "
        "unacceptable absence then waits there for the practitioner's warning or breach decision. "
        "The first attendance starts the referral; the last required one completes it and the "
        "programme requirement. A session that has not started refuses attendance (422)."
    ),
)
@api_requires(Capability.DELIVER_PROGRAMMES)
def record_attendance(
    request: HttpRequest, group_id: int, session_id: int, payload: SessionAttendanceIn
) -> list[dict[str, Any]]:
    user = api_user(request)
    group = selectors.get_group_to_deliver(user, group_id)
    session = selectors.session_of(user, group, session_id)
    rows = payload.entries()
    visible, _ = selectors.register_of(user, session)
    if any(r.member_id not in {v.member_id for v in visible} for r in rows):
        raise Http404
    entries = [
        services.AttendanceEntry(
            member_id=r.member_id,
            outcome=r.outcome,
            absence_reason=r.absence_reason.value if r.absence_reason else "",
            notes=r.notes,
        )
        for r in rows
    ]
    try:
        saved = services.record_register(acting_user=user, session_id=session.pk, entries=entries)
    except services.RegisterRejected as rejected:
        position = {r.member_id: i for i, r in enumerate(rows)}
        single = payload.rows is None
        raise ValidationError(
            {
                (field or "member_id")
                if single
                else f"rows.{position[member_id]}.{field or 'member_id'}": problems
                for member_id, fields in rejected.problems.items()
                for field, problems in fields.items()
            }
        ) from rejected
    return [_attendance_out(row) for row in saved]


class SessionNoteIn(Schema):
    text: Text = Field(min_length=1)
    member_id: int | None = Field(None, description="The member it is about; null for the group")


class SessionNoteOut(Schema):
    id: int
    session_id: int
    member_id: int | None
    text: str
    written_at: datetime


@router.post(
    "/programme-groups/{group_id}/sessions/{session_id}/notes",
    response={201: SessionNoteOut},
    summary="Write a session note, about the group or one member",
)
@api_requires(Capability.DELIVER_PROGRAMMES)
def add_note(request: HttpRequest, group_id: int, session_id: int, payload: SessionNoteIn) -> tuple[int, Any]:
    user = api_user(request)
    group = selectors.get_group_to_deliver(user, group_id)
    session = selectors.session_of(user, group, session_id)
    if payload.member_id is not None:
        selectors.member_of(user, group, payload.member_id)
    return 201, services.add_note(
        acting_user=user, session_id=session.pk, text=payload.text, member_id=payload.member_id
    )


class DiarySessionOut(Schema):
    id: int
    group_id: int
    group_code: str
    programme_name: str
    name: str
    kind: str
    starts_at: datetime
    minutes: int
    room: str
    member_crn: str | None = Field(description="For a one-to-one or catch-up: who it is with")


@router.get(
    "/facilitators/{staff_code}/diary",
    response=list[DiarySessionOut],
    summary="A facilitator's sessions for the week holding `week` (today by default)",
    description="Your own diary; anyone's in your area when you run programmes. 404 otherwise.",
)
@api_requires(Capability.DELIVER_PROGRAMMES)
def diary(request: HttpRequest, staff_code: str, week: date | None = None) -> list[dict[str, Any]]:
    user = api_user(request)
    staff = selectors.facilitator_for(user, staff_code)
    day = week or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day - timedelta(days=day.weekday()), time.min))
    sessions = selectors.diary_of(user, staff, start, start + timedelta(days=7))
    audit.record_read(
        "facilitator diary",
        actor=user,
        people=[s.member.referral.person.crn for s in sessions if s.member],
        details={"staff": staff.staff_code, "week": str(start.date())},
    )
    return [
        {
            "id": s.pk,
            "group_id": s.group_id,
            "group_code": s.group.code,
            "programme_name": s.group.programme.name,
            "name": s.name,
            "kind": s.kind,
            "starts_at": s.starts_at,
            "minutes": s.minutes,
            "room": str(s.room) if s.room else "",
            "member_crn": s.member.referral.person.crn if s.member else None,
        }
        for s in sessions
    ]


class BookIn(Schema):
    starts_at: datetime = Field(description="When the one-to-one starts")
    facilitator_code: str = Field(
        description="Staff code of one of the group's facilitators or its treatment manager"
    )
    version: int


@router.post(
    "/programme-groups/{group_id}/sessions/{session_id}/book",
    response=SessionOut,
    summary="Book a member's one-to-one (a placeholder until booked)",
    description="Refused (422) for a group session, one already booked, a time in the past or on a bank holiday, "
    "or a facilitator who is not the group's or is booked elsewhere then.",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def book_one_to_one(request: HttpRequest, group_id: int, session_id: int, payload: BookIn) -> dict[str, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    session = selectors.session_of(user, group, session_id)
    facilitator = group_staff(group, payload.facilitator_code)
    booked = services.book_one_to_one(
        acting_user=user,
        session_id=session.pk,
        starts_at=payload.starts_at,
        facilitator=facilitator,
        expected_version=payload.version,
    )
    return session_out(booked)


class CatchUpIn(Schema):
    missed_session_id: int = Field(description="A past session the member missed and has no catch-up for")
    starts_at: datetime
    facilitator_code: str


@router.post(
    "/programme-groups/{group_id}/members/{member_id}/catch-ups",
    response={201: SessionOut},
    summary="Book a catch-up for a session the member missed; attended, it counts for that session",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def add_catch_up(request: HttpRequest, group_id: int, member_id: int, payload: CatchUpIn) -> tuple[int, Any]:
    user = api_user(request)
    group = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, group, member_id)
    session = services.add_catch_up(
        acting_user=user,
        member_id=member.pk,
        missed_session_id=payload.missed_session_id,
        starts_at=payload.starts_at,
        facilitator=group_staff(group, payload.facilitator_code),
    )
    return 201, session_out(session)
