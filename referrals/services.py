"""Referral writes, each atomic, guarded by where the referral stands (the one table in
``referrals.lifecycle``: each write names its step there), and audited.
The practitioner sends, approves the action plan and may withdraw; the provider
assigns a caseworker, assesses, plans, records sessions and reports. Sessions land
on the person's supervision record as rehabilitation activity, so RAR days count and
an unacceptable absence goes to the practitioner's enforcement decision."""

from __future__ import annotations

import secrets
import string
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from commissioning.models import Contract, DesiredOutcome
from commissioning.rules import why_not_available
from commissioning.selectors import person_facts, service_facts
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from core.roles import Capability
from people.models import Person
from referrals import rules
from referrals.constants import CONCLUDED, Attendance, OutcomeRating, ReferralStatus, WithdrawalReason
from referrals.lifecycle import REFERRAL
from referrals.models import ActionPlan, DeliverySession, EndOfServiceReport, OutcomeResult, Referral
from referrals.selectors import caseworkers_for, progress_of
from sentences.constants import RequirementStatus, RequirementType
from supervision import services as supervision
from supervision.constants import AbsenceReason, AppointmentOutcome
from supervision.models import Appointment


def _audit(action: AuditAction, actor: Any, obj: Any, referral: Referral, changes: dict[str, Any]) -> None:
    audit.record(
        action,
        actor=actor,
        obj=obj,
        object_repr=f"{referral.reference} ({referral.person.crn})",
        changes=changes,
    )


def _new_reference() -> str:
    """Like the interventions service's references: two letters, four digits, two letters."""
    letters = string.ascii_uppercase
    while True:
        reference = (
            "".join(secrets.choice(letters) for _ in range(2))
            + "".join(secrets.choice(string.digits) for _ in range(4))
            + "".join(secrets.choice(letters) for _ in range(2))
        )
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def _locked(referral_id: int, expected_version: int, step: str) -> Referral:
    """The referral at the version the user saw, locked, once the lifecycle allows ``step``
    from where it stands: the only guard on its status."""
    referral = lock_at_version(
        Referral.objects.select_related("person", "contract__supplier", "practitioner"),
        referral_id,
        expected_version,
    )
    REFERRAL.guard(referral, step)
    return referral


def _save(referral: Referral) -> Referral:
    """Stores the status that follows from what has happened, and the end if it has ended."""
    referral.status = rules.status(progress_of(referral))
    if referral.status in CONCLUDED and referral.concluded_at is None:
        referral.concluded_at = timezone.now()
    referral.bump_version()
    referral.save()
    return referral


@transaction.atomic
def send_referral(
    *,
    acting_user: Any,
    person: Person,
    contract_id: int,
    category: int,
    complexity: str,
    desired_outcome_ids: list[int],
    max_rar_days: int,
    completion_deadline: date,
    risk_information: str,
    additional_information: str = "",
) -> Referral:
    contract = Contract.objects.prefetch_related("categories").select_related("pcc_area").get(pk=contract_id)
    today = timezone.localdate()
    closed = why_not_available(service_facts(contract), person_facts(person), today, category)
    if closed:
        raise ValidationError({"contract": f"This service is not open to them: {'; '.join(closed)}"})
    outcomes = list(DesiredOutcome.objects.filter(pk__in=desired_outcome_ids))
    try:
        rules.check_referral(
            completion_deadline=completion_deadline,
            today=today,
            max_rar_days=max_rar_days,
            outcomes_chosen=len(set(desired_outcome_ids)),
            outcomes_in_category=sum(o.category_id == category for o in outcomes),
        )
    except rules.ReferralRuleError as error:
        raise ValidationError({error.field: error.message}) from error
    if not risk_information.strip():
        raise ValidationError({"risk_information": "Share the risk information the provider needs"})
    practitioner = person.practitioner or getattr(acting_user, "staff", None)
    if practitioner is None:
        raise ValidationError({"contract": "The case has no practitioner: allocate it before referring"})
    referral = Referral.objects.create(
        reference=_new_reference(),
        person=person,
        contract=contract,
        category_id=category,
        complexity=complexity,
        max_rar_days=max_rar_days,
        completion_deadline=completion_deadline,
        risk_information=risk_information.strip(),
        additional_information=additional_information.strip(),
        sent_at=timezone.now(),
        sent_by=acting_user,
        practitioner=practitioner,
    )
    referral.desired_outcomes.set(outcomes)
    _audit(AuditAction.CREATE, acting_user, referral, referral, {"contract": [None, contract.reference]})
    return referral


@transaction.atomic
def assign_caseworker(
    *, acting_user: Any, referral_id: int, caseworker_id: int, expected_version: int
) -> Referral:
    referral = _locked(referral_id, expected_version, "assign")
    caseworker = caseworkers_for(referral).filter(pk=caseworker_id).first()
    if caseworker is None or not caseworker.has_capability(Capability.DELIVER_SERVICES):
        raise ValidationError({"caseworker": "Choose a caseworker from the provider's staff"})
    before = referral.caseworker_id
    referral.caseworker, referral.assigned_at = caseworker, timezone.now()
    _audit(AuditAction.UPDATE, acting_user, referral, referral, {"caseworker": [before, caseworker.pk]})
    return _save(referral)


@transaction.atomic
def book_assessment(*, acting_user: Any, referral_id: int, at: datetime, expected_version: int) -> Referral:
    referral = _locked(referral_id, expected_version, "book-assessment")
    if at < referral.sent_at:
        raise ValidationError({"at": "The assessment must be after the referral was sent"})
    referral.assessment_at = at
    _audit(AuditAction.UPDATE, acting_user, referral, referral, {"assessment_at": [None, at]})
    return _save(referral)


@transaction.atomic
def record_assessment(
    *, acting_user: Any, referral_id: int, assessed_on: date, notes: str, expected_version: int
) -> Referral:
    """Feedback is added the day the assessment is delivered (or later), never before."""
    referral = _locked(referral_id, expected_version, "record-assessment")
    if assessed_on > timezone.localdate() or assessed_on < timezone.localdate(referral.sent_at):
        raise ValidationError({"assessed_on": "The assessment date must be between the referral and today"})
    if not notes.strip():
        raise ValidationError({"notes": "Record what the assessment found"})
    referral.assessed_on, referral.assessment_notes = assessed_on, notes.strip()
    _audit(AuditAction.UPDATE, acting_user, referral, referral, {"assessed_on": [None, assessed_on]})
    return _save(referral)


@transaction.atomic
def submit_action_plan(
    *,
    acting_user: Any,
    referral_id: int,
    number_of_sessions: int,
    activities: str,
    expected_version: int,
) -> ActionPlan:
    referral = _locked(referral_id, expected_version, "action-plan")
    if not 1 <= number_of_sessions <= referral.max_rar_days:
        raise ValidationError(
            {
                "number_of_sessions": f"Plan between 1 and {referral.max_rar_days} sessions (the days the referral allows)"
            }
        )
    if not activities.strip():
        raise ValidationError({"activities": "Describe the activities"})
    plan = ActionPlan.objects.create(
        referral=referral,
        number_of_sessions=number_of_sessions,
        activities=activities.strip(),
        submitted_at=timezone.now(),
        submitted_by=acting_user,
    )
    _audit(
        AuditAction.CREATE, acting_user, plan, referral, {"number_of_sessions": [None, number_of_sessions]}
    )
    _save(referral)
    return plan


@transaction.atomic
def decide_action_plan(
    *,
    acting_user: Any,
    referral_id: int,
    approve: bool,
    comments: str = "",
    expected_version: int,
) -> Referral:
    """The practitioner approves the plan, or sends it back (the provider submits a new one)."""
    referral = _locked(referral_id, expected_version, "plan-decision")
    plan = (
        referral.action_plans.filter(approved_at__isnull=True, returned_at__isnull=True)
        .order_by("-submitted_at")
        .first()
    )
    if plan is None:  # cannot happen while the status says one is waiting; refuse, never crash
        raise TransitionNotAllowed("There is no action plan waiting for a decision.")
    if approve:
        plan.approved_at, plan.approved_by = timezone.now(), acting_user
        plan.save()
    else:
        if not comments.strip():
            raise ValidationError({"comments": "Say what needs to change"})
        plan.returned_at, plan.returned_by, plan.return_comments = (
            timezone.now(),
            acting_user,
            comments.strip(),
        )
        plan.save()
    _audit(
        AuditAction.UPDATE,
        acting_user,
        referral,
        referral,
        {"action_plan": ["submitted", "approved" if approve else f"sent back: {comments.strip()}"]},
    )
    return _save(referral)


@transaction.atomic
def record_session(
    *,
    acting_user: Any,
    referral_id: int,
    number: int,
    happened_at: datetime,
    method: str,
    attendance: str,
    absence_acceptable: bool | None,
    progress_notes: str = "",
    behaviour_notes: str = "",
    expected_version: int,
) -> DeliverySession:
    referral = _locked(referral_id, expected_version, "session")
    progress = progress_of(referral)
    if not 1 <= number <= progress.planned_sessions:
        raise ValidationError({"number": f"The plan has sessions 1 to {progress.planned_sessions}"})
    if referral.sessions.filter(number=number).exists():
        raise ValidationError({"number": f"Session {number} is already recorded"})
    if happened_at > timezone.now():
        raise ValidationError({"happened_at": "Record sessions once they have happened"})
    if happened_at < referral.sent_at:
        raise ValidationError({"happened_at": "A session cannot be before the referral was sent"})
    if attendance == Attendance.NO and absence_acceptable is None:
        raise ValidationError({"absence_acceptable": "Say whether the absence was acceptable"})
    if attendance != Attendance.NO:
        absence_acceptable = None
    enforceable = attendance == Attendance.NO and absence_acceptable is False
    if enforceable and not progress_notes.strip():
        raise ValidationError(
            {"progress_notes": "Describe what happened: the practitioner will decide on enforcement"}
        )
    session = DeliverySession.objects.create(
        referral=referral,
        number=number,
        happened_at=happened_at,
        method=method,
        attendance=attendance,
        absence_acceptable=absence_acceptable,
        progress_notes=progress_notes.strip(),
        behaviour_notes=behaviour_notes.strip(),
        recorded_at=timezone.now(),
        recorded_by=acting_user,
    )
    session.appointment = _on_supervision_record(acting_user, referral, session)
    session.save(update_fields=["appointment"])
    _audit(AuditAction.CREATE, acting_user, session, referral, {"attendance": [None, attendance]})
    _save(referral)
    return session


def _on_supervision_record(acting_user: Any, referral: Referral, session: DeliverySession) -> Any:
    """The session as a rehabilitation activity appointment with its outcome: attended
    days count towards RAR, and an unacceptable absence waits for the practitioner's
    warning or breach decision like any other."""

    event = (
        referral.person.events.filter(
            sentence__requirements__type=RequirementType.RAR,
            sentence__requirements__status=RequirementStatus.ACTIVE,
        )
        .order_by("-sentenced_on")
        .first()
    )
    appointment = Appointment.objects.create(
        person=referral.person,
        event=event,
        type="RAR_ACTIVITY",
        starts_at=session.happened_at,
        ends_at=session.happened_at,
        practitioner=referral.practitioner,
    )
    outcome, reason = {
        Attendance.YES: (AppointmentOutcome.ATTENDED_COMPLIED, ""),
        Attendance.LATE: (AppointmentOutcome.ATTENDED_COMPLIED, ""),
    }.get(
        Attendance(session.attendance),
        (AppointmentOutcome.ACCEPTABLE_ABSENCE, AbsenceReason.PROFESSIONAL_JUDGEMENT),
    )
    if session.enforceable:
        outcome, reason = AppointmentOutcome.UNACCEPTABLE_ABSENCE, ""
    notes = f"{referral.contract.title}, session {session.number}: {session.get_attendance_display()}. {session.progress_notes}"
    return supervision.record_outcome(
        acting_user=acting_user,
        appointment_id=appointment.pk,
        outcome=outcome,
        notes=notes.strip(),
        absence_reason=reason,
        expected_version=appointment.version,
    )


@transaction.atomic
def submit_report(
    *,
    acting_user: Any,
    referral_id: int,
    ratings: dict[int, str],
    notes: dict[int, str] | None = None,
    further_information: str = "",
    expected_version: int,
) -> EndOfServiceReport:
    """The end-of-service report rates every desired outcome; it closes a completed or
    ended-early referral."""
    referral = _locked(referral_id, expected_version, "report")
    wanted = set(referral.desired_outcomes.values_list("pk", flat=True))
    if set(ratings) != wanted or any(r not in OutcomeRating.values for r in ratings.values()):
        raise ValidationError(
            {"ratings": "Rate every desired outcome as achieved, partly achieved or not achieved"}
        )
    report = EndOfServiceReport.objects.create(
        referral=referral,
        submitted_at=timezone.now(),
        submitted_by=acting_user,
        further_information=further_information.strip(),
    )
    OutcomeResult.objects.bulk_create(
        OutcomeResult(report=report, outcome_id=o, rating=r, notes=(notes or {}).get(o, "").strip())
        for o, r in ratings.items()
    )
    _audit(AuditAction.CREATE, acting_user, report, referral, {"ratings": [None, sorted(ratings.values())]})
    referral.refresh_from_db()
    _save(referral)
    return report


@transaction.atomic
def withdraw(
    *,
    acting_user: Any,
    referral_id: int,
    reason: WithdrawalReason,
    comments: str = "",
    expected_version: int,
) -> Referral:
    """Ends the referral early with a coded reason. Without an approved plan or any
    attended session it is cancelled; otherwise it waits for the end-of-service report."""
    referral = _locked(referral_id, expected_version, "withdraw")
    if reason == WithdrawalReason.ANO and not comments.strip():
        raise ValidationError({"comments": "Explain the reason"})
    referral.withdrawn_at, referral.withdrawal_reason = timezone.now(), reason
    referral.withdrawal_comments = comments.strip()
    _audit(AuditAction.UPDATE, acting_user, referral, referral, {"withdrawn": [None, reason]})
    return _save(referral)


def status_label(referral: Referral) -> str:
    return ReferralStatus(referral.status).label
