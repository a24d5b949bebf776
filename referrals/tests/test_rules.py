"""Refer-and-monitor rules at their boundaries: deadlines in working days, where a
referral stands, and how it ends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from referrals import rules
from referrals.rules import Progress


def test_the_assessment_is_due_within_10_working_days() -> None:
    assert rules.assessment_due(date(2026, 11, 23)) == date(2026, 12, 7)  # Monday to Monday fortnight
    assert rules.assessment_due(date(2026, 12, 18)) == date(2027, 1, 6)  # over Christmas and New Year


def test_the_action_plan_and_report_are_due_within_5_working_days() -> None:
    assert rules.action_plan_due(date(2026, 11, 27)) == date(2026, 12, 4)
    assert rules.report_due(date(2026, 11, 27)) == date(2026, 12, 4)


STARTED = Progress(
    assigned=True,
    assessment_booked=True,
    assessed=True,
    plan_approved=True,
    planned_sessions=3,
    sessions_recorded=1,
    sessions_attended=1,
)


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Progress(), "SENT"),
        (Progress(assigned=True), "ASSIGNED"),
        (Progress(assigned=True, assessment_booked=True), "ASSESSMENT_BOOKED"),
        (Progress(assigned=True, assessment_booked=True, assessed=True), "ASSESSED"),
        (Progress(assessed=True, plan_submitted=True), "ACTION_PLAN_SUBMITTED"),
        (STARTED, "IN_PROGRESS"),
        (replace(STARTED, sessions_recorded=3), "AWAITING_REPORT"),
        (replace(STARTED, sessions_recorded=3, report_submitted=True), "COMPLETED"),
        (replace(STARTED, withdrawn=True), "AWAITING_REPORT"),
        (replace(STARTED, withdrawn=True, report_submitted=True), "ENDED_EARLY"),
        (Progress(assessed=True, plan_submitted=True, withdrawn=True), "CANCELLED"),  # no approved plan
        (replace(STARTED, sessions_attended=0, withdrawn=True), "CANCELLED"),  # nothing attended
        (replace(STARTED, sessions_recorded=3, sessions_attended=0), "CANCELLED"),
    ],
)
def test_where_a_referral_stands(progress: Progress, expected: str) -> None:
    assert rules.status(progress) == expected


def test_cancelled_referrals_need_no_report() -> None:
    assert not rules.needs_report(Progress(withdrawn=True))
    assert rules.needs_report(replace(STARTED, withdrawn=True))


@pytest.mark.parametrize(
    ("deadline", "days", "chosen", "in_category", "field"),
    [
        (date(2026, 11, 22), 5, 1, 1, "completion_deadline"),  # today is not the future
        (date(2026, 11, 23), 0, 1, 1, "max_rar_days"),
        (date(2026, 11, 23), 366, 1, 1, "max_rar_days"),
        (date(2026, 11, 23), 5, 0, 0, "desired_outcomes"),
        (date(2026, 11, 23), 5, 2, 1, "desired_outcomes"),
    ],
)
def test_a_referral_must_be_complete(
    deadline: date, days: int, chosen: int, in_category: int, field: str
) -> None:
    with pytest.raises(rules.ReferralRuleError) as error:
        rules.check_referral(
            completion_deadline=deadline,
            today=date(2026, 11, 22),
            max_rar_days=days,
            outcomes_chosen=chosen,
            outcomes_in_category=in_category,
        )
    assert error.value.field == field
    rules.check_referral(
        completion_deadline=date(2026, 11, 23),
        today=date(2026, 11, 22),
        max_rar_days=365,
        outcomes_chosen=1,
        outcomes_in_category=1,
    )
