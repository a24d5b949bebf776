"""Unpaid Work rules, as pure functions: crediting time, the ETE allowance, deadlines
and whether an order is at risk of missing its 12 months. No Django imports.

Sources: domain.md 5.2-5.5 (Community Payback's AppointmentCalculationService and
AppointmentValidationService), Sentencing Act 2020 Sch 10 para 21, seed 004.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from core.business_days import add_business_days, business_days_between
from core.policy import value_on

ATTENDED = frozenset(
    {"ATTENDED_COMPLIED", "ATTENDED_FAILED_TO_COMPLY", "SENT_HOME_BEHAVIOUR", "SENT_HOME_SERVICE"}
)
ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE"
COMPLETION_MONTHS = 12  # Sch 10 para 21: hours to be worked within 12 months
REVIEW_MONTHS = (6, 9)  # every active case reviewed at 6 and 9 months (seed 004)
BUSINESS_DAYS_A_WEEK = 5


class SessionRuleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def minutes_between(start: time, end: time) -> int:
    """Whole minutes from one time of day to a later one (negative if end is earlier)."""
    return int((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds() // 60)


def credited_minutes(
    *,
    outcome: str,
    start: time | None,
    end: time | None,
    penalty: int,
    remaining: int,
    session_day: date,
    today: date,
) -> int:
    """Minutes credited for one session: end - start - penalty, only for attended
    outcomes, never more than what remains. Future sessions take only acceptable absence."""
    if session_day > today and outcome != ACCEPTABLE_ABSENCE:
        raise SessionRuleError(
            "outcome", "A session in the future can only be recorded as an acceptable absence"
        )
    if outcome not in ATTENDED:
        return 0
    if start is None or end is None:
        raise SessionRuleError("start", "Enter the start and end times for someone who attended")
    length = minutes_between(start, end)
    if length <= 0:
        raise SessionRuleError("end", "The end time must be after the start time")
    if not 0 <= penalty <= length:
        raise SessionRuleError("penalty", "Penalty time cannot be negative or longer than the time on site")
    return max(0, min(length - penalty, remaining))


def remaining_minutes(*, required: int, adjustments: int, credited: int) -> int:
    return max(0, required + adjustments - credited)


def ete_allowance_minutes(required: int, on: date) -> int:
    """ETE minutes allowed: the policy share of the order, rounded down (as nDelius does)."""
    return required * value_on("upw_ete_allowance_percent", on) // 100


def check_adjustment(minutes: int, on: date) -> None:
    limit = value_on("upw_max_adjustment_minutes", on)
    if not 1 <= minutes <= limit:
        raise SessionRuleError("minutes", f"An adjustment must be between 1 and {limit} minutes")


@dataclass(frozen=True)
class Deadlines:
    assessment_due: date
    first_session_due: date
    reviews: tuple[date, ...]
    complete_by: date


def deadlines(sentenced_on: date) -> Deadlines:
    return Deadlines(
        assessment_due=add_business_days(
            sentenced_on, value_on("upw_assessment_business_days", sentenced_on)
        ),
        first_session_due=add_business_days(
            sentenced_on, value_on("upw_first_session_business_days", sentenced_on)
        ),
        reviews=tuple(sentenced_on + relativedelta(months=m) for m in REVIEW_MONTHS),
        complete_by=sentenced_on + relativedelta(months=COMPLETION_MONTHS) - relativedelta(days=1),
    )


@dataclass(frozen=True)
class Forecast:
    weeks_needed: float | None
    weeks_left: float
    at_risk: bool
    reason: str


def forecast(*, remaining: int, booked_minutes_per_week: float, today: date, complete_by: date) -> Forecast:
    """Will the hours still to work fit before the 12 months end, at the person's booked rate?"""
    weeks_left = business_days_between(today, complete_by) / BUSINESS_DAYS_A_WEEK
    if remaining == 0:
        return Forecast(0.0, weeks_left, False, "All hours worked")
    if today > complete_by:
        return Forecast(
            None, 0.0, True, f"The 12 months ended on {complete_by:%-d %B %Y} with hours still to work"
        )
    if booked_minutes_per_week <= 0:
        return Forecast(None, weeks_left, True, "Hours remain and nothing is booked")
    weeks_needed = remaining / booked_minutes_per_week
    at_risk = weeks_needed > weeks_left
    reason = f"{weeks_needed:.1f} weeks of work left at the booked rate, {weeks_left:.1f} weeks before the 12 months end"
    return Forecast(weeks_needed, weeks_left, at_risk, reason)
