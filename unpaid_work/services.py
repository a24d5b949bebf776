"""Unpaid Work writes: orders, nominations, projects, sessions, bookings, attendance
and adjustments. Atomic, guarded and audited. Enforceable attendance outcomes are
recorded as supervision appointments so the statutory warning/breach rule applies."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core.business_days import bank_holidays
from core.dates import refuse_future
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.locking import lock_at_version
from organisation.models import Pdu
from people.models import Person
from risk.models import Registration
from sentences.constants import RequirementType
from sentences.models import Event
from unpaid_work import planner, planning, rules
from unpaid_work.constants import (
    CHILD_SAFEGUARDING_REGISTRATIONS,
    ENFORCEABLE_OUTCOMES,
    SUPERVISOR_GRADES,
    AdjustmentReason,
    ManagedBy,
    NominationStatus,
    PlanStatus,
    SessionOutcome,
    StandDownReason,
)
from unpaid_work.models import (
    Adjustment,
    Booking,
    Nomination,
    PlannedBooking,
    PlanRun,
    Project,
    UnpaidWorkOrder,
    WorkSession,
)
from unpaid_work.selectors import net_adjustment
from unpaid_work.travel import TravelEstimate, postcode_location, travel_model

# The crediting rules' names for the times -> the attendance fields people fill in.
ATTENDANCE_FIELDS = {"start": "arrived_at", "end": "left_at", "penalty": "penalty_minutes"}

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
    *, acting_user: Any, order_id: int, expected_version: int, **fields: Any
) -> UnpaidWorkOrder:
    """The Unpaid Work assessment: where they live, how they travel, when they can work."""
    refuse_future("assessed_on", fields.get("assessed_on"), "The assessment date")
    order = lock_at_version(UnpaidWorkOrder.objects.select_related("person"), order_id, expected_version)
    before = {k: getattr(order, k) for k in fields}
    for key, value in fields.items():
        setattr(order, key, value)
    if order.no_all_male_group and order.person.sex != "FEMALE":
        raise ValidationError({"no_all_male_group": "This choice is offered to women"})
    order.full_clean()
    order.bump_version()
    order.save()
    _audit(AuditAction.UPDATE, acting_user, order, order.person.crn, audit.diff(before, fields))
    return order


def minutes_credited(order: UnpaidWorkOrder) -> int:
    return order.bookings.aggregate(total=Sum("credited_minutes"))["total"] or 0


def minutes_adjusted(order: UnpaidWorkOrder) -> int:
    """Net adjustments: time added, less travel credited (ADR 0014)."""
    return order.adjustments.aggregate(total=net_adjustment())["total"] or 0


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
    travel_cap = rules.credited_travel_minutes(rules.max_travel_minutes(today), today)
    if reason == AdjustmentReason.TRAVEL_TIME and minutes > travel_cap:
        raise ValidationError(
            {
                "minutes": f"Travel is credited for at most {travel_cap // 2} minutes each way ({travel_cap} minutes a session)"
            }
        )
    if reason == AdjustmentReason.TRAVEL_TIME:
        try:
            rules.check_travel_credit(minutes=minutes, remaining=remaining(order))
        except rules.SessionRuleError as error:
            raise ValidationError({error.field: error.message}) from error
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
    if postcode_location(project.postcode) is None:
        # Every journey to an unlocatable project is unknown, and unknown journeys are
        # refused: nobody could ever be booked. Say so now, not at the first booking.
        raise ValidationError(
            {
                "postcode": "This postcode is not in the postcode directory: check it, so journeys can be worked out"
            }
        )
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
def stand_down(
    *, acting_user: Any, session_id: int, reason: StandDownReason, expected_version: int
) -> WorkSession:
    session = lock_at_version(WorkSession, session_id, expected_version)
    if session.stood_down_at is not None:
        raise TransitionNotAllowed("This session is already stood down.")
    session.stood_down_reason, session.stood_down_at = reason, timezone.now()
    session.bump_version()
    session.save()
    _audit(AuditAction.UPDATE, acting_user, session, str(session), {"stood_down": [None, reason]})
    return session


# --- Bookings and attendance ---------------------------------------------------------


def booking_problems(
    session: WorkSession,
    order: UnpaidWorkOrder,
    *,
    is_ete: bool = False,
    women_joining: int = 0,
    ahead: bool = False,
) -> list[str]:
    """Every hard rule a booking must meet; empty means it may be made. The rules
    themselves are pure (``rules.placement_problems``), shared with the planner.
    ``women_joining`` counts other women booked on the session in the same confirmed
    plan; ``ahead`` (confirming a plan) refuses a session that has already started."""
    facts = session_facts(session, exclude_order=order)
    if women_joining:
        facts = replace(facts, women_booked=facts.women_booked + women_joining)
    return rules.placement_problems(
        facts, candidate_facts(order, session), is_ete=is_ete, now=local_now() if ahead else None
    )


def local_now() -> datetime:
    """Local wall-clock time without a zone, as the pure rules compare it with session starts."""
    return timezone.localtime().replace(tzinfo=None)


def session_facts(
    session: WorkSession, *, exclude_order: UnpaidWorkOrder | None = None
) -> rules.SessionFacts:
    live = session.bookings.filter(cancelled_at__isnull=True)
    if exclude_order is not None:
        live = live.exclude(order=exclude_order)
    project = session.project
    booked = live.count()
    limit = rules.session_limit(project.capacity, session.supervisors.count(), project.people_per_supervisor)
    return rules.SessionFacts(
        day=session.date,
        starts_at=datetime.combine(session.date, session.starts_at),
        stood_down=session.stood_down_at is not None,
        places_left=limit - booked,
        women_only=project.women_only,
        involves_children=project.involves_children,
        accessible=project.accessible,
        others_booked=booked,
        women_booked=live.filter(order__person__sex="FEMALE").count(),
    )


def candidate_facts(order: UnpaidWorkOrder, session: WorkSession) -> rules.CandidateFacts:
    journey = journey_for(order, session)
    return rules.CandidateFacts(
        available_weekdays=tuple(order.available_weekdays or ()),
        female=order.person.sex == "FEMALE",
        child_safeguarding=has_child_safeguarding_registration(order.person_id),
        needs_accessible=order.needs_accessible_placement,
        no_all_male_group=order.no_all_male_group,
        remaining=remaining(order),
        ete_used=_ete_used(order, session),
        ete_allowance=rules.ete_allowance_minutes(order.required_minutes, session.date),
        journey_minutes=journey.minutes if journey else None,
        journey_limit=journey.limit if journey else rules.max_travel_minutes(session.date),
        booked_that_day=order.bookings.filter(cancelled_at__isnull=True, session__date=session.date)
        .exclude(session=session)
        .exists(),
    )


def has_child_safeguarding_registration(person_id: int) -> bool:
    return Registration.objects.filter(
        person_id=person_id, type__in=CHILD_SAFEGUARDING_REGISTRATIONS, ends_on__isnull=True
    ).exists()


def journey_for(order: UnpaidWorkOrder, session: WorkSession) -> TravelEstimate | None:
    """Estimated one-way journey from home to the project, if both places are known."""
    if not order.home_postcode:
        return None
    return travel_model().estimate(
        order.home_postcode, session.project.postcode, order.travel_mode, session.date
    )


def _ete_used(order: UnpaidWorkOrder, session: WorkSession) -> int:
    """ETE allowance used by other bookings: time credited, and the length of ETE sessions
    booked from today without an outcome yet, counted as the planner counts them."""
    booked = order.bookings.filter(is_ete=True, cancelled_at__isnull=True).exclude(session=session)
    credited = booked.aggregate(total=Sum("credited_minutes"))["total"] or 0
    ahead = booked.filter(outcome="", session__date__gte=timezone.localdate()).select_related("session")
    return credited + sum(rules.minutes_between(b.session.starts_at, b.session.ends_at) for b in ahead)


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
    from supervision.models import Appointment

    practitioner = order.person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        return None
    return Appointment.objects.create(
        person=order.person,
        event=order.requirement.sentence.event,
        type="UNPAID_WORK",
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
    SessionOutcome.ATTENDED_COMPLIED: "ATTENDED_COMPLIED",
    SessionOutcome.SENT_HOME_SERVICE: "ATTENDED_COMPLIED",
    SessionOutcome.ACCEPTABLE_ABSENCE: "ACCEPTABLE_ABSENCE",
    **ENFORCEMENT_OUTCOME,
}


def _record_on_appointment(acting_user: Any, booking: Booking, appointment_id: int) -> None:
    """Copies the session outcome to the booking's appointment; an enforceable outcome
    then waits there for the practitioner's warning or breach decision."""
    from supervision.models import Appointment, Breach, Warning

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
    if appointment.outcome != "ACCEPTABLE_ABSENCE":
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


# --- The planner ---------------------------------------------------------------------


def create_plan(*, acting_user: Any, pdu_id: int, start: date, end: date) -> PlanRun:
    """Runs the planner for a PDU and a horizon and keeps its proposal for review.
    The solver runs outside any transaction; the proposal is written in one."""
    today = timezone.localdate()
    if start < today:
        raise ValidationError({"start": "The plan must start today or later"})
    if end < start:
        raise ValidationError({"end": "The end date must be on or after the start date"})
    if (end - start).days + 1 > settings.UPW_PLANNER_MAX_DAYS:
        raise ValidationError({"end": f"Plan at most {settings.UPW_PLANNER_MAX_DAYS} days at a time"})
    pdu = Pdu.objects.get(pk=pdu_id)
    problem = planning.build_problem(pdu, start, end)
    result = planner.plan(
        problem.people,
        problem.sessions,
        problem.options,
        refusals=problem.refusals,
        seconds=settings.UPW_PLANNER_SECONDS,
    )
    minutes = {s.id: s.minutes for s in problem.sessions}
    baseline = planner.greedy(problem.people, problem.sessions, problem.options)
    ete_sessions = {s.id for s in problem.sessions if s.is_ete}
    unbooked = dict(result.unbooked)
    for order_id, reason in problem.refusals.items():
        unbooked.setdefault(order_id, reason)
    with transaction.atomic():
        run = PlanRun.objects.create(
            pdu=pdu,
            starts_on=start,
            ends_on=end,
            created_at=timezone.now(),
            created_by=acting_user,
            solver_status=result.status,
            objective=result.objective,
            bound=result.bound,
            gap=result.gap,
            seconds=result.seconds,
            people_considered=len(problem.people) + len(problem.refusals),
            sessions_considered=len(problem.sessions),
            greedy_minutes=sum(minutes[o.session] for o in baseline),
            unbooked=[[order_id, reason] for order_id, reason in sorted(unbooked.items())],
        )
        PlannedBooking.objects.bulk_create(
            PlannedBooking(
                run=run,
                session_id=o.session,
                order_id=o.person,
                travel_minutes=o.travel_minutes,
                near_travel_limit=(o.person, o.session) in problem.near_limit,
                is_ete=o.session in ete_sessions,
                reason=result.reasons.get((o.person, o.session), "")[:300],
            )
            for o in result.bookings
        )
        _audit(
            AuditAction.CREATE,
            acting_user,
            run,
            str(run),
            {"proposed": [None, len(result.bookings)], "gap": [None, round(result.gap, 4)]},
        )
    return run


def _proposed_run(run_id: int, expected_version: int) -> PlanRun:
    run = lock_at_version(PlanRun, run_id, expected_version)
    if run.status != PlanStatus.PROPOSED:
        raise TransitionNotAllowed(f"This plan is already {run.get_status_display().lower()}.")
    return run


@transaction.atomic
def set_proposals_included(
    *, acting_user: Any, run_id: int, included: set[int], expected_version: int
) -> PlanRun:
    """The coordinator's edit: which proposed bookings to keep (the rest are left out)."""
    run = _proposed_run(run_id, expected_version)
    proposals = list(run.proposals.all())
    unknown = included - {p.pk for p in proposals}
    if unknown:
        raise ValidationError({"included": "Some of the chosen bookings are not in this plan"})
    changed = 0
    for proposal in proposals:
        keep = proposal.pk in included
        if proposal.included != keep:
            proposal.included = keep
            changed += 1
    PlannedBooking.objects.bulk_update(proposals, ["included"])
    run.bump_version()
    run.save(update_fields=["version"])
    _audit(AuditAction.UPDATE, acting_user, run, str(run), {"proposals_changed": [None, changed]})
    return run


@transaction.atomic
def confirm_plan(*, acting_user: Any, run_id: int, expected_version: int) -> PlanRun:
    """Books every proposal the coordinator kept. Each is checked again against every
    rule, since bookings may have changed since the plan was made; any refused is
    recorded with its reason and the rest are booked.

    Women who chose not to work in an all-male group are booked last, counting the
    other women kept on the same session, as the planner did. If one of those other
    women is then refused, she would be left alone: the whole confirmation is tried
    again without her, so no one is ever booked into the group she declined."""
    run = _proposed_run(run_id, expected_version)
    kept = list(
        run.proposals.filter(included=True)
        .select_related("order__person")
        .order_by("order__no_all_male_group", "session__date", "pk")
    )
    left_alone: dict[int, str] = {}
    while True:
        attempt = transaction.savepoint()
        booked, refused = _book_proposals(acting_user, [p for p in kept if p.pk not in left_alone])
        refused += [[p.order_id, p.session_id, left_alone[p.pk]] for p in kept if p.pk in left_alone]
        stranded = [p for p in booked if _left_in_all_male_group(p)]
        if not stranded:
            transaction.savepoint_commit(attempt)
            break
        transaction.savepoint_rollback(attempt)
        for proposal in stranded:
            proposal.booking = None
            left_alone[proposal.pk] = (
                "she has chosen not to work in an all-male group and the other woman in the plan "
                "could not be booked"
            )
    for proposal in booked:
        proposal.save(update_fields=["booking"])
    run.status, run.decided_at, run.decided_by = PlanStatus.CONFIRMED, timezone.now(), acting_user
    run.not_booked_on_confirm = refused
    run.bump_version()
    run.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        run,
        str(run),
        {"status": [PlanStatus.PROPOSED, PlanStatus.CONFIRMED], "refused": [None, len(refused)]},
    )
    return run


def _book_proposals(
    acting_user: Any, proposals: list[PlannedBooking]
) -> tuple[list[PlannedBooking], list[list[Any]]]:
    """Books each proposal in turn through ``book``; returns those booked and the refusals."""
    women_kept: dict[int, int] = {}
    for proposal in proposals:
        if proposal.order.person.sex == "FEMALE":
            women_kept[proposal.session_id] = women_kept.get(proposal.session_id, 0) + 1
    booked: list[PlannedBooking] = []
    refused: list[list[Any]] = []
    for proposal in proposals:
        joining = 0
        if proposal.order.no_all_male_group:
            # Other women in the plan on this session, not yet booked (booked ones already count).
            joining = (
                women_kept.get(proposal.session_id, 0)
                - 1
                - sum(
                    1
                    for b in booked
                    if b.session_id == proposal.session_id and b.order.person.sex == "FEMALE"
                )
            )
        try:
            with transaction.atomic():
                proposal.booking = book(
                    acting_user=acting_user,
                    session_id=proposal.session_id,
                    order_id=proposal.order_id,
                    is_ete=proposal.is_ete,
                    travel_minutes=proposal.travel_minutes,
                    women_joining=max(0, joining),
                    ahead=True,
                )
        except ValidationError as error:
            refused.append([proposal.order_id, proposal.session_id, "; ".join(error.messages)])
            continue
        booked.append(proposal)
    return booked, refused


def _left_in_all_male_group(proposal: PlannedBooking) -> bool:
    """A woman who chose not to work in an all-male group, booked where no other woman is."""
    if not proposal.order.no_all_male_group:
        return False
    session = WorkSession.objects.select_related("project").get(pk=proposal.session_id)
    if session.project.women_only:
        return False
    others = session.bookings.filter(cancelled_at__isnull=True, order__person__sex="FEMALE").exclude(
        order_id=proposal.order_id
    )
    return not others.exists()


@transaction.atomic
def discard_plan(*, acting_user: Any, run_id: int, expected_version: int) -> PlanRun:
    run = _proposed_run(run_id, expected_version)
    run.status, run.decided_at, run.decided_by = PlanStatus.DISCARDED, timezone.now(), acting_user
    run.bump_version()
    run.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        run,
        str(run),
        {"status": [PlanStatus.PROPOSED, PlanStatus.DISCARDED]},
    )
    return run


@transaction.atomic
def assign_supervisors(
    *, acting_user: Any, session_id: int, staff_ids: list[int], expected_version: int
) -> WorkSession:
    """Supervisors for a session: Unpaid Work staff of the project's PDU. Fewer supervisors
    than the people booked need (at the project's ratio) is refused."""
    session = lock_at_version(WorkSession.objects.select_related("project"), session_id, expected_version)
    if session.stood_down_at is not None:
        raise TransitionNotAllowed("This session is stood down.")
    staff = list(supervisors_for(session.project.pdu_id).filter(pk__in=staff_ids))
    if len(staff) != len(set(staff_ids)):
        raise ValidationError({"supervisors": "Choose Unpaid Work staff from the project's PDU"})
    booked = session.bookings.filter(cancelled_at__isnull=True).count()
    project = session.project
    if staff and rules.session_limit(project.capacity, len(staff), project.people_per_supervisor) < booked:
        raise ValidationError(
            {
                "supervisors": f"{booked} people are booked: at {project.people_per_supervisor} people per "
                "supervisor, that needs more supervisors"
            }
        )
    before = sorted(session.supervisors.values_list("pk", flat=True))
    session.supervisors.set(staff)
    session.bump_version()
    session.save(update_fields=["version"])
    _audit(
        AuditAction.UPDATE,
        acting_user,
        session,
        str(session),
        {"supervisors": [before, sorted(s.pk for s in staff)]},
    )
    return session


def supervisors_for(pdu_id: int) -> Any:
    """Staff who may supervise a session: Unpaid Work supervisors and placement
    coordinators of the PDU who have not left."""
    from organisation.models import Staff

    return Staff.objects.filter(pdu_id=pdu_id, grade__in=SUPERVISOR_GRADES, left_at__isnull=True)
