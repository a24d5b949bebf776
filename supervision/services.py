"""Supervision writes: allocation and transfer, appointments and outcomes, contact
notes, warnings and breaches. Atomic, guarded and audited; enforcement decisions
follow ``supervision.rules`` (Sentencing Act 2020 Sch 10 para 6)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core import events
from core.dates import refuse_future
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from organisation.models import Office, Staff, Team
from people.models import Person
from sentences.constants import RequirementStatus, RequirementType
from sentences.models import Event, Requirement
from supervision.constants import (
    ENFORCEABLE_OUTCOMES,
    AppointmentOutcome,
    AppointmentType,
    BreachStatus,
    CourtOutcome,
    EnforcementDecision,
    TransferReason,
)
from supervision.lifecycle import BREACH, STEP_TO
from supervision.models import Allocation, Appointment, Breach, ContactNote, Warning
from supervision.selectors import enforcement_options_for, live_events


def _audit(action: AuditAction, acting_user: Any, obj: Any, person: Person, changes: dict[str, Any]) -> None:
    audit.record(action, actor=acting_user, obj=obj, object_repr=f"{person.crn} {obj}"[:200], changes=changes)


@transaction.atomic
def allocate(
    *,
    acting_user: Any,
    person: Person,
    team: Team,
    practitioner: Staff | None,
    reason: TransferReason,
    expected_version: int,
    event: Event | None = None,
) -> Allocation:
    """Allocates (or transfers) a person, or one of their events, to a team and practitioner.

    Transfers between teams, PDUs and regions are the same operation: the open
    allocation is closed and a new one opened, so the history shows every move. The
    change names the person's version, so two senior probation officers allocating
    the same case at once cannot both succeed unknowingly.
    """
    if practitioner is not None and practitioner.team_id != team.pk:
        raise ValidationError({"practitioner": "Choose a practitioner in the chosen team"})
    if practitioner is not None and practitioner.left_at is not None:
        raise ValidationError({"practitioner": "This practitioner has left"})
    if not team.pdu.is_active or team.retired_at is not None:
        raise ValidationError({"team": "Choose a team that is in use"})
    now = timezone.now()
    locked = lock_at_version(Person, person.pk, expected_version)
    before = {"pdu": locked.pdu_id, "team": locked.team_id, "practitioner": locked.practitioner_id}
    Allocation.objects.filter(person=locked, event=event, ended_at__isnull=True).update(ended_at=now)
    allocation = Allocation.objects.create(
        person=locked,
        event=event,
        pdu=team.pdu,
        team=team,
        practitioner=practitioner,
        reason=reason,
        started_at=now,
        allocated_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    locked.bump_version()
    if event is None:
        locked.pdu, locked.team, locked.practitioner = team.pdu, team, practitioner
        locked.save(update_fields=["pdu", "team", "practitioner", "version"])
        person.pdu, person.team, person.practitioner = team.pdu, team, practitioner
    else:
        locked.save(update_fields=["version"])
        Event.objects.filter(pk=event.pk).update(practitioner=practitioner)
    person.version = locked.version
    after = {"pdu": team.pdu_id, "team": team.pk, "practitioner": practitioner.pk if practitioner else None}
    _audit(
        AuditAction.UPDATE,
        acting_user,
        allocation,
        locked,
        audit.diff(before, after) | {"reason": [None, reason]},
    )
    return allocation


def event_for_appointment(person: Person, chosen: Event | None, field: str = "event") -> Event | None:
    """The event an appointment enforces, so that a failure is never left without an order.

    With exactly one live event it is that one; with more than one the user must
    choose (a field error names ``field``); with none the appointment stands alone.
    """
    if chosen is not None:
        return chosen
    live = live_events(person)
    if len(live) == 1:
        return live[0]
    if len(live) > 1:
        raise ValidationError(
            {field: "Choose the sentence this appointment is for: this person is serving more than one"}
        )
    return None


@transaction.atomic
def book_appointment(
    *,
    acting_user: Any,
    person: Person,
    type: AppointmentType,
    starts_at: datetime,
    ends_at: datetime,
    practitioner: Staff,
    office: Office | None = None,
    event: Event | None = None,
) -> Appointment:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end time must be after the start time"})
    if event is not None and event.person_id != person.pk:
        raise ValidationError({"event": "Choose one of this person's events"})
    event = event_for_appointment(person, event)
    if office is not None and office.retired_at is not None:
        raise ValidationError({"office": "Choose an office that is in use"})
    appointment = Appointment.objects.create(
        person=person,
        event=event,
        type=type,
        starts_at=starts_at,
        ends_at=ends_at,
        practitioner=practitioner,
        office=office,
    )
    _audit(
        AuditAction.CREATE,
        acting_user,
        appointment,
        person,
        {"type": [None, type], "starts_at": [None, starts_at]},
    )
    return appointment


@transaction.atomic
def record_outcome(
    *,
    acting_user: Any,
    appointment_id: int,
    outcome: AppointmentOutcome,
    notes: str = "",
    absence_reason: str = "",
    expected_version: int,
    event_id: int | None = None,
) -> Appointment:
    """Records what happened. Enforceable outcomes then need a warning or breach decision.

    ``event_id`` links an appointment that belongs to no order yet to one of the
    person's live orders, so that a failure on it can be enforced when the person
    serves more than one order.
    """
    appointment = lock_at_version(
        Appointment.objects.select_related("person"), appointment_id, expected_version
    )
    if appointment.starts_at > timezone.now():
        raise ValidationError({"outcome": "You cannot record an outcome for an appointment in the future"})
    if outcome == AppointmentOutcome.ACCEPTABLE_ABSENCE and not absence_reason:
        raise ValidationError({"absence_reason": "Choose why the absence was acceptable"})
    if outcome != AppointmentOutcome.ACCEPTABLE_ABSENCE and absence_reason:
        # A reason with another outcome is a contradiction: was the absence acceptable or not?
        raise ValidationError(
            {
                "absence_reason": "Only an acceptable absence has a reason: remove the reason or change the outcome"
            }
        )
    if outcome in ENFORCEABLE_OUTCOMES and not notes.strip():
        raise ValidationError({"notes": "Describe what happened: the notes support any enforcement action"})
    if hasattr(appointment, "warning") or hasattr(appointment, "breach"):
        raise TransitionNotAllowed(
            "Enforcement action has been taken on this outcome, so it can no longer change."
        )
    if appointment.event_id is None and event_id is not None:
        appointment.event = _live_event(appointment.person, event_id)
    if outcome in ENFORCEABLE_OUTCOMES and appointment.event_id is None:
        appointment.event = _event_to_enforce(appointment, "event")
    before = appointment.outcome
    appointment.outcome, appointment.absence_reason, appointment.outcome_notes = (
        outcome,
        absence_reason,
        notes.strip(),
    )
    appointment.outcome_recorded_at = timezone.now()
    appointment.bump_version()
    appointment.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        appointment,
        appointment.person,
        {"outcome": [before or None, outcome]},
    )
    if appointment.type == AppointmentType.RAR_ACTIVITY and appointment.event_id:
        _count_rar_days(appointment.event_id)
    return appointment


ATTENDED = (AppointmentOutcome.ATTENDED_COMPLIED, AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY)


def _count_rar_days(event_id: int) -> None:
    """RAR progress is the number of distinct days with an attended rehabilitation activity."""
    days = (
        Appointment.objects.filter(event_id=event_id, type=AppointmentType.RAR_ACTIVITY, outcome__in=ATTENDED)
        .annotate(day=TruncDate("starts_at"))
        .values("day")
        .distinct()
        .count()
    )
    Requirement.objects.filter(
        sentence__event_id=event_id, type=RequirementType.RAR, status=RequirementStatus.ACTIVE
    ).update(progress=days)


def _live_event(person: Person, event_id: int) -> Event:
    """One of the person's live events, or a field error naming ``event``."""
    chosen = next((e for e in live_events(person) if e.pk == event_id), None)
    if chosen is None:
        raise ValidationError({"event": "Choose one of the sentences this person is serving"})
    return chosen


def _event_to_enforce(appointment: Appointment, field: str) -> Event:
    """The order an unlinked failure is enforced against: the person's only live event.

    An enforceable failure must belong to an order, or no warning or breach could
    follow and it would be lost. With several live events the appointment must be
    linked first; with none there is no order left to enforce.
    """
    live = live_events(appointment.person)
    if len(live) == 1:
        return live[0]
    if not live:
        raise ValidationError(
            {
                field: "This person is serving no sentence, so there is no order to enforce this failure against"
            }
        )
    raise ValidationError(
        {field: "Choose the sentence this failure is enforced against: this person is serving more than one"}
    )


@transaction.atomic
def take_enforcement_action(
    *,
    acting_user: Any,
    appointment_id: int,
    decision: EnforcementDecision,
    circumstances: str,
    on: date | None = None,
) -> Warning | Breach:
    """After an enforceable outcome: a warning (only if none is live) or a breach request."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person", "event")
        .get(pk=appointment_id)
    )
    if appointment.outcome not in ENFORCEABLE_OUTCOMES:
        raise TransitionNotAllowed("Only an unacceptable failure can lead to a warning or breach.")
    if hasattr(appointment, "warning") or hasattr(appointment, "breach"):
        raise TransitionNotAllowed("Enforcement action has already been taken for this failure.")
    if not circumstances.strip():
        raise ValidationError({"circumstances": "Describe the circumstances of the failure"})
    today = on or timezone.localdate()
    refuse_future("on", today, "The date of the decision")
    if today < timezone.localtime(appointment.starts_at).date():
        raise ValidationError({"on": "The decision cannot come before the failure it deals with"})
    if appointment.event is None:
        appointment.event = _event_to_enforce(appointment, "event")
        appointment.save(update_fields=["event"])
    # Decisions on the same order queue behind each other: two failures decided at the
    # same moment must not both see "no live warning" and both be warned.
    Event.objects.select_for_update().filter(pk=appointment.event.pk).first()
    options = enforcement_options_for(appointment, today)
    person = appointment.person
    if decision == EnforcementDecision.WARNING:
        if not options.may_warn:
            raise TransitionNotAllowed(options.explanation)
        warning = Warning.objects.create(
            person=person,
            event=appointment.event,
            appointment=appointment,
            given_on=today,
            circumstances=circumstances.strip(),
            given_by=acting_user,
        )
        _audit(AuditAction.CREATE, acting_user, warning, person, {"warning": [None, str(today)]})
        return warning
    breach = Breach.objects.create(
        person=person,
        event=appointment.event,
        appointment=appointment,
        aware_on=timezone.localtime(appointment.starts_at).date(),
        requested_on=today,
        reason=circumstances.strip(),
    )
    _audit(AuditAction.CREATE, acting_user, breach, person, {"breach": [None, BreachStatus.REQUESTED]})
    # The tier counts breach and recall (risk sits below supervision, so it subscribes).
    events.publish(
        events.BreachRequested(
            acting_user=acting_user,
            person_id=person.pk,
            event_id=breach.event_id,
            breach_id=breach.pk,
            requested_on=breach.requested_on,
        )
    )
    return breach


@transaction.atomic
def advance_breach(
    *,
    acting_user: Any,
    breach_id: int,
    to: BreachStatus,
    on: date,
    expected_version: int,
    court_outcome: CourtOutcome | None = None,
    withdrawn_reason: str = "",
) -> Breach:
    """Moves the breach on by the lifecycle's transition that reaches ``to``."""
    breach = lock_at_version(Breach.objects.select_related("person"), breach_id, expected_version)
    if to not in STEP_TO:
        raise TransitionNotAllowed(f"No step moves a breach to '{BreachStatus(to).label.lower()}'.")
    BREACH.guard(breach, STEP_TO[to])
    if on < breach.requested_on:
        raise ValidationError({"on": "The date must be on or after the breach was requested"})
    refuse_future("on", on, "The date it happened")
    if to == BreachStatus.CONCLUDED and court_outcome is None:
        raise ValidationError({"court_outcome": "Choose the court's outcome"})
    if to == BreachStatus.WITHDRAWN and not withdrawn_reason.strip():
        raise ValidationError({"withdrawn_reason": "Explain why the breach is withdrawn"})
    before = breach.status
    breach.status = to
    if to == BreachStatus.ACTIONED:
        breach.actioned_on = on
    elif to == BreachStatus.PRESENTED:
        breach.presented_on = on
    elif to == BreachStatus.CONCLUDED:
        breach.concluded_on, breach.court_outcome = on, court_outcome or ""
    else:
        breach.concluded_on, breach.withdrawn_reason = on, withdrawn_reason.strip()
    breach.bump_version()
    breach.save()
    _audit(AuditAction.UPDATE, acting_user, breach, breach.person, {"status": [before, to], "on": [None, on]})
    return breach


@transaction.atomic
def add_contact_note(*, acting_user: Any, person: Person, text: str, is_sensitive: bool) -> ContactNote:
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    note = ContactNote.objects.create(
        person=person,
        text=text.strip(),
        is_sensitive=is_sensitive,
        created_at=timezone.now(),
        author=acting_user,
    )
    _audit(AuditAction.CREATE, acting_user, note, person, {"sensitive": [None, is_sensitive]})
    return note


@transaction.atomic
def move_appointment(
    *, acting_user: Any, appointment_id: int, starts_at: datetime, ends_at: datetime
) -> Appointment:
    """Moves an appointment that has no outcome yet (a rescheduled programme session).

    One with an outcome happened (or was missed) at its time, so it stays where it was."""
    appointment = Appointment.objects.select_for_update().select_related("person").get(pk=appointment_id)
    if appointment.outcome:
        raise ValidationError({"starts_at": "An appointment with an outcome cannot be moved"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end time must be after the start time"})
    before = appointment.starts_at
    appointment.starts_at, appointment.ends_at = starts_at, ends_at
    appointment.bump_version()
    appointment.save()
    _audit(
        AuditAction.UPDATE, acting_user, appointment, appointment.person, {"starts_at": [before, starts_at]}
    )
    return appointment


@transaction.atomic
def remove_appointment(*, acting_user: Any, appointment_id: int, reason: str) -> None:
    """Takes off the record an appointment with no outcome that will no longer happen
    (a person taken out of a programme group): kept, it would wait for an outcome that
    can never be recorded. The audit keeps what was removed and why."""
    appointment = Appointment.objects.select_for_update().select_related("person").get(pk=appointment_id)
    if appointment.outcome:
        raise ValidationError({"appointment": "An appointment with an outcome stays on the record"})
    _audit(
        AuditAction.UPDATE,
        acting_user,
        appointment,
        appointment.person,
        {"removed": [appointment.starts_at, None], "reason": [None, reason]},
    )
    appointment.delete()
