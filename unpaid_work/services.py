"""Unpaid Work writes: orders, nominations, projects, sessions, bookings, attendance
and adjustments. Atomic, guarded and audited. Enforceable attendance outcomes are
recorded as supervision appointments so the statutory warning/breach rule applies."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core.business_days import bank_holidays
from core.exceptions import StaleRecord, TransitionNotAllowed
from people.models import Person
from risk.models import Registration
from sentences.constants import RequirementType
from sentences.models import Event
from unpaid_work import rules
from unpaid_work.constants import (
    ENFORCEABLE_OUTCOMES,
    AdjustmentReason,
    ManagedBy,
    NominationStatus,
    SessionOutcome,
    StandDownReason,
)
from unpaid_work.models import Adjustment, Booking, Nomination, Project, UnpaidWorkOrder, WorkSession
from unpaid_work.travel import TravelEstimate, travel_model

CHILD_SAFEGUARDING_REGISTRATIONS = ("CHILD_PROTECTION", "RISK_TO_CHILDREN")
# Session outcome -> supervision outcome, so enforcement follows Sch 10 para 6.
ENFORCEMENT_OUTCOME = {
    SessionOutcome.ATTENDED_FAILED_TO_COMPLY: "ATTENDED_FAILED_TO_COMPLY",
    SessionOutcome.SENT_HOME_BEHAVIOUR: "ATTENDED_FAILED_TO_COMPLY",
    SessionOutcome.UNACCEPTABLE_ABSENCE: "UNACCEPTABLE_ABSENCE",
}


def _audit(action: AuditAction, actor: Any, obj: Any, label: str, changes: dict[str, Any]) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=label[:200], changes=changes)


def open_orders_for_event(*, acting_user: Any, event: Event) -> list[UnpaidWorkOrder]:
    """Called when a sentence is recorded: one order per unpaid work requirement."""
    requirements = list(event.sentence.requirements.all())
    only_unpaid_work = all(r.type == RequirementType.UNPAID_WORK for r in requirements)
    orders = []
    for requirement in requirements:
        if requirement.type != RequirementType.UNPAID_WORK:
            continue
        order = UnpaidWorkOrder.objects.create(
            requirement=requirement,
            person=event.person,
            required_minutes=(requirement.amount or 0) * 60,
            sentenced_on=event.sentenced_on,
            managed_by=ManagedBy.UNPAID_WORK_TEAM if only_unpaid_work else ManagedBy.PRACTITIONER,
        )
        _audit(
            AuditAction.CREATE,
            acting_user,
            order,
            event.person.crn,
            {"required_minutes": [None, order.required_minutes]},
        )
        orders.append(order)
    return orders


@transaction.atomic
def update_assessment(
    *, acting_user: Any, order_id: int, expected_version: int | None, **fields: Any
) -> UnpaidWorkOrder:
    """The Unpaid Work assessment: where they live, how they travel, when they can work."""
    order = UnpaidWorkOrder.objects.select_for_update().get(pk=order_id)
    if expected_version is not None and order.version != expected_version:
        raise StaleRecord()
    before = {k: getattr(order, k) for k in fields}
    for key, value in fields.items():
        setattr(order, key, value)
    if order.no_all_male_group and order.person.sex != "FEMALE":
        raise ValidationError({"no_all_male_group": "This choice is offered to women"})
    order.full_clean()
    order.version += 1
    order.save()
    _audit(AuditAction.UPDATE, acting_user, order, order.person.crn, audit.diff(before, fields))
    return order


def minutes_credited(order: UnpaidWorkOrder) -> int:
    return order.bookings.aggregate(total=Sum("credited_minutes"))["total"] or 0


def minutes_adjusted(order: UnpaidWorkOrder) -> int:
    return order.adjustments.aggregate(total=Sum("minutes"))["total"] or 0


def remaining(order: UnpaidWorkOrder) -> int:
    return rules.remaining_minutes(
        required=order.required_minutes, adjustments=minutes_adjusted(order), credited=minutes_credited(order)
    )


@transaction.atomic
def add_adjustment(
    *, acting_user: Any, order_id: int, minutes: int, reason: AdjustmentReason, note: str = ""
) -> Adjustment:
    order = UnpaidWorkOrder.objects.select_for_update().get(pk=order_id)
    today = timezone.localdate()
    try:
        rules.check_adjustment(minutes, today)
    except rules.SessionRuleError as error:
        raise ValidationError({error.field: error.message}) from error
    if reason == AdjustmentReason.OTHER and not note.strip():
        raise ValidationError({"note": "Explain the adjustment"})
    adjustment = Adjustment.objects.create(
        order=order, minutes=minutes, reason=reason, note=note.strip(), made_on=today, made_by=acting_user
    )
    _audit(
        AuditAction.CREATE,
        acting_user,
        adjustment,
        order.person.crn,
        {"minutes": [None, minutes], "reason": [None, reason]},
    )
    return adjustment


# --- Nominations and projects ------------------------------------------------------

NOMINATIONS_PER_ADDRESS_PER_DAY = 5  # spam resistance: a person rarely nominates more


@transaction.atomic
def submit_nomination(*, client_ip: str | None, **fields: Any) -> Nomination:
    """A public nomination (no sign-in). Rate-limited per address; validated like any form."""
    if (
        client_ip
        and Nomination.objects.filter(
            client_ip=client_ip, submitted_at__gte=timezone.now() - timedelta(days=1)
        ).count()
        >= NOMINATIONS_PER_ADDRESS_PER_DAY
    ):
        raise TransitionNotAllowed("We have received several nominations from you today. Try again tomorrow.")
    fields["postcode"] = fields["postcode"].strip().upper()
    nomination = Nomination(submitted_at=timezone.now(), client_ip=client_ip, **fields)
    nomination.full_clean(exclude=["decided_by", "pdu"])
    nomination.save()
    _audit(
        AuditAction.CREATE,
        None,
        nomination,
        f"Nomination {nomination.pk}",
        {"postcode": [None, nomination.postcode]},
    )
    return nomination


@transaction.atomic
def decline_nomination(*, acting_user: Any, nomination_id: int, reason: str) -> Nomination:
    nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
    if nomination.status != NominationStatus.SUBMITTED:
        raise TransitionNotAllowed("This nomination has already been decided.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason, so the nominator can be told"})
    nomination.status, nomination.decision_reason = NominationStatus.DECLINED, reason.strip()
    nomination.decided_at, nomination.decided_by = timezone.now(), acting_user
    nomination.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        nomination,
        f"Nomination {nomination.pk}",
        {"status": [NominationStatus.SUBMITTED, NominationStatus.DECLINED]},
    )
    return nomination


@transaction.atomic
def create_project(*, acting_user: Any, nomination_id: int | None = None, **fields: Any) -> Project:
    """Creates a project; from a nomination, accepts it in the same transaction."""
    project = Project(**fields)
    if project.ends_at <= project.starts_at:
        raise ValidationError({"ends_at": "The finish time must be after the start time"})
    if not project.weekdays:
        raise ValidationError({"weekdays": "Choose the days the project runs"})
    project.full_clean(exclude=["nomination"])
    if nomination_id is not None:
        nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
        if nomination.status != NominationStatus.SUBMITTED:
            raise TransitionNotAllowed("This nomination has already been decided.")
        nomination.status, nomination.decided_at, nomination.decided_by = (
            NominationStatus.ACCEPTED,
            timezone.now(),
            acting_user,
        )
        nomination.decision_reason = "Accepted as a project"
        nomination.save()
        project.nomination = nomination
    project.save()
    _audit(
        AuditAction.CREATE,
        acting_user,
        project,
        project.name,
        {"type": [None, project.type], "capacity": [None, project.capacity]},
    )
    return project


@transaction.atomic
def generate_sessions(*, acting_user: Any, project_id: int, start: date, end: date) -> list[WorkSession]:
    """Creates a session for each day in [start, end] that the project runs, skipping
    bank holidays and days that already have one."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if end < start:
        raise ValidationError({"end": "The end date must be on or after the start date"})
    if (end - start).days > 366:
        raise ValidationError({"end": "Generate at most a year of sessions at a time"})
    existing = set(project.sessions.filter(date__range=(start, end)).values_list("date", flat=True))
    created = []
    day = max(start, project.start_date)
    last = min(end, project.end_date) if project.end_date else end
    while day <= last:
        if day.weekday() in project.weekdays and day not in existing and day not in bank_holidays(day.year):
            created.append(
                WorkSession(project=project, date=day, starts_at=project.starts_at, ends_at=project.ends_at)
            )
        day += timedelta(days=1)
    WorkSession.objects.bulk_create(created)
    _audit(
        AuditAction.CREATE,
        acting_user,
        project,
        project.name,
        {"sessions": [None, len(created)], "from": [None, start], "to": [None, end]},
    )
    return created


@transaction.atomic
def stand_down(*, acting_user: Any, session_id: int, reason: StandDownReason) -> WorkSession:
    session = WorkSession.objects.select_for_update().get(pk=session_id)
    if session.stood_down_at is not None:
        raise TransitionNotAllowed("This session is already stood down.")
    session.stood_down_reason, session.stood_down_at = reason, timezone.now()
    session.save()
    _audit(AuditAction.UPDATE, acting_user, session, str(session), {"stood_down": [None, reason]})
    return session


# --- Bookings and attendance ---------------------------------------------------------


def booking_problems(session: WorkSession, order: UnpaidWorkOrder, *, is_ete: bool = False) -> list[str]:
    """Every hard rule a booking must meet; empty means it may be made. Used by the
    booking service and by the planner's explanations alike."""
    live = session.bookings.filter(cancelled_at__isnull=True).exclude(order=order)
    problems = _session_problems(session, live.count())
    problems += _suitability_problems(session, order, live)
    journey = journey_for(order, session)
    if journey is not None and not journey.within_limit:
        problems.append(
            f"the journey is about {journey.minutes} minutes each way, over the {journey.limit}-minute limit"
        )
    if remaining(order) <= 0:
        problems.append("all their hours are done")
    if is_ete and _ete_used(order, session) >= rules.ete_allowance_minutes(
        order.required_minutes, session.date
    ):
        problems.append("their ETE allowance is used up")
    return problems


def journey_for(order: UnpaidWorkOrder, session: WorkSession) -> TravelEstimate | None:
    """Estimated one-way journey from home to the project, if both places are known."""
    if not order.home_postcode:
        return None
    return travel_model().estimate(
        order.home_postcode, session.project.postcode, order.travel_mode, session.date
    )


def _session_problems(session: WorkSession, booked: int) -> list[str]:
    project = session.project
    supervisors = session.supervisors.count()
    limit = (
        min(project.capacity, supervisors * project.people_per_supervisor)
        if supervisors
        else project.capacity
    )
    problems = []
    if session.stood_down_at is not None:
        problems.append("the session is stood down")
    if booked >= limit:
        problems.append("the session is full")
    return problems


def _suitability_problems(session: WorkSession, order: UnpaidWorkOrder, live: Any) -> list[str]:
    project, person = session.project, order.person
    checks = [
        (
            bool(order.available_weekdays) and session.date.weekday() not in order.available_weekdays,
            "they are not available that day",
        ),
        (project.women_only and person.sex != "FEMALE", "the project is for women only"),
        (
            project.involves_children
            and Registration.objects.filter(
                person=person, type__in=CHILD_SAFEGUARDING_REGISTRATIONS, ends_on__isnull=True
            ).exists(),
            "the project involves children and they have a child safeguarding registration",
        ),
        (order.needs_accessible_placement and not project.accessible, "the placement is not accessible"),
        (
            order.no_all_male_group
            and not project.women_only
            and live.exists()
            and not live.filter(order__person__sex="FEMALE").exists(),
            "she has chosen not to work in an all-male group",
        ),
    ]
    return [message for failed, message in checks if failed]


def _ete_used(order: UnpaidWorkOrder, session: WorkSession) -> int:
    booked = order.bookings.filter(is_ete=True, cancelled_at__isnull=True).exclude(session=session)
    return booked.aggregate(total=Sum("credited_minutes"))["total"] or 0


@transaction.atomic
def book(
    *,
    acting_user: Any,
    session_id: int,
    order_id: int,
    is_ete: bool = False,
    travel_minutes: int | None = None,
) -> Booking:
    session = WorkSession.objects.select_for_update().select_related("project").get(pk=session_id)
    order = UnpaidWorkOrder.objects.select_related("person").get(pk=order_id)
    problems = booking_problems(session, order, is_ete=is_ete)
    if problems:
        raise ValidationError({"session": f"This booking is not allowed: {'; '.join(problems)}"})
    if travel_minutes is None:
        journey = journey_for(order, session)
        travel_minutes = journey.minutes if journey else None
    booking = Booking.objects.create(
        session=session, order=order, is_ete=is_ete, travel_minutes=travel_minutes
    )
    _audit(AuditAction.CREATE, acting_user, booking, order.person.crn, {"session": [None, str(session)]})
    return booking


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
    expected_version: int | None = None,
) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__project", "order__person")
        .get(pk=booking_id)
    )
    if expected_version is not None and booking.version != expected_version:
        raise StaleRecord()
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
    except rules.SessionRuleError as error:
        raise ValidationError({error.field: error.message}) from error
    if outcome in ENFORCEABLE_OUTCOMES and not notes.strip():
        raise ValidationError({"notes": "Describe what happened: the notes support enforcement"})
    before = booking.outcome
    booking.outcome, booking.arrived_at, booking.left_at = outcome, arrived_at, left_at
    booking.penalty_minutes, booking.credited_minutes = penalty_minutes, credit
    booking.work_quality, booking.behaviour, booking.notes = work_quality, behaviour, notes.strip()
    booking.version += 1
    booking.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        booking,
        order.person.crn,
        {"outcome": [before or None, outcome], "credited_minutes": [already, credit]},
    )
    _update_requirement_progress(order)
    if outcome in ENFORCEABLE_OUTCOMES and before not in ENFORCEABLE_OUTCOMES:
        _raise_for_enforcement(acting_user, booking)
    return booking


def _update_requirement_progress(order: UnpaidWorkOrder) -> None:
    from sentences.models import Requirement

    Requirement.objects.filter(pk=order.requirement_id).update(progress=minutes_credited(order) // 60)


def _raise_for_enforcement(acting_user: Any, booking: Booking) -> None:
    """Records the failure on the person's supervision record, where the practitioner
    must warn or start breach action (Sentencing Act 2020 Sch 10 para 6)."""
    from supervision.models import Appointment

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
        type="UNPAID_WORK",
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
