"""Unpaid Work bookings and attendance: booking a person on a session, recording
attendance singly or as a register, and handing enforceable outcomes to supervision
so the statutory warning/breach rule applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit.constants import AuditAction
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.locking import lock_at_version
from people.models import Person
from sentences.models import Requirement
from supervision.constants import AppointmentOutcome, AppointmentType
from supervision.models import Appointment, Breach, Warning
from unpaid_work import rules
from unpaid_work.constants import ENFORCEABLE_OUTCOMES, SessionOutcome
from unpaid_work.lifecycle import ORDER
from unpaid_work.models import Booking, UnpaidWorkOrder, WorkSession
from unpaid_work.selectors import booking_problems, journey_for, minutes_credited, remaining
from unpaid_work.services._shared import _audit

# The crediting rules' names for the times -> the attendance fields people fill in.
ATTENDANCE_FIELDS = {"start": "arrived_at", "end": "left_at", "penalty": "penalty_minutes"}

# Session outcome -> supervision outcome, so enforcement follows Sch 10 para 6.
ENFORCEMENT_OUTCOME = {
    SessionOutcome.ATTENDED_FAILED_TO_COMPLY: AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY,
    SessionOutcome.SENT_HOME_BEHAVIOUR: AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY,
    SessionOutcome.UNACCEPTABLE_ABSENCE: AppointmentOutcome.UNACCEPTABLE_ABSENCE,
}


def _ete_credited_elsewhere(booking: Booking) -> int:
    """ETE time already credited to the order on its other bookings."""
    others = booking.order.bookings.filter(is_ete=True, cancelled_at__isnull=True).exclude(pk=booking.pk)
    return others.aggregate(total=Sum("credited_minutes"))["total"] or 0


@transaction.atomic
def book(
    *,
    acting_user: Any,
    session_id: int,
    order_id: int,
    is_ete: bool = False,
    travel_minutes: int | None = None,
    women_joining: int = 0,
    ahead: bool = False,
) -> Booking:
    """Books a person on a session if every placement rule allows it. Confirming a plan
    passes ``ahead`` (no session that has started) and ``women_joining`` (other women
    booked with her in the same plan); the register books by hand on the day too."""
    session = WorkSession.objects.select_for_update().select_related("project").get(pk=session_id)
    order = UnpaidWorkOrder.objects.select_related(
        "person__practitioner", "requirement__sentence__event"
    ).get(pk=order_id)
    ORDER.guard(order, "book")
    problems = booking_problems(session, order, is_ete=is_ete, women_joining=women_joining, ahead=ahead)
    if problems:
        raise ValidationError({"session": f"This booking is not allowed: {'; '.join(problems)}"})
    if travel_minutes is None:
        journey = journey_for(order, session)
        travel_minutes = journey.minutes if journey else None
    booking = Booking.objects.create(
        session=session,
        order=order,
        is_ete=is_ete,
        travel_minutes=travel_minutes,
        appointment=_appointment_for(acting_user, session, order),
    )
    _audit(AuditAction.CREATE, acting_user, booking, order.person.crn, {"session": [None, str(session)]})
    return booking


def _appointment_for(acting_user: Any, session: WorkSession, order: UnpaidWorkOrder) -> Any:
    """The booking as an appointment on the person's supervision record, so it shows on
    their timeline and its outcome can be enforced. Needs someone responsible: the
    person's practitioner, or the Unpaid Work officer making the booking."""

    practitioner = order.person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        return None
    return Appointment.objects.create(
        person=order.person,
        event=order.requirement.sentence.event,
        type=AppointmentType.UNPAID_WORK,
        starts_at=timezone.make_aware(datetime.combine(session.date, session.starts_at)),
        ends_at=timezone.make_aware(datetime.combine(session.date, session.ends_at)),
        practitioner=practitioner,
    )


@transaction.atomic
def record_attendance(
    *,
    acting_user: Any,
    booking_id: int,
    outcome: SessionOutcome,
    arrived_at: Any = None,
    left_at: Any = None,
    penalty_minutes: int = 0,
    work_quality: str = "",
    behaviour: str = "",
    notes: str = "",
    expected_version: int,
) -> Booking:
    booking = lock_at_version(
        Booking.objects.select_related("session__project", "order__person"), booking_id, expected_version
    )
    if booking.cancelled_at is not None:
        raise TransitionNotAllowed("This booking was cancelled.")
    order = booking.order
    already = booking.credited_minutes
    try:
        credit = rules.credited_minutes(
            outcome=outcome,
            start=arrived_at,
            end=left_at,
            penalty=penalty_minutes,
            remaining=remaining(order) + already,
            session_day=booking.session.date,
            today=timezone.localdate(),
        )
        if booking.is_ete:
            rules.check_ete_credit(
                credit=credit,
                allowance=rules.ete_allowance_minutes(order.required_minutes, booking.session.date),
                ete_credited_elsewhere=_ete_credited_elsewhere(booking),
            )
    except rules.SessionRuleError as error:
        raise ValidationError({ATTENDANCE_FIELDS.get(error.field, error.field): error.message}) from error
    if outcome in ENFORCEABLE_OUTCOMES and not notes.strip():
        raise ValidationError({"notes": "Describe what happened: the notes support enforcement"})
    before = booking.outcome
    booking.outcome, booking.arrived_at, booking.left_at = outcome, arrived_at, left_at
    booking.penalty_minutes, booking.credited_minutes = penalty_minutes, credit
    booking.work_quality, booking.behaviour, booking.notes = work_quality, behaviour, notes.strip()
    booking.bump_version()
    booking.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        booking,
        order.person.crn,
        {"outcome": [before or None, outcome], "credited_minutes": [already, credit]},
    )
    _update_requirement_progress(order)
    if booking.appointment_id is not None:
        _record_on_appointment(acting_user, booking, booking.appointment_id)
    elif outcome in ENFORCEABLE_OUTCOMES and before not in ENFORCEABLE_OUTCOMES:
        _raise_for_enforcement(acting_user, booking)
    return booking


@dataclass(frozen=True)
class AttendanceEntry:
    """One row of a session register as the supervisor filled it in."""

    booking_id: int
    outcome: SessionOutcome
    expected_version: int
    arrived_at: time | None = None
    left_at: time | None = None
    penalty_minutes: int = 0
    work_quality: str = ""
    behaviour: str = ""
    notes: str = ""


class RegisterRejected(Exception):
    """Some rows of a register could not be saved, so none were: each row's problems,
    by booking id, as ``{field or None: [messages]}``."""

    def __init__(self, problems: dict[int, dict[str | None, list[str]]]) -> None:
        super().__init__("The register was not saved")
        self.problems = problems


@transaction.atomic
def record_register(*, acting_user: Any, session_id: int, entries: list[AttendanceEntry]) -> list[Booking]:
    """Saves a whole session register in one transaction, or nothing: every row is
    checked and saved through ``record_attendance``, each row's problems are collected,
    and if any row has one the lot is rolled back and every problem reported at once.
    Each booking (and its appointment) is written once, so rows of one submission never
    make each other stale."""
    ids = [entry.booking_id for entry in entries]
    if len(ids) != len(set(ids)):
        raise ValidationError({"bookings": "Each person can appear only once in a register"})
    on_session = set(Booking.objects.filter(session_id=session_id, pk__in=ids).values_list("pk", flat=True))
    problems: dict[int, dict[str | None, list[str]]] = {}
    saved: list[Booking] = []
    for entry in entries:
        if entry.booking_id not in on_session:
            problems[entry.booking_id] = {None: ["This booking is not on this session"]}
            continue
        try:
            with transaction.atomic():
                saved.append(
                    record_attendance(
                        acting_user=acting_user,
                        booking_id=entry.booking_id,
                        outcome=entry.outcome,
                        arrived_at=entry.arrived_at,
                        left_at=entry.left_at,
                        penalty_minutes=entry.penalty_minutes,
                        work_quality=entry.work_quality,
                        behaviour=entry.behaviour,
                        notes=entry.notes,
                        expected_version=entry.expected_version,
                    )
                )
        except ValidationError as error:
            problems[entry.booking_id] = (
                {k: list(v) for k, v in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {None: list(error.messages)}
            )
        except (StaleRecord, TransitionNotAllowed) as error:
            problems[entry.booking_id] = {None: [str(error)]}
    if problems:
        raise RegisterRejected(problems)  # leaving the atomic block undoes every row saved
    return saved


# Session outcome -> the outcome on the supervision appointment.
APPOINTMENT_OUTCOME = {
    SessionOutcome.ATTENDED_COMPLIED: AppointmentOutcome.ATTENDED_COMPLIED,
    SessionOutcome.SENT_HOME_SERVICE: AppointmentOutcome.ATTENDED_COMPLIED,
    SessionOutcome.ACCEPTABLE_ABSENCE: AppointmentOutcome.ACCEPTABLE_ABSENCE,
    **ENFORCEMENT_OUTCOME,
}


def _record_on_appointment(acting_user: Any, booking: Booking, appointment_id: int) -> None:
    """Copies the session outcome to the booking's appointment; an enforceable outcome
    then waits there for the practitioner's warning or breach decision."""

    appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
    if (
        Warning.objects.filter(appointment=appointment).exists()
        or Breach.objects.filter(appointment=appointment).exists()
    ):
        raise TransitionNotAllowed(
            "Enforcement action has been taken on this session: the outcome cannot change now."
        )
    before = appointment.outcome
    appointment.outcome = APPOINTMENT_OUTCOME[SessionOutcome(booking.outcome)]
    if appointment.outcome != AppointmentOutcome.ACCEPTABLE_ABSENCE:
        appointment.absence_reason = ""  # a reason belongs only to an acceptable absence
    appointment.outcome_notes = (
        f"Unpaid work at {booking.session.project.name}: {booking.get_outcome_display()}. {booking.notes}"
    ).strip()
    appointment.outcome_recorded_at = timezone.now()
    appointment.bump_version()
    appointment.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        appointment,
        booking.order.person.crn,
        {"outcome": [before or None, appointment.outcome]},
    )


def _update_requirement_progress(order: UnpaidWorkOrder) -> None:

    Requirement.objects.filter(pk=order.requirement_id).update(progress=minutes_credited(order) // 60)


def _raise_for_enforcement(acting_user: Any, booking: Booking) -> None:
    """Records the failure on the person's supervision record, where the practitioner
    must warn or start breach action (Sentencing Act 2020 Sch 10 para 6)."""

    session, order = booking.session, booking.order
    person: Person = order.person
    practitioner = person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        raise ValidationError(
            {"outcome": "The person has no practitioner to act on this failure: allocate the case first"}
        )
    starts = timezone.make_aware(datetime.combine(session.date, session.starts_at))
    appointment = Appointment.objects.create(
        person=person,
        event=order.requirement.sentence.event,
        type=AppointmentType.UNPAID_WORK,
        starts_at=starts,
        ends_at=timezone.make_aware(datetime.combine(session.date, session.ends_at)),
        practitioner=practitioner,
        outcome=ENFORCEMENT_OUTCOME[SessionOutcome(booking.outcome)],
        outcome_notes=f"Unpaid work at {session.project.name}: {booking.get_outcome_display()}. {booking.notes}",
        outcome_recorded_at=timezone.now(),
    )
    _audit(
        AuditAction.CREATE,
        acting_user,
        appointment,
        person.crn,
        {"enforceable_outcome": [None, booking.outcome]},
    )
