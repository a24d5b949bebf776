"""Refer-and-monitor rules as pure functions: the provider's deadlines, where a
referral stands, how it ends, and what a referral must contain. No Django imports.

Source: docs/domain/referrals.md (hmpps-interventions-service and -ui): the initial assessment
within 10 working days of the referral, the first action plan within 5 working days
of the assessment, the end-of-service report within 5 working days of the last
session; ReferralConcluder's rules for cancelled, ended early and completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.business_days import add_business_days
from core.policy import value_on


class ReferralStatus(StrEnum):
    """Where a referral stands. Defined here, with no Django, so ``status`` can name them;
    ``referrals.constants.ReferralStatus`` (the model choices) takes its values from this list."""

    SENT = "SENT"
    ASSIGNED = "ASSIGNED"
    ASSESSMENT_BOOKED = "ASSESSMENT_BOOKED"
    ASSESSED = "ASSESSED"
    ACTION_PLAN_SUBMITTED = "ACTION_PLAN_SUBMITTED"
    IN_PROGRESS = "IN_PROGRESS"
    AWAITING_REPORT = "AWAITING_REPORT"
    COMPLETED = "COMPLETED"
    ENDED_EARLY = "ENDED_EARLY"
    CANCELLED = "CANCELLED"


# Short names the rules below use (and that other modules may already import).
SENT, ASSIGNED = ReferralStatus.SENT, ReferralStatus.ASSIGNED
ASSESSMENT_BOOKED, ASSESSED = ReferralStatus.ASSESSMENT_BOOKED, ReferralStatus.ASSESSED
ACTION_PLAN_SUBMITTED, IN_PROGRESS = ReferralStatus.ACTION_PLAN_SUBMITTED, ReferralStatus.IN_PROGRESS
AWAITING_REPORT, COMPLETED = ReferralStatus.AWAITING_REPORT, ReferralStatus.COMPLETED
ENDED_EARLY, CANCELLED = ReferralStatus.ENDED_EARLY, ReferralStatus.CANCELLED

# The end-of-service report's achievement score, as Refer and Monitor scores it: each
# desired outcome counts 1 when achieved, 0.5 when partly achieved and 0 when not.
ACHIEVEMENT_POINTS = {
    "ACHIEVED": Decimal(1),
    "PARTIALLY_ACHIEVED": Decimal("0.5"),
    "NOT_ACHIEVED": Decimal(0),
}


def achievement_score(ratings: Iterable[str]) -> Decimal:
    """The report's score: the sum of its outcomes' points (so 2.5 for two outcomes
    achieved and one partly achieved)."""
    return sum((ACHIEVEMENT_POINTS[rating] for rating in ratings), Decimal(0))


class ReferralRuleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def assessment_due(sent_on: date) -> date:
    return add_business_days(sent_on, value_on("referral_assessment_working_days", sent_on))


def action_plan_due(assessed_on: date) -> date:
    return add_business_days(assessed_on, value_on("referral_action_plan_working_days", assessed_on))


def report_due(last_session_on: date) -> date:
    return add_business_days(last_session_on, value_on("referral_report_working_days", last_session_on))


@dataclass(frozen=True)
class Progress:
    """What has happened on a referral so far."""

    assigned: bool = False
    assessment_booked: bool = False
    assessed: bool = False
    plan_submitted: bool = False
    plan_approved: bool = False
    planned_sessions: int = 0
    sessions_recorded: int = 0
    sessions_attended: int = 0
    report_submitted: bool = False
    withdrawn: bool = False

    @property
    def sessions_done(self) -> bool:
        return self.plan_approved and self.sessions_recorded >= self.planned_sessions


def ending(progress: Progress) -> str:
    """How the referral ends if it ends now: cancelled without an approved action plan or
    with no session attended; completed once every planned session is recorded;
    otherwise ended early."""
    if not progress.plan_approved or progress.sessions_attended == 0:
        return CANCELLED
    return COMPLETED if progress.sessions_done else ENDED_EARLY


def needs_report(progress: Progress) -> bool:
    """Completed and ended-early referrals need an end-of-service report; cancelled ones do not."""
    return ending(progress) != CANCELLED


def status(progress: Progress) -> str:
    if progress.withdrawn or progress.sessions_done:
        end = ending(progress)
        if end == CANCELLED or progress.report_submitted:
            return end
        return AWAITING_REPORT
    for reached, name in (
        (progress.plan_approved, IN_PROGRESS),
        (progress.plan_submitted, ACTION_PLAN_SUBMITTED),
        (progress.assessed, ASSESSED),
        (progress.assessment_booked, ASSESSMENT_BOOKED),
        (progress.assigned, ASSIGNED),
    ):
        if reached:
            return name
    return SENT


def check_referral(
    *,
    completion_deadline: date,
    today: date,
    max_rar_days: int,
    outcomes_chosen: int,
    outcomes_in_category: int,
) -> None:
    """What a referral must contain before it is sent."""
    if completion_deadline <= today:
        raise ReferralRuleError("completion_deadline", "The completion date must be in the future")
    if not 1 <= max_rar_days <= 365:
        raise ReferralRuleError("max_rar_days", "The maximum number of days must be between 1 and 365")
    if outcomes_chosen == 0:
        raise ReferralRuleError("desired_outcomes", "Choose at least one desired outcome")
    if outcomes_in_category != outcomes_chosen:
        raise ReferralRuleError("desired_outcomes", "Choose outcomes for the category of need")
