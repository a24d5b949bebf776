"""A referral's lifecycle, written once (ADR 19): from which states each step may be
taken and who takes it. ``services`` guards every step with it, ``actions`` offers the
pages' buttons from it and the API lists ``next_steps`` from it.

The stored status follows from what has happened (``rules.status``), so a referral that
has been withdrawn is awaiting its report or has ended: no step needs to ask about the
withdrawal again except withdrawing itself."""

from __future__ import annotations

from typing import Any

from core.lifecycle import Lifecycle, Transition
from core.roles import Capability
from referrals.constants import ReferralStatus

S = ReferralStatus

OPEN = frozenset(
    {
        S.SENT,
        S.ASSIGNED,
        S.ASSESSMENT_BOOKED,
        S.ASSESSED,
        S.ACTION_PLAN_SUBMITTED,
        S.IN_PROGRESS,
        S.AWAITING_REPORT,
    }
)


def _not_withdrawn(referral: Any) -> bool:
    return referral.withdrawn_at is None


REFERRAL = Lifecycle(
    noun="referral",
    states=dict(ReferralStatus.choices),
    initial=S.SENT,
    transitions=(
        Transition(
            "assign",
            "Assign a caseworker",
            {S.SENT, S.ASSIGNED, S.ASSESSMENT_BOOKED},
            ends={S.ASSIGNED, S.ASSESSMENT_BOOKED},  # a new caseworker keeps a booked assessment
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "book-assessment",
            "Book the initial assessment",
            {S.ASSIGNED, S.ASSESSMENT_BOOKED},  # booked again when it moves
            S.ASSESSMENT_BOOKED,
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "record-assessment",
            "Record the initial assessment",
            {S.ASSESSMENT_BOOKED},
            S.ASSESSED,
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "action-plan",
            "Submit the action plan",
            {S.ASSESSED},  # also after a plan is sent back
            S.ACTION_PLAN_SUBMITTED,
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "plan-decision",
            "Review the action plan",
            {S.ACTION_PLAN_SUBMITTED},
            ends={S.IN_PROGRESS, S.ASSESSED},  # approved, or sent back
            capability=Capability.MANAGE_CASES,
        ),
        Transition(
            "session",
            "Record a session",
            {S.IN_PROGRESS},
            # Until the last planned session; then the report is due, or with none
            # attended the referral is cancelled.
            ends={S.IN_PROGRESS, S.AWAITING_REPORT, S.CANCELLED},
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "report",
            "Submit the end-of-service report",
            {S.AWAITING_REPORT},
            ends={S.COMPLETED, S.ENDED_EARLY},
            capability=Capability.DELIVER_SERVICES,
        ),
        Transition(
            "withdraw",
            "Withdraw the referral",
            OPEN,
            # Cancelled without an approved plan or an attended session; otherwise the
            # provider reports first.
            ends={S.CANCELLED, S.AWAITING_REPORT},
            capability=Capability.MANAGE_CASES,
            when=_not_withdrawn,
            refusal="This referral has already been withdrawn.",
        ),
    ),
)
