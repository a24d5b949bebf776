"""The one way a programme referral changes state: ``move_referral`` guards the step with
``programmes.lifecycle.REFERRAL``, stores the new state with its coded reason, keeps the
move in the referral's history and audits it, in the caller's transaction.

Every referral service (suitability, scheduling, attendance, deselection, closure) moves
the referral through here, so the table is the only place a move is allowed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from programmes.constants import CLOSED_REFERRAL_STATUSES, StatusReason
from programmes.lifecycle import NEEDS_REASON, REFERRAL
from programmes.models import ProgrammeReferral, ReferralStatusChange


def audit_referral(
    action: AuditAction, actor: Any, obj: Any, referral: ProgrammeReferral, changes: dict[str, Any]
) -> None:
    """Audits a write on a referral or one of its parts, named by the person's CRN."""
    audit.record(
        action,
        actor=actor,
        obj=obj,
        object_repr=f"Programme referral {referral.pk} ({referral.person.crn})",
        changes=changes,
    )


@transaction.atomic
def move_referral(
    *,
    acting_user: Any,
    referral: ProgrammeReferral,
    step: str,
    target: str | None = None,
    reason: str = "",
    note: str = "",
    by_system: bool = False,
) -> ProgrammeReferral:
    """Takes ``step`` on a referral the caller has locked (``select_for_update``).

    ``target`` is given only for a step whose end the service decides (``assess``);
    ``by_system`` skips the who-may check for the steps the service takes itself
    (start, complete) while still refusing a step the state does not allow.
    A step in ``NEEDS_REASON`` needs a coded reason; ``OTHER`` also needs a note.
    """
    transition = REFERRAL.guard(referral, step, None if by_system else acting_user)
    new_status = transition.target or target
    allowed_ends = REFERRAL.outcomes(transition, REFERRAL.state_of(referral))
    if new_status is None or new_status not in allowed_ends:
        raise ValueError(f"{step} cannot end in {new_status}; it ends in one of {allowed_ends}")
    if step in NEEDS_REASON and not reason:
        raise ValidationError({"reason": "Choose a reason"})
    if reason and reason not in StatusReason.values:
        raise ValidationError({"reason": "Choose one of the listed reasons"})
    if reason == StatusReason.OTHER and not note.strip():
        raise ValidationError({"note": "Describe the reason"})
    before = referral.status
    referral.status = new_status
    referral.status_reason = reason
    referral.status_note = note.strip()
    if new_status in CLOSED_REFERRAL_STATUSES and referral.closed_on is None:
        referral.closed_on = timezone.localdate()
    referral.bump_version()
    referral.save()
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=before,
        to_status=new_status,
        reason=reason,
        note=note.strip(),
        changed_at=timezone.now(),
        # A move the service takes itself is the service's, whoever's action set it off (the
        # audit row still names them): the history says "by the system".
        changed_by=acting_user if getattr(acting_user, "pk", None) and not by_system else None,
    )
    audit_referral(
        AuditAction.UPDATE,
        acting_user,
        referral,
        referral,
        {"status": [before, new_status], "reason": [None, reason or None]},
    )
    return referral
