"""Unpaid Work placements: beneficiary nominations, projects, their sessions, standing a
session down, and the supervisors assigned to it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core.business_days import bank_holidays
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from unpaid_work import rules
from unpaid_work.constants import NominationStatus, StandDownReason
from unpaid_work.models import Nomination, Project, WorkSession
from unpaid_work.selectors import supervisors_for
from unpaid_work.services._shared import _audit
from unpaid_work.travel import postcode_location

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
