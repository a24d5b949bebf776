"""Commencements: how many programme requirements and licence conditions started within
the weeks policy expects, and why the others never started.

Pure: given each referral's facts (when the clock started, when the programme started,
whether and why it closed), it sorts each into one outcome and counts them by quarter and
by reason. The HMPPS ad hoc statistics found 17,066 of 42,483 programme requirements and
licence conditions ending April 2021 to March 2025 never started; this is the measure a
region watches to bring that down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Commencement(StrEnum):
    """One referral's outcome against the commencement measure, as of a day."""

    IN_TIME = "IN_TIME"  # started within the weeks
    LATE = "LATE"  # started, after them
    WAITING = "WAITING"  # not started, open, still within them
    OVERDUE = "OVERDUE"  # not started, open, past them
    NEVER = "NEVER"  # closed without starting: a non-commencement


COMMENCEMENT_LABELS = {
    Commencement.IN_TIME: "Started within the target",
    Commencement.LATE: "Started late",
    Commencement.WAITING: "Not started yet, still in time",
    Commencement.OVERDUE: "Not started, past the target",
    Commencement.NEVER: "Closed without starting",
}


@dataclass(frozen=True)
class ReferralFacts:
    """What the measure reads of one referral. ``clock_from`` is the sentence date (the
    release date for a licence); ``reason`` the coded reason it closed with, if it did."""

    clock_from: date
    started_on: date | None
    closed: bool
    reason: str = ""
    pdu: str = ""


def commencement(facts: ReferralFacts, *, weeks: int, today: date) -> Commencement:
    """Within ``weeks``: the start is on or before the day ``weeks`` weeks after the clock
    started (84 days after for 12 weeks, that day included)."""
    deadline = facts.clock_from + timedelta(weeks=weeks)
    if facts.started_on is not None:
        return Commencement.IN_TIME if facts.started_on <= deadline else Commencement.LATE
    if facts.closed:
        return Commencement.NEVER
    return Commencement.WAITING if today <= deadline else Commencement.OVERDUE


def quarter_of(day: date) -> str:
    """The financial quarter, as HMPPS reports: April to June is Q1 of the year it starts."""
    year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{year}/{str(year + 1)[2:]} Q{quarter}"


@dataclass
class QuarterFigures:
    quarter: str
    counts: Counter[Commencement] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def decided(self) -> int:
        """Referrals whose outcome is settled (all but those still in time)."""
        return self.total - self.counts[Commencement.WAITING]

    @property
    def percent_in_time(self) -> int | None:
        """Of the settled ones, the share started in time, rounded; None when none is settled."""
        return round(100 * self.counts[Commencement.IN_TIME] / self.decided) if self.decided else None


@dataclass(frozen=True)
class CommencementReport:
    quarters: list[QuarterFigures]
    reasons: list[tuple[str, int]]  # non-commencement reason code ("" if none) and count, most first
    by_pdu: list[tuple[str, Counter[Commencement]]]


def report(facts: Iterable[ReferralFacts], *, weeks: int, today: date) -> CommencementReport:
    """Counts by quarter of the clock's start (oldest first), by PDU, and the reasons of
    those that closed without starting."""
    quarters: dict[str, QuarterFigures] = {}
    pdus: dict[str, Counter[Commencement]] = {}
    reasons: Counter[str] = Counter()
    for fact in facts:
        outcome = commencement(fact, weeks=weeks, today=today)
        key = quarter_of(fact.clock_from)
        quarters.setdefault(key, QuarterFigures(key)).counts[outcome] += 1
        pdus.setdefault(fact.pdu, Counter())[outcome] += 1
        if outcome is Commencement.NEVER:
            reasons[fact.reason] += 1
    return CommencementReport(
        quarters=[quarters[k] for k in sorted(quarters)],
        reasons=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        by_pdu=sorted(pdus.items()),
    )
