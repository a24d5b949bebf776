"""Pure rules of a programme referral (no Django, no database): whether the person can
still finish the programme before their order or licence ends, how long they have waited,
and whether a programme is open to a referral for them.

"Cannot finish in time" mirrors HMPPS Accredited Programmes: Manage and Deliver, which
warns at referral and on the waitlist when the time left on the order is shorter than
the programme takes; the programme's usual length is its ``typical_weeks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from people.rules import Sex

DAYS_IN_A_WEEK = 7


def weeks_between(start: date, end: date) -> int:
    """Whole weeks from ``start`` to ``end`` (rounded down; negative when ``end`` is past)."""
    return (end - start).days // DAYS_IN_A_WEEK


@dataclass(frozen=True)
class TimeLeft:
    """The time left on the order or licence against the programme's length.

    ``cannot_finish`` is None when it cannot be known: no programme is chosen yet, or
    the programme's usual length is not known."""

    weeks_left: int
    weeks_needed: int | None
    cannot_finish: bool | None


def time_left(today: date, must_finish_by: date, weeks_needed: int | None) -> TimeLeft:
    """Flags a referral that cannot finish in time: fewer days remain before
    ``must_finish_by`` than the programme's weeks need. Exactly enough days is enough."""
    left = weeks_between(today, must_finish_by)
    if weeks_needed is None:
        return TimeLeft(left, None, None)
    days_left = (must_finish_by - today).days
    return TimeLeft(left, weeks_needed, days_left < weeks_needed * DAYS_IN_A_WEEK)


def weeks_waiting(referred_on: date, today: date) -> int:
    """Whole weeks since the referral was made (0 in its first week, never negative)."""
    return max(0, weeks_between(referred_on, today))


def suits_sex(*, men: bool, women: bool, sex: str) -> bool:
    """Whether a programme is open to a person of this recorded sex ("MALE" or "FEMALE")."""
    return men if sex == Sex.MALE else women
