"""Unpaid Work rules, as pure functions: crediting time, the ETE allowance, deadlines
and whether an order is at risk of missing its 12 months. No Django imports.

Sources: Community Payback's AppointmentCalculationService and AppointmentValidationService
(hmpps-community-payback-api), Sentencing Act 2020 Sch 9 para 1 and Sch 10 para 21, and the
reading of crediting in docs/adr/0014-unpaid-work-crediting.md (rules in docs/domain/unpaid-work.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from core.business_days import add_business_days, business_days_between
from core.policy import value_on


class SessionOutcome(StrEnum):
    """How a work session went. Defined here, with no Django, so the crediting rules can name
    them; ``unpaid_work.constants.SessionOutcome`` (the model choices) takes its values from this list."""

    ATTENDED_COMPLIED = "ATTENDED_COMPLIED"
    ATTENDED_FAILED_TO_COMPLY = "ATTENDED_FAILED_TO_COMPLY"
    SENT_HOME_BEHAVIOUR = "SENT_HOME_BEHAVIOUR"
    SENT_HOME_SERVICE = "SENT_HOME_SERVICE"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE"
    UNACCEPTABLE_ABSENCE = "UNACCEPTABLE_ABSENCE"


ATTENDED = frozenset(
    {
        SessionOutcome.ATTENDED_COMPLIED,
        SessionOutcome.ATTENDED_FAILED_TO_COMPLY,
        SessionOutcome.SENT_HOME_BEHAVIOUR,
        SessionOutcome.SENT_HOME_SERVICE,
    }
)
ACCEPTABLE_ABSENCE = SessionOutcome.ACCEPTABLE_ABSENCE
COMPLETION_MONTHS = 12  # Sch 10 para 21: hours to be worked within 12 months
REVIEW_MONTHS = (6, 9)  # every active case reviewed at 6 and 9 months (Target Operating Model, June 2020)
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
    """Minutes left to serve. ``adjustments`` is the net of the order's adjustments: other
    adjustments add time, travel credited under supervision takes it away as work does
    (see ``adjustment_effect``)."""
    return max(0, required + adjustments - credited)


def adjustment_effect(minutes: int, *, is_travel: bool) -> int:
    """How one adjustment changes the time left: credited travel counts against the order
    like work (negative); any other adjustment adds time (Community Payback's "positive")."""
    return -minutes if is_travel else minutes


def hours_text(minutes: int) -> str:
    """Minutes as people say them: "2 hours 6 minutes", "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def check_ete_credit(*, credit: int, allowance: int, ete_credited_elsewhere: int) -> None:
    """ETE time credited never goes past the person's ETE allowance: a session that would
    is refused, with what is left, rather than quietly cut (as Community Payback does)."""
    left = max(0, allowance - ete_credited_elsewhere)
    if credit > left:
        raise SessionRuleError(
            "left_at",
            f"This would credit {hours_text(credit)} of ETE, but only {hours_text(left)} of their "
            f"ETE allowance ({hours_text(allowance)}) is left: record the time up to the allowance",
        )


def check_travel_credit(*, minutes: int, remaining: int) -> None:
    """Travel credited counts towards the hours ordered, so it can never take the total
    of work, ETE and travel past them."""
    if minutes > remaining:
        raise SessionRuleError(
            "minutes",
            f"Only {hours_text(remaining)} of the order is left to serve: travel cannot be "
            "credited beyond the hours the court ordered",
        )


def ete_allowance_minutes(required: int, on: date) -> int:
    """ETE minutes allowed: the policy share of the order, rounded down (as nDelius does)."""
    return required * value_on("upw_ete_allowance_percent", on) // 100


def max_travel_minutes(on: date) -> int:
    return int(value_on("upw_max_travel_minutes", on))


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


def credited_travel_minutes(one_way: int, on: date) -> int:
    """Travel credited for a round trip: only supervised travel counts, and at most the
    policy limit (60 minutes) each way."""
    return 2 * min(max(0, one_way), value_on("upw_max_credited_travel_minutes", on))


@dataclass(frozen=True)
class SessionFacts:
    """What a placement rule needs to know about one session (the candidate excluded)."""

    day: date
    starts_at: datetime  # local time the session starts
    stood_down: bool
    places_left: int
    women_only: bool
    involves_children: bool
    accessible: bool
    others_booked: int
    women_booked: int


@dataclass(frozen=True)
class CandidateFacts:
    """What a placement rule needs to know about the person being placed."""

    available_weekdays: tuple[int, ...]
    female: bool
    child_safeguarding: bool
    needs_accessible: bool
    no_all_male_group: bool
    remaining: int
    ete_used: int
    ete_allowance: int
    journey_minutes: int | None  # None: the journey cannot be worked out
    journey_limit: int
    booked_that_day: bool = False


def session_limit(capacity: int, supervisors: int, people_per_supervisor: int) -> int:
    """Places on a session: the project's capacity, and no more than its supervisors can
    oversee once supervisors are assigned."""
    return min(capacity, supervisors * people_per_supervisor) if supervisors else capacity


UNKNOWN_JOURNEY = "their home postcode or the project's cannot be located, so the journey is unknown"


def placement_problems(
    session: SessionFacts, person: CandidateFacts, *, is_ete: bool, now: datetime | None
) -> list[str]:
    """Every hard rule a booking must meet, in plain English; empty means it may be made.
    Manual booking, the planner and confirming a plan all use this one list, so the
    planner never proposes what confirming would refuse.

    ``now`` (local wall-clock time) is given when booking ahead, by the planner and when
    confirming a plan: a session that has started is then refused. A supervisor booking
    by hand on the register passes None, since they record on the day, or after it, who
    came to work.

    A woman who chose not to work in an all-male group goes only to a women-only project
    or where another woman is booked (the planner may count a woman booked with her in
    the same plan). A journey that cannot be worked out is refused, never waved through."""
    checks = [
        (now is not None and session.starts_at <= now, "the session has already started"),
        (session.stood_down, "the session is stood down"),
        (session.places_left <= 0, "the session is full"),
        (
            bool(person.available_weekdays) and session.day.weekday() not in person.available_weekdays,
            "they are not available that day",
        ),
        (session.women_only and not person.female, "the project is for women only"),
        (
            session.involves_children and person.child_safeguarding,
            "the project involves children and they have a child safeguarding registration",
        ),
        (person.needs_accessible and not session.accessible, "the placement is not accessible"),
        (
            person.no_all_male_group and not session.women_only and session.women_booked == 0,
            "she has chosen not to work in an all-male group and no other woman is booked",
        ),
        (person.booked_that_day, "they are already booked on another session that day"),
        (person.journey_minutes is None, UNKNOWN_JOURNEY),
        (
            person.journey_minutes is not None and person.journey_minutes > person.journey_limit,
            f"the journey is about {person.journey_minutes} minutes each way, over the "
            f"{person.journey_limit}-minute limit",
        ),
        (person.remaining <= 0, "all their hours are done"),
        (is_ete and person.ete_used >= person.ete_allowance, "their ETE allowance is used up"),
    ]
    return [message for failed, message in checks if failed]
