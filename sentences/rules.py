"""Legal limits on sentences and requirements, and their end dates. Pure.

Each limit cites its source. A rule that has changed over time reads its value
for the relevant date from ``core.policy``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from core.policy import value_on

# Sentencing Act 2020 Sch 9 para 2: unpaid work hours "not less than 40, and not more than 300".
UNPAID_WORK_MIN_HOURS = 40
UNPAID_WORK_MAX_HOURS = 300
# Sch 9 para 3(3): aggregate non-concurrent hours from one sentencing occasion at most 300.
UNPAID_WORK_MAX_HOURS_PER_OCCASION = 300
# Sch 10 para 21 / Sch 16 para 27: unpaid work to be done within 12 months (extendable).
UNPAID_WORK_PERIOD_MONTHS = 12
# Sch 9 para 4: the maximum number of RAR days must be specified (Sentencing Council: minimum 1).
RAR_MIN_DAYS = 1
# Sch 9 para 9: curfew at least 2 hours a day and at most 112 hours in any 7 days.
CURFEW_MIN_DAILY_HOURS = 2
CURFEW_MAX_WEEKLY_HOURS = 112
# Sch 9 para 20: attendance centre requirement only for offenders aged under 25.
ATTENDANCE_CENTRE_MAX_AGE = 24
# Sch 9 para 20: attendance centre hours in aggregate at least 12 and at most 36.
ATTENDANCE_CENTRE_MIN_HOURS = 12
ATTENDANCE_CENTRE_MAX_HOURS = 36
# s.209: a community order lasts at most 3 years.
COMMUNITY_ORDER_MAX_MONTHS = 36
# s.264 and s.288: an SSO suspends a custodial term of 14 days to 2 years; the operational
# period is at least 6 months; the supervision period falls within it.
SSO_MIN_CUSTODIAL_DAYS = 14
SSO_MAX_CUSTODIAL_MONTHS = 24
SSO_MIN_OPERATIONAL_MONTHS = 6
# CJA 2003 s.256AA: post-sentence supervision ends 12 months after release, for sentences
# of more than 1 day and less than 2 years, offences on or after 1 February 2015, aged 18+.
PSS_LENGTH_MONTHS = 12
PSS_MAX_SENTENCE_MONTHS = 24
PSS_OFFENCE_FROM = date(2015, 2, 1)
PSS_MIN_AGE_AT_RELEASE = 18


class LimitError(ValueError):
    """A value outside its legal limit; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def end_of_period(start: date, months: int) -> date:
    """The last day of a period of ``months`` starting on ``start`` (a 12-month order from
    1 March 2026 ends on 28 February 2027)."""
    return start + relativedelta(months=months) - timedelta(days=1)


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def check_unpaid_work_hours(hours: int, other_hours_same_occasion: Iterable[int] = ()) -> None:
    if not UNPAID_WORK_MIN_HOURS <= hours <= UNPAID_WORK_MAX_HOURS:
        raise LimitError(
            "hours", f"Unpaid work must be between {UNPAID_WORK_MIN_HOURS} and {UNPAID_WORK_MAX_HOURS} hours"
        )
    total = hours + sum(other_hours_same_occasion)
    if total > UNPAID_WORK_MAX_HOURS_PER_OCCASION:
        raise LimitError(
            "hours",
            f"Unpaid work from one sentencing occasion cannot exceed {UNPAID_WORK_MAX_HOURS_PER_OCCASION} "
            f"non-concurrent hours in total (this would make {total})",
        )


def check_rar_days(days: int) -> None:
    if days < RAR_MIN_DAYS:
        raise LimitError("days", "A rehabilitation activity requirement must have at least 1 day")


@dataclass(frozen=True)
class CurfewPattern:
    daily_hours: tuple[float, ...]  # hours on each curfew day in a 7-day week (0 for none)
    months: int


def check_curfew(pattern: CurfewPattern, convicted_on: date) -> None:
    max_daily = value_on("curfew_max_daily_hours", convicted_on)
    for hours in pattern.daily_hours:
        if hours and not CURFEW_MIN_DAILY_HOURS <= hours <= max_daily:
            raise LimitError(
                "daily_hours", f"Curfew must be between {CURFEW_MIN_DAILY_HOURS} and {max_daily} hours a day"
            )
    if sum(pattern.daily_hours) > CURFEW_MAX_WEEKLY_HOURS:
        raise LimitError("daily_hours", f"Curfew cannot exceed {CURFEW_MAX_WEEKLY_HOURS} hours in any 7 days")
    max_months = value_on("curfew_max_period_months", convicted_on)
    if not 1 <= pattern.months <= max_months:
        raise LimitError("months", f"Curfew can last at most {max_months} months for this conviction date")


def check_attendance_centre(
    date_of_birth: date, convicted_on: date, hours: int = ATTENDANCE_CENTRE_MIN_HOURS
) -> None:
    if age_on(date_of_birth, convicted_on) > ATTENDANCE_CENTRE_MAX_AGE:
        raise LimitError(
            "type", "An attendance centre requirement is only for people aged under 25 when convicted"
        )
    if not ATTENDANCE_CENTRE_MIN_HOURS <= hours <= ATTENDANCE_CENTRE_MAX_HOURS:
        raise LimitError(
            "amount",
            f"Attendance centre hours must be between {ATTENDANCE_CENTRE_MIN_HOURS} and {ATTENDANCE_CENTRE_MAX_HOURS}",
        )


def check_community_order_length(months: int) -> None:
    if not 1 <= months <= COMMUNITY_ORDER_MAX_MONTHS:
        raise LimitError("length_months", "A community order lasts at most 3 years")


def check_suspended_sentence(
    custodial_days: int, operational_months: int, supervision_months: int | None, sentenced_on: date
) -> None:
    longest = (sentenced_on + relativedelta(months=SSO_MAX_CUSTODIAL_MONTHS) - sentenced_on).days
    if not SSO_MIN_CUSTODIAL_DAYS <= custodial_days <= longest:
        raise LimitError("custodial_days", "A suspended custodial term must be between 14 days and 2 years")
    max_operational = value_on("sso_max_operational_period_months", sentenced_on)
    if not SSO_MIN_OPERATIONAL_MONTHS <= operational_months <= max_operational:
        raise LimitError(
            "operational_months",
            f"The operational period must be between {SSO_MIN_OPERATIONAL_MONTHS} and {max_operational} months",
        )
    if supervision_months is not None and not 1 <= supervision_months <= operational_months:
        raise LimitError(
            "supervision_months", "The supervision period must fall within the operational period"
        )


def pss_end(
    *, sentenced_on: date, sentence_days: int, offence_on: date, date_of_birth: date, released_on: date
) -> date | None:
    """When post-sentence supervision ends, or None where it does not apply."""
    two_years = (sentenced_on + relativedelta(months=PSS_MAX_SENTENCE_MONTHS) - sentenced_on).days
    if not 1 < sentence_days < two_years:
        return None
    if offence_on < PSS_OFFENCE_FROM or age_on(date_of_birth, released_on) < PSS_MIN_AGE_AT_RELEASE:
        return None
    return end_of_period(released_on, PSS_LENGTH_MONTHS)
