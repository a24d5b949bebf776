"""Planning a group's sessions from its template, and moving one (pure: no Django).

A template is a list of modules, each a list of sessions (``{"name", "kind", "minutes"}``,
kind ``GROUP`` or ``ONE_TO_ONE``). A group meets on weekly slots (a weekday, 0 is Monday,
and a start time). The plan keeps the template's order:

- each GROUP session takes the next slot occurrence on or after the start date, skipping
  bank holidays in England and Wales (nobody is expected to attend on one, and offices
  are closed), so the n-th group session is on the n-th usable slot occurrence;
- each ONE_TO_ONE session is a placeholder, one per member, with no time until a
  facilitator books it, kept at its place in the order.

Moving a group session (``reschedule``) cascades: the group sessions after it take the
slot occurrences that follow its new time, in order, so each keeps its place in the slot
sequence after the moved one. Nothing is moved into the past or onto a bank holiday.

Times here are naive wall-clock times in England and Wales; the service converts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from core.business_days import bank_holidays

GROUP = "GROUP"
ONE_TO_ONE = "ONE_TO_ONE"
KINDS = (GROUP, ONE_TO_ONE)

# HMPPS Accredited Programmes: Manage and Deliver plans the one-to-ones around the group
# sessions with these gaps: the post-group one-to-one about 3 weeks after the first group
# session, and the post-programme review about 6 weeks after the last. They are offered as
# suggested dates for the placeholders; the facilitator books the real time.
ONE_TO_ONE_AFTER_FIRST_SESSION = timedelta(weeks=3)
REVIEW_AFTER_LAST_SESSION = timedelta(weeks=6)

# How far ahead a plan may look for slot occurrences before giving up (a slot list that
# never yields a usable day would otherwise loop for ever): ten years of weeks.
SEARCH_LIMIT_DAYS = 3653

HolidayTest = Callable[[date], bool]


def is_bank_holiday(day: date) -> bool:
    """England and Wales bank holidays, computed offline (``core.business_days``)."""
    return day in bank_holidays(day.year)


class SchedulingError(Exception):
    """A plan or a move that breaks a rule, naming the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Slot:
    weekday: int
    starts_at: time


@dataclass(frozen=True)
class PlannedSession:
    """One session of the plan. ``position`` is its place in the template (1-based);
    ``starts_at`` is None for a one-to-one placeholder."""

    position: int
    module: str
    name: str
    kind: str
    minutes: int
    starts_at: datetime | None


def template_sessions(modules: Sequence[dict[str, Any]]) -> list[PlannedSession]:
    """The template's sessions in order, with no times yet. Refuses a template that
    names an unknown kind or a session without a positive length."""
    found: list[PlannedSession] = []
    for module in modules:
        for session in module.get("sessions", []):
            kind = session.get("kind")
            minutes = session.get("minutes")
            if kind not in KINDS:
                raise SchedulingError("template", f"Unknown session kind {kind!r} in the template")
            if not isinstance(minutes, int) or minutes <= 0:
                raise SchedulingError("template", f"Session {session.get('name')!r} has no length")
            found.append(
                PlannedSession(
                    position=len(found) + 1,
                    module=str(module.get("name", "")),
                    name=str(session.get("name", "")),
                    kind=kind,
                    minutes=minutes,
                    starts_at=None,
                )
            )
    return found


def _check_slots(slots: Sequence[Slot]) -> list[Slot]:
    if not slots:
        raise SchedulingError("slots", "Choose at least one weekly time the group meets")
    if any(not 0 <= s.weekday <= 6 for s in slots):
        raise SchedulingError("slots", "A weekday is 0 (Monday) to 6 (Sunday)")
    if len(set(slots)) != len(slots):
        raise SchedulingError("slots", "Each weekly time can be given only once")
    return sorted(slots, key=lambda s: (s.weekday, s.starts_at))


def slot_occurrences(
    after: datetime, slots: Sequence[Slot], is_holiday: HolidayTest = is_bank_holiday, *, inclusive: bool
) -> Iterator[datetime]:
    """The slots' occurrences in time order from ``after`` (``inclusive``: at or after it;
    otherwise strictly after), bank holidays skipped."""
    ordered = _check_slots(slots)
    day = after.date()
    for offset in range(SEARCH_LIMIT_DAYS):
        current = day + timedelta(days=offset)
        if is_holiday(current):
            continue
        for slot in ordered:
            if slot.weekday != current.weekday():
                continue
            moment = datetime.combine(current, slot.starts_at)
            if moment > after or (inclusive and moment == after):
                yield moment
    raise SchedulingError("slots", "No usable slot occurrence was found")


def plan_sessions(
    modules: Sequence[dict[str, Any]],
    starts_on: date,
    slots: Sequence[Slot],
    is_holiday: HolidayTest = is_bank_holiday,
) -> list[PlannedSession]:
    """Every session of the template in order: group sessions on consecutive usable slot
    occurrences from the start date (that day's slots included), one-to-ones undated."""
    sessions = template_sessions(modules)
    if not any(s.kind == GROUP for s in sessions):
        raise SchedulingError("template", "The template has no group sessions to schedule")
    occurrences = slot_occurrences(datetime.combine(starts_on, time.min), slots, is_holiday, inclusive=True)
    return [
        PlannedSession(s.position, s.module, s.name, s.kind, s.minutes, next(occurrences))
        if s.kind == GROUP
        else s
        for s in sessions
    ]


def check_moment(starts_at: datetime, now: datetime, is_holiday: HolidayTest = is_bank_holiday) -> None:
    """A session may be put only in the future and never on a bank holiday."""
    if starts_at < now:
        raise SchedulingError("starts_at", "A session cannot be moved or booked into the past")
    if is_holiday(starts_at.date()):
        raise SchedulingError("starts_at", f"{starts_at:%d/%m/%Y} is a bank holiday")


def reschedule(
    group_sessions: Sequence[datetime],
    index: int,
    new_start: datetime,
    *,
    slots: Sequence[Slot],
    now: datetime,
    length: timedelta = timedelta(0),
    is_holiday: HolidayTest = is_bank_holiday,
) -> list[datetime]:
    """The group sessions' times (in template order) after moving the one at ``index``.

    The moved session goes to ``new_start`` (in the future, not a bank holiday, and not
    before the session before it: the order is the template's). Each later session
    takes the next slot occurrence after the one before it, so the first after the
    moved one is on the first usable slot once it has ended (``length`` is how long it
    lasts), the second on the one after that, and so on. Earlier sessions are untouched."""
    if not 0 <= index < len(group_sessions):
        raise SchedulingError("session", "No such group session")
    check_moment(new_start, now, is_holiday)
    if index > 0 and new_start <= group_sessions[index - 1]:
        raise SchedulingError(
            "starts_at",
            f"The session must come after the one before it ({group_sessions[index - 1]:%d/%m/%Y %H:%M})",
        )
    later = len(group_sessions) - index - 1
    occurrences = slot_occurrences(new_start + length, slots, is_holiday, inclusive=length > timedelta(0))
    return [*group_sessions[:index], new_start, *(next(occurrences) for _ in range(later))]


def suggested_one_to_one_dates(
    sessions: Sequence[PlannedSession],
) -> dict[int, date]:
    """A suggested date for each one-to-one placeholder, by position: before the first
    group session when it comes first (the pre-group meeting, a week before), the
    post-programme review 6 weeks after the last group session, and any other 3 weeks
    after the first group session or, if later, the week after the group session
    before it (Manage and Deliver's gaps)."""
    dated = [s for s in sessions if s.kind == GROUP and s.starts_at is not None]
    if not dated:
        return {}
    first, last = dated[0].starts_at, dated[-1].starts_at
    assert first is not None and last is not None
    suggested: dict[int, date] = {}
    previous: datetime | None = None
    for session in sessions:
        if session.kind == GROUP:
            previous = session.starts_at
            continue
        if previous is None:
            suggested[session.position] = (first - timedelta(weeks=1)).date()
        elif previous == last:
            suggested[session.position] = (last + REVIEW_AFTER_LAST_SESSION).date()
        else:
            suggested[session.position] = max(
                first + ONE_TO_ONE_AFTER_FIRST_SESSION, previous + timedelta(weeks=1)
            ).date()
    return suggested
