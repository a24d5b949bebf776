"""The Unpaid Work API: projects, sessions, bookings, attendance, nominations and orders.
The planner's operations are in ``unpaid_work.plans_api``, mounted here so the paths
are unchanged."""

from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from audit import services as audit
from core.api import LocalTime, PageNumberPagination, api_requires, api_user
from core.roles import Capability
from organisation.selectors import pdus_in_scope, staff_in_scope
from people.selectors import people_visible_to
from unpaid_work import selectors, services
from unpaid_work.constants import (
    AdjustmentReason,
    NominationStatus,
    OrderStatus,
    ProjectType,
    Rating,
    SessionOutcome,
    StandDownReason,
    TravelMode,
)
from unpaid_work.lifecycle import ORDER
from unpaid_work.models import Booking, Nomination, Project, WorkSession
from unpaid_work.plans_api import router as plans_router

router = Router(tags=["Unpaid Work"])


class ProjectIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    pdu_id: int
    type: ProjectType
    beneficiary: str = Field(min_length=1, max_length=150)
    address: str = Field(min_length=1, max_length=300)
    postcode: str = Field(min_length=5, max_length=8)
    weekdays: list[int] = Field(min_length=1)
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: int = Field(ge=1, le=50)
    people_per_supervisor: int = Field(6, ge=1, le=20)
    women_only: bool = False
    involves_children: bool = False
    accessible: bool = False
    start_date: date
    end_date: date | None = None
    nomination_id: int | None = None


class ProjectOut(Schema):
    id: int
    name: str
    pdu_id: int
    type: str
    beneficiary: str
    address: str
    postcode: str
    weekdays: list[int]
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: int
    people_per_supervisor: int
    women_only: bool
    involves_children: bool
    accessible: bool
    start_date: date
    version: int
    end_date: date | None


class UnpaidWorkSessionOut(Schema):
    id: int
    project_id: int
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    stood_down_reason: str
    booked: int
    version: int

    @staticmethod
    def resolve_booked(obj: WorkSession) -> int:
        return obj.bookings.filter(cancelled_at__isnull=True).count()


class GenerateIn(Schema):
    start: date
    end: date


class StandDownIn(Schema):
    reason: StandDownReason
    version: int


class UnpaidWorkBookingIn(Schema):
    order_id: int
    is_ete: bool = False


class BookingOut(Schema):
    id: int
    session_id: int
    order_id: int
    crn: str
    is_ete: bool
    outcome: str
    arrived_at: LocalTime | None
    left_at: LocalTime | None
    penalty_minutes: int
    credited_minutes: int
    version: int

    @staticmethod
    def resolve_crn(obj: Booking) -> str:
        return obj.order.person.crn


class AttendanceIn(Schema):
    outcome: SessionOutcome
    arrived_at: LocalTime | None = None
    left_at: LocalTime | None = None
    penalty_minutes: int = Field(0, ge=0)
    work_quality: Rating | None = None
    behaviour: Rating | None = None
    notes: str = ""
    version: int


class RegisterRowIn(AttendanceIn):
    booking_id: int


class RegisterIn(Schema):
    rows: list[RegisterRowIn] = Field(min_length=1)


class NominationIn(Schema):
    nominator_name: str = Field(min_length=1, max_length=120)
    organisation: str = Field("", max_length=150)
    email: str = Field(min_length=3, max_length=254)
    phone: str = Field("", max_length=20)
    description: str = Field(min_length=1, max_length=3000)
    address: str = Field(min_length=1, max_length=300)
    postcode: str = Field(min_length=5, max_length=8)


class NominationOut(NominationIn):
    id: int
    status: str
    decision_reason: str


class DeclineIn(Schema):
    reason: str = Field(min_length=1)


class OrderOut(Schema):
    id: int
    crn: str
    required_minutes: int
    credited_minutes: int
    adjusted_minutes: int = Field(description="Net: other adjustments add, travel credited takes away")
    travel_credited_minutes: int
    remaining_minutes: int
    ete_allowance_minutes: int
    ete_used_minutes: int
    managed_by: str
    status: OrderStatus
    next_steps: list[str] = Field(description="Steps the caller may take now (the order's lifecycle)")
    assessment_due: date
    first_session_due: date
    reviews: list[date]
    complete_by: date
    at_risk: bool
    forecast: str
    version: int


class AdjustmentIn(Schema):
    minutes: int = Field(ge=1)
    reason: AdjustmentReason
    note: str = ""


def _order_out(order: Any, user: Any) -> OrderOut:
    s = selectors.summarise(order, timezone.localdate())
    return OrderOut(
        id=order.pk,
        crn=order.person.crn,
        required_minutes=order.required_minutes,
        credited_minutes=s.credited,
        adjusted_minutes=s.adjusted,
        travel_credited_minutes=s.travel,
        remaining_minutes=s.remaining,
        ete_allowance_minutes=s.ete_allowance,
        ete_used_minutes=s.ete_used,
        managed_by=order.managed_by,
        status=order.status,
        next_steps=[t.name for t in ORDER.allowed(order, user)],
        assessment_due=s.deadlines.assessment_due,
        first_session_due=s.deadlines.first_session_due,
        reviews=list(s.deadlines.reviews),
        complete_by=s.deadlines.complete_by,
        at_risk=s.forecast.at_risk,
        forecast=s.forecast.reason,
        version=order.version,
    )


@router.get("/projects", response=list[ProjectOut])
@api_requires(Capability.MANAGE_UNPAID_WORK)
@paginate(PageNumberPagination, page_size=100)
def list_projects(request: HttpRequest) -> QuerySet[Project]:
    return selectors.projects_for(api_user(request)).order_by("name")


@router.post(
    "/projects", response={201: ProjectOut}, summary="Set up a project (optionally accepting a nomination)"
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def create_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, Project]:
    user = api_user(request)
    fields = payload.dict(exclude={"pdu_id", "nomination_id"}) | {
        "pdu": get_object_or_404(pdus_in_scope(user), pk=payload.pdu_id)
    }
    fields["postcode"] = fields["postcode"].strip().upper()
    nomination = (
        get_object_or_404(selectors.nominations_for(user), pk=payload.nomination_id)
        if payload.nomination_id is not None
        else None
    )
    return 201, services.create_project(
        acting_user=user, nomination_id=nomination.pk if nomination else None, **fields
    )


@router.get("/projects/{project_id}/sessions", response=list[UnpaidWorkSessionOut])
@api_requires(Capability.MANAGE_UNPAID_WORK)
@paginate(PageNumberPagination, page_size=100)
def list_sessions(
    request: HttpRequest, project_id: int, date_from: date | None = None
) -> QuerySet[WorkSession]:
    project = get_object_or_404(selectors.projects_for(api_user(request)), pk=project_id)
    return project.sessions.filter(date__gte=date_from or timezone.localdate()).order_by("date")


@router.post(
    "/projects/{project_id}/sessions",
    response={201: list[UnpaidWorkSessionOut]},
    summary="Generate sessions from the project's pattern",
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def generate_sessions(
    request: HttpRequest, project_id: int, payload: GenerateIn
) -> tuple[int, list[WorkSession]]:
    project = get_object_or_404(selectors.projects_for(api_user(request)), pk=project_id)
    return 201, services.generate_sessions(
        acting_user=api_user(request), project_id=project.pk, start=payload.start, end=payload.end
    )


@router.post("/sessions/{session_id}/stand-down", response=UnpaidWorkSessionOut)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def stand_down(request: HttpRequest, session_id: int, payload: StandDownIn) -> WorkSession:
    session = selectors.get_session_for(api_user(request), session_id)
    return services.stand_down(
        acting_user=api_user(request),
        session_id=session.pk,
        reason=payload.reason,
        expected_version=payload.version,
    )


@router.get(
    "/sessions/{session_id}/bookings",
    response=list[BookingOut],
    summary="The register (restricted cases left out)",
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def list_bookings(request: HttpRequest, session_id: int) -> list[Booking]:
    session = selectors.get_session_for(api_user(request), session_id)
    visible = people_visible_to(api_user(request))
    found = list(
        session.bookings.filter(cancelled_at__isnull=True, order__person__in=visible).select_related(
            "order__person"
        )
    )
    audit.record_read(
        "session register", actor=api_user(request), obj=session, people=[b.order.person.crn for b in found]
    )
    return found


@router.post("/sessions/{session_id}/bookings", response={201: BookingOut})
@api_requires(Capability.MANAGE_UNPAID_WORK)
def book(request: HttpRequest, session_id: int, payload: UnpaidWorkBookingIn) -> tuple[int, Booking]:
    session = selectors.get_session_for(api_user(request), session_id)
    order = selectors.get_order_for(api_user(request), payload.order_id)
    return 201, services.book(
        acting_user=api_user(request), session_id=session.pk, order_id=order.pk, is_ete=payload.is_ete
    )


@router.post(
    "/bookings/{booking_id}/attendance", response=BookingOut, summary="Record what happened at a session"
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def record_attendance(request: HttpRequest, booking_id: int, payload: AttendanceIn) -> Booking:
    user = api_user(request)
    booking = selectors.get_booking_for(user, booking_id)
    return services.record_attendance(acting_user=user, **asdict(_attendance(booking.pk, payload)))


def _attendance(booking_id: int, row: AttendanceIn) -> services.AttendanceEntry:
    """One person's attendance as the services take it, from a single call or a register row."""
    return services.AttendanceEntry(
        booking_id=booking_id,
        outcome=row.outcome,
        arrived_at=row.arrived_at,
        left_at=row.left_at,
        penalty_minutes=row.penalty_minutes,
        work_quality=row.work_quality.value if row.work_quality else "",
        behaviour=row.behaviour.value if row.behaviour else "",
        notes=row.notes,
        expected_version=row.version,
    )


@router.post(
    "/sessions/{session_id}/register",
    response=list[BookingOut],
    summary="Record a whole register: every row saved, or none, with each row's problems",
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def record_register(request: HttpRequest, session_id: int, payload: RegisterIn) -> list[Booking]:
    user = api_user(request)
    session = selectors.get_session_for(user, session_id)
    visible = set(
        session.bookings.filter(order__person__in=people_visible_to(user)).values_list("pk", flat=True)
    )
    if any(row.booking_id not in visible for row in payload.rows):
        raise Http404
    entries = [_attendance(row.booking_id, row) for row in payload.rows]
    try:
        return services.record_register(acting_user=user, session_id=session.pk, entries=entries)
    except services.RegisterRejected as rejected:
        # One problem document naming each row (by its position and booking) and field.
        position = {row.booking_id: i for i, row in enumerate(payload.rows)}
        raise ValidationError(
            {
                f"rows.{position[booking_id]}.{field or 'booking_id'}": messages
                for booking_id, fields in rejected.problems.items()
                for field, messages in fields.items()
            }
        ) from rejected


@router.get("/nominations", response=list[NominationOut])
@api_requires(Capability.MANAGE_UNPAID_WORK)
@paginate(PageNumberPagination, page_size=100)
def list_nominations(request: HttpRequest, status: NominationStatus | None = None) -> QuerySet[Nomination]:
    nominations = selectors.nominations_for(api_user(request))
    return nominations.filter(status=status) if status else nominations


@router.post("/nominations/{nomination_id}/decline", response=NominationOut)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def decline(request: HttpRequest, nomination_id: int, payload: DeclineIn) -> Nomination:
    nomination = get_object_or_404(selectors.nominations_for(api_user(request)), pk=nomination_id)
    return services.decline_nomination(
        acting_user=api_user(request), nomination_id=nomination.pk, reason=payload.reason
    )


@router.get(
    "/orders/{order_id}",
    response=OrderOut,
    summary="A person's unpaid work: hours, ETE, deadlines and forecast",
)
@api_requires(Capability.VIEW_CASES)
def get_order(request: HttpRequest, order_id: int) -> OrderOut:
    found = selectors.get_order_for(api_user(request), order_id)
    audit.record_read("unpaid work order", actor=api_user(request), person=found.person, obj=found)
    return _order_out(found, api_user(request))


@router.post("/orders/{order_id}/adjustments", response={201: OrderOut})
@api_requires(Capability.MANAGE_UNPAID_WORK)
def add_adjustment(request: HttpRequest, order_id: int, payload: AdjustmentIn) -> tuple[int, OrderOut]:
    order = selectors.get_order_for(api_user(request), order_id)
    services.add_adjustment(
        acting_user=api_user(request),
        order_id=order.pk,
        minutes=payload.minutes,
        reason=payload.reason,
        note=payload.note,
    )
    order.refresh_from_db()
    return 201, _order_out(order, api_user(request))


class UnpaidWorkAssessmentIn(Schema):
    assessed_on: date
    home_postcode: str = Field(min_length=5, max_length=8)
    travel_mode: TravelMode
    available_weekdays: list[int] = Field(default_factory=list, description="0 = Monday; empty means any day")
    availability_notes: str = Field("", max_length=300)
    no_all_male_group: bool = False
    needs_accessible_placement: bool = False
    version: int


@router.put(
    "/orders/{order_id}/assessment",
    response=OrderOut,
    summary="Record the Unpaid Work assessment: home, travel and availability",
)
@api_requires(Capability.MANAGE_UNPAID_WORK)
def update_assessment(request: HttpRequest, order_id: int, payload: UnpaidWorkAssessmentIn) -> OrderOut:
    order = selectors.get_order_for(api_user(request), order_id)
    if any(not 0 <= day <= 6 for day in payload.available_weekdays):
        raise ValidationError({"available_weekdays": "Days are 0 (Monday) to 6 (Sunday)"})
    fields = payload.dict(exclude={"version"})
    fields["home_postcode"] = fields["home_postcode"].strip().upper()
    fields["available_weekdays"] = sorted(set(payload.available_weekdays))
    updated = services.update_assessment(
        acting_user=api_user(request), order_id=order.pk, expected_version=payload.version, **fields
    )
    return _order_out(updated, api_user(request))


class SupervisorsIn(Schema):
    staff_ids: list[int]
    version: int = Field(description="The session's version when the supervisors were chosen")


class SupervisorOut(Schema):
    id: int
    forename: str
    surname: str


@router.put("/sessions/{session_id}/supervisors", response=list[SupervisorOut], summary="Assign supervisors")
@api_requires(Capability.MANAGE_UNPAID_WORK)
def assign_supervisors(request: HttpRequest, session_id: int, payload: SupervisorsIn) -> list[Any]:
    user = api_user(request)
    session = selectors.get_session_for(user, session_id)
    wanted = set(payload.staff_ids)
    if staff_in_scope(user).filter(pk__in=wanted).count() != len(wanted):
        raise Http404  # naming staff outside the user's scope, exactly like reading them
    updated = services.assign_supervisors(
        acting_user=user,
        session_id=session.pk,
        staff_ids=payload.staff_ids,
        expected_version=payload.version,
    )
    return list(updated.supervisors.all())


router.add_router("", plans_router)
