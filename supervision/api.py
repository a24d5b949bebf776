from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from audit import services as audit
from core.api import PageNumberPagination, api_requires, api_user
from core.roles import Capability
from organisation import selectors as organisation_selectors
from organisation.selectors import offices_in_scope, staff_in_scope
from people.api import PersonOut
from people.models import Person
from people.selectors import get_person_for, people_visible_to
from sentences import selectors as sentence_selectors
from supervision import selectors, services
from supervision.constants import (
    AbsenceReason,
    AppointmentOutcome,
    AppointmentType,
    BreachStatus,
    CourtOutcome,
    EnforcementDecision,
    TransferReason,
)
from supervision.lifecycle import BREACH
from supervision.models import Allocation, Appointment, Breach, ContactNote
from supervision.rules import breach_due_date
from supervision.selectors import action_needed

router = Router(tags=["Supervision"])


class AppointmentIn(Schema):
    type: AppointmentType
    starts_at: datetime
    ends_at: datetime
    practitioner_id: int
    office_id: int | None = None
    event_id: int | None = Field(
        None,
        description="The sentence (event) the appointment is for: required when the person is serving "
        "more than one, and the only one when they serve exactly one",
    )


class AppointmentOut(Schema):
    id: int
    type: str
    starts_at: datetime
    ends_at: datetime
    practitioner_id: int
    office_id: int | None
    event_id: int | None
    outcome: str
    absence_reason: str
    outcome_notes: str
    version: int


class OutcomeIn(Schema):
    outcome: AppointmentOutcome
    absence_reason: AbsenceReason | None = None
    notes: str = ""
    version: int
    event_id: int | None = Field(
        None, description="For an appointment linked to no sentence: the live sentence it belongs to"
    )


class EnforcementOptionsOut(Schema):
    may_warn: bool
    must_breach: bool
    live_warning: date | None
    explanation: str


class ActionNeededOut(Schema):
    appointment_id: int = Field(alias="pk")
    crn: str = Field(alias="person.crn")
    event_id: int | None
    type: str
    starts_at: datetime
    outcome: str


class EnforcementIn(Schema):
    decision: EnforcementDecision
    circumstances: str = Field(min_length=1)


class EnforcementOut(Schema):
    decision: str
    id: int


class BreachOut(Schema):
    id: int
    event_id: int
    status: str
    aware_on: date
    requested_on: date
    actioned_on: date | None
    presented_on: date | None
    concluded_on: date | None
    court_outcome: str
    version: int
    due_by: date = Field(description="Presentation deadline: 10 business days after becoming aware")
    next_steps: list[str] = Field(
        description="The steps you may take on it now, by name (the breach lifecycle's transitions; "
        "POST the state each reaches as `to`)"
    )


class BreachTransitionIn(Schema):
    to: BreachStatus
    on: date
    court_outcome: CourtOutcome | None = None
    withdrawn_reason: str = Field("", max_length=300)
    version: int


class NoteIn(Schema):
    text: str = Field(min_length=1)
    is_sensitive: bool = False


class NoteOut(Schema):
    id: int
    text: str
    is_sensitive: bool
    created_at: datetime


class AllocationIn(Schema):
    team_id: int
    practitioner_id: int | None = None
    event_id: int | None = Field(None, description="Allocate one event rather than the whole case")
    reason: TransferReason
    version: int = Field(
        description="The person's version (from GET /people/{crn}) the allocation was decided on"
    )


class AllocationOut(Schema):
    event_id: int | None
    pdu_id: int
    team_id: int | None
    practitioner_id: int | None
    reason: str
    started_at: datetime
    ended_at: datetime | None


def _appointment(user: object, crn: str, appointment_id: int) -> Appointment:
    person = get_person_for(user, crn)
    return selectors.appointment_of(person, appointment_id)


def _breach_out(breach: Breach, user: Any) -> BreachOut:
    return BreachOut(
        id=breach.pk,
        event_id=breach.event_id,
        status=breach.status,
        aware_on=breach.aware_on,
        requested_on=breach.requested_on,
        actioned_on=breach.actioned_on,
        presented_on=breach.presented_on,
        concluded_on=breach.concluded_on,
        court_outcome=breach.court_outcome,
        version=breach.version,
        due_by=breach_due_date(breach.aware_on),
        next_steps=[t.name for t in BREACH.allowed(breach, user)],
    )


@router.get("/people/{crn}/appointments", response=list[AppointmentOut])
@api_requires(Capability.VIEW_CASES)
@paginate(PageNumberPagination, page_size=50)
def list_appointments(request: HttpRequest, crn: str, upcoming: bool | None = None) -> QuerySet[Appointment]:

    person = get_person_for(api_user(request), crn)
    audit.record_read("appointments", actor=api_user(request), person=person)
    appointments = person.appointments.order_by("-starts_at")
    if upcoming is True:
        appointments = appointments.filter(starts_at__gte=timezone.now()).order_by("starts_at")
    elif upcoming is False:
        appointments = appointments.filter(starts_at__lt=timezone.now())
    return appointments


@router.post("/people/{crn}/appointments", response={201: AppointmentOut})
@api_requires(Capability.MANAGE_CASES)
def book_appointment(request: HttpRequest, crn: str, payload: AppointmentIn) -> tuple[int, Appointment]:
    user = api_user(request)
    person = get_person_for(user, crn)
    # Like the page: the person's PDU and the user's scope; anything else answers 404.
    practitioner = get_object_or_404(
        staff_in_scope(user).filter(pdu=person.pdu_id), pk=payload.practitioner_id
    )
    office = (
        get_object_or_404(offices_in_scope(user).filter(pdu=person.pdu_id), pk=payload.office_id)
        if payload.office_id
        else None
    )
    event = sentence_selectors.event_of(person, payload.event_id) if payload.event_id else None
    if payload.event_id and event is None:
        raise HttpError(422, "event_id: not one of this person's events")
    event = services.event_for_appointment(person, event, field="event_id")
    return 201, services.book_appointment(
        acting_user=api_user(request),
        person=person,
        type=payload.type,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        practitioner=practitioner,
        office=office,
        event=event,
    )


@router.post("/people/{crn}/appointments/{appointment_id}/outcome", response=AppointmentOut)
@api_requires(Capability.MANAGE_CASES)
def record_outcome(request: HttpRequest, crn: str, appointment_id: int, payload: OutcomeIn) -> Appointment:
    appointment = _appointment(api_user(request), crn, appointment_id)
    return services.record_outcome(
        acting_user=api_user(request),
        appointment_id=appointment.pk,
        outcome=payload.outcome,
        notes=payload.notes,
        absence_reason=payload.absence_reason.value if payload.absence_reason else "",
        expected_version=payload.version,
        event_id=payload.event_id,
    )


@router.get(
    "/people/{crn}/appointments/{appointment_id}/enforcement",
    response=EnforcementOptionsOut,
    summary="Whether a warning is still possible or breach is mandatory",
)
@api_requires(Capability.VIEW_CASES)
def enforcement_options(request: HttpRequest, crn: str, appointment_id: int) -> EnforcementOptionsOut:
    appointment = _appointment(api_user(request), crn, appointment_id)
    audit.record_read(
        "enforcement options", actor=api_user(request), person=appointment.person, obj=appointment
    )
    options = selectors.enforcement_options_for(appointment)
    return EnforcementOptionsOut(**vars(options))


@router.get(
    "/enforcement/action-needed",
    response=list[ActionNeededOut],
    summary="Failures to comply still awaiting a warning or breach decision, within your scope",
)
@api_requires(Capability.VIEW_CASES)
@paginate(PageNumberPagination, page_size=50)
def list_action_needed(request: HttpRequest, mine: bool = False) -> QuerySet[Appointment]:
    user = api_user(request)
    failures = action_needed(user)
    if mine:
        failures = (
            failures.filter(person__practitioner_id=user.staff_id) if user.staff_id else failures.none()
        )
    audit.record_read("enforcement action needed", actor=user, **audit.listed(failures, "person__crn"))
    return failures


@router.post("/people/{crn}/appointments/{appointment_id}/enforcement", response={201: EnforcementOut})
@api_requires(Capability.MANAGE_CASES)
def take_enforcement_action(
    request: HttpRequest, crn: str, appointment_id: int, payload: EnforcementIn
) -> tuple[int, EnforcementOut]:
    appointment = _appointment(api_user(request), crn, appointment_id)
    taken = services.take_enforcement_action(
        acting_user=api_user(request),
        appointment_id=appointment.pk,
        decision=payload.decision,
        circumstances=payload.circumstances,
    )
    return 201, EnforcementOut(decision=payload.decision.value, id=taken.pk)


@router.get("/people/{crn}/breaches", response=list[BreachOut])
@api_requires(Capability.VIEW_CASES)
def list_breaches(request: HttpRequest, crn: str) -> list[BreachOut]:
    person = get_person_for(api_user(request), crn)
    audit.record_read("breaches", actor=api_user(request), person=person)
    return [_breach_out(b, api_user(request)) for b in selectors.breaches_of(person)]


@router.post("/people/{crn}/breaches/{breach_id}/transitions", response=BreachOut)
@api_requires(Capability.MANAGE_CASES)
def advance_breach(request: HttpRequest, crn: str, breach_id: int, payload: BreachTransitionIn) -> BreachOut:
    person = get_person_for(api_user(request), crn)
    selectors.breach_of(person, breach_id)
    return _breach_out(
        services.advance_breach(
            acting_user=api_user(request),
            breach_id=breach_id,
            to=payload.to,
            on=payload.on,
            expected_version=payload.version,
            court_outcome=payload.court_outcome,
            withdrawn_reason=payload.withdrawn_reason,
        ),
        api_user(request),
    )


@router.get("/people/{crn}/notes", response=list[NoteOut])
@api_requires(Capability.VIEW_CASES)
@paginate(PageNumberPagination, page_size=50)
def list_notes(request: HttpRequest, crn: str, include_sensitive: bool = False) -> QuerySet[ContactNote]:
    person = get_person_for(api_user(request), crn)
    notes = selectors.notes_of(person)
    sensitive = notes.filter(is_sensitive=True).count() if include_sensitive else 0
    audit.record_read(
        "contact notes", actor=api_user(request), person=person, details={"sensitive_notes_shown": sensitive}
    )
    return notes if include_sensitive else notes.filter(is_sensitive=False)


@router.post("/people/{crn}/notes", response={201: NoteOut})
@api_requires(Capability.MANAGE_CASES)
def add_note(request: HttpRequest, crn: str, payload: NoteIn) -> tuple[int, ContactNote]:
    person = get_person_for(api_user(request), crn)
    return 201, services.add_contact_note(
        acting_user=api_user(request), person=person, text=payload.text, is_sensitive=payload.is_sensitive
    )


@router.get(
    "/people/{crn}/allocations", response=list[AllocationOut], summary="Allocation and transfer history"
)
@api_requires(Capability.VIEW_CASES)
def list_allocations(request: HttpRequest, crn: str) -> list[Allocation]:
    person = get_person_for(api_user(request), crn)
    audit.record_read("allocation history", actor=api_user(request), person=person)
    return selectors.allocations_of(person)


@router.post(
    "/people/{crn}/allocations",
    response={201: AllocationOut},
    summary="Allocate or transfer to a team and practitioner",
)
@api_requires(Capability.ALLOCATE_CASES)
def allocate(request: HttpRequest, crn: str, payload: AllocationIn) -> tuple[int, Allocation]:
    user = api_user(request)
    person = get_person_for(user, crn)
    # A transfer may name a team anywhere (the page takes its code), as cases move
    # between PDUs and regions; the practitioner must be one the user may name.
    team = organisation_selectors.team_in_use_with_id(payload.team_id)
    if team is None:
        raise HttpError(422, "team_id: no team in use has that id")
    practitioner = (
        get_object_or_404(staff_in_scope(user), pk=payload.practitioner_id)
        if payload.practitioner_id
        else None
    )
    event = sentence_selectors.event_of(person, payload.event_id) if payload.event_id else None
    if payload.event_id and event is None:
        raise HttpError(422, "event_id: not one of this person's events")
    return 201, services.allocate(
        acting_user=api_user(request),
        person=person,
        team=team,
        practitioner=practitioner,
        reason=payload.reason,
        event=event,
        expected_version=payload.version,
    )


@router.get(
    "/allocations/unallocated",
    response=list[PersonOut],
    summary="Cases awaiting a practitioner, within your scope",
)
@api_requires(Capability.ALLOCATE_CASES)
@paginate(PageNumberPagination, page_size=50)
def unallocated(request: HttpRequest) -> QuerySet[Person]:
    found = (
        people_visible_to(api_user(request)).filter(practitioner__isnull=True).order_by("created_at", "crn")
    )
    audit.record_read("unallocated cases", actor=api_user(request), **audit.listed(found))
    return found
