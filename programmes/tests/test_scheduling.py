"""The pure scheduling rules at their boundaries: the start date on or just after a slot
day, a bank holiday on a slot, one-to-ones kept undated in template order, and a move
that cascades, never into the past and never onto a bank holiday."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from programmes.rules import groups as group_rules
from programmes.rules import scheduling as s
from programmes.tests.factories import BUILDING_CHOICES_MODERATE, SHORT_TEMPLATE

MON_10 = s.Slot(0, time(10))
THU_10 = s.Slot(3, time(10))
NO_HOLIDAYS: s.HolidayTest = lambda day: False  # noqa: E731

FOUR = [
    {
        "name": "M",
        "sessions": [
            {"name": "Intro", "kind": "ONE_TO_ONE", "minutes": 60},
            *({"name": f"G{n}", "kind": "GROUP", "minutes": 120} for n in range(1, 4)),
            {"name": "Review", "kind": "ONE_TO_ONE", "minutes": 60},
        ],
    }
]


def _dated(plan: list[s.PlannedSession]) -> list[datetime]:
    return [p.starts_at for p in plan if p.starts_at is not None]


def test_a_start_date_on_a_slot_day_takes_that_days_slot() -> None:
    plan = s.plan_sessions(FOUR, date(2026, 11, 2), [MON_10], NO_HOLIDAYS)  # a Monday
    assert _dated(plan) == [datetime(2026, 11, n, 10) for n in (2, 9, 16)]


def test_a_start_date_just_after_a_slot_day_waits_for_the_next_one() -> None:
    plan = s.plan_sessions(FOUR, date(2026, 11, 3), [MON_10], NO_HOLIDAYS)  # a Tuesday
    assert _dated(plan)[0] == datetime(2026, 11, 9, 10)


def test_two_slots_a_week_alternate_in_time_order() -> None:
    plan = s.plan_sessions(FOUR, date(2026, 11, 3), [THU_10, MON_10], NO_HOLIDAYS)
    assert _dated(plan) == [datetime(2026, 11, 5, 10), datetime(2026, 11, 9, 10), datetime(2026, 11, 12, 10)]


def test_a_bank_holiday_on_a_slot_is_skipped() -> None:
    # Monday 4 May 2026 is the early May bank holiday in England and Wales.
    plan = s.plan_sessions(FOUR, date(2026, 5, 4), [MON_10])
    # 25 May is the spring bank holiday, so the third session waits until 1 June.
    assert _dated(plan) == [datetime(2026, 5, 11, 10), datetime(2026, 5, 18, 10), datetime(2026, 6, 1, 10)]


def test_christmas_and_the_substitute_boxing_day_are_skipped() -> None:
    # 2026: Christmas is a Friday, Boxing Day a Saturday, so Monday 28 December is the holiday.
    plan = s.plan_sessions(FOUR, date(2026, 12, 21), [MON_10, s.Slot(4, time(10))])
    # Friday 25 December, Monday 28 December and Friday 1 January are all bank holidays.
    assert _dated(plan) == [datetime(2026, 12, 21, 10), datetime(2027, 1, 4, 10), datetime(2027, 1, 8, 10)]


def test_one_to_ones_are_undated_placeholders_in_template_order() -> None:
    plan = s.plan_sessions(BUILDING_CHOICES_MODERATE, date(2026, 11, 2), [MON_10, THU_10])
    assert [p.position for p in plan] == list(range(1, len(plan) + 1))
    assert [p.kind for p in plan][:4] == ["ONE_TO_ONE", "GROUP", "GROUP", "ONE_TO_ONE"]
    assert all(p.starts_at is None for p in plan if p.kind == "ONE_TO_ONE")
    assert len(_dated(plan)) == 21
    assert _dated(plan) == sorted(_dated(plan))


def test_a_template_without_group_sessions_cannot_be_planned() -> None:
    with pytest.raises(s.SchedulingError) as refused:
        s.plan_sessions([{"name": "M", "sessions": [FOUR[0]["sessions"][0]]}], date(2026, 11, 2), [MON_10])
    assert refused.value.field == "template"


@pytest.mark.parametrize(
    "slots", [[], [s.Slot(7, time(10))], [MON_10, MON_10]], ids=["none", "no-such-day", "twice"]
)
def test_slots_must_be_real_and_distinct(slots: list[s.Slot]) -> None:
    with pytest.raises(s.SchedulingError) as refused:
        s.plan_sessions(SHORT_TEMPLATE, date(2026, 11, 2), slots)
    assert refused.value.field == "slots"


NOW = datetime(2026, 11, 10, 12)
PLANNED = [datetime(2026, 11, n, 10) for n in (2, 9, 16, 23)]


def test_moving_a_session_later_cascades_the_later_ones_onto_following_slots() -> None:
    moved = s.reschedule(
        PLANNED, 2, datetime(2026, 11, 18, 14), slots=[MON_10], now=NOW, is_holiday=NO_HOLIDAYS
    )
    assert moved == [*PLANNED[:2], datetime(2026, 11, 18, 14), datetime(2026, 11, 23, 10)]
    moved = s.reschedule(
        PLANNED, 2, datetime(2026, 11, 23, 10), slots=[MON_10], now=NOW, is_holiday=NO_HOLIDAYS
    )
    assert moved[3] == datetime(2026, 11, 30, 10)  # keeps its place: the slot after the moved one


def test_the_next_session_waits_for_the_moved_one_to_end() -> None:
    two_slots = [MON_10, s.Slot(0, time(13))]
    planned = [datetime(2026, 11, 16, 10), datetime(2026, 11, 16, 13)]
    moved = s.reschedule(
        planned,
        0,
        datetime(2026, 11, 16, 11),
        slots=two_slots,
        now=NOW,
        length=timedelta(hours=2),
        is_holiday=NO_HOLIDAYS,
    )
    assert moved[1] == datetime(2026, 11, 16, 13)  # 11:00 + 2 hours: the 13:00 slot is free
    moved = s.reschedule(
        planned,
        0,
        datetime(2026, 11, 16, 11, 1),
        slots=two_slots,
        now=NOW,
        length=timedelta(hours=2),
        is_holiday=NO_HOLIDAYS,
    )
    assert moved[1] == datetime(2026, 11, 23, 10)  # it would still be running at 13:00


def test_a_later_session_skips_a_bank_holiday_when_cascaded() -> None:
    planned = [datetime(2026, 12, 14, 10), datetime(2026, 12, 21, 10)]
    moved = s.reschedule(planned, 0, datetime(2026, 12, 22, 10), slots=[MON_10], now=datetime(2026, 12, 1))
    assert moved == [datetime(2026, 12, 22, 10), datetime(2027, 1, 4, 10)]  # 28 Dec is a holiday


def test_a_session_cannot_move_into_the_past() -> None:
    with pytest.raises(s.SchedulingError, match="past"):
        s.reschedule(
            PLANNED, 2, datetime(2026, 11, 10, 11, 59), slots=[MON_10], now=NOW, is_holiday=NO_HOLIDAYS
        )
    # exactly now is not the past
    assert s.reschedule(PLANNED, 2, NOW, slots=[MON_10], now=NOW, is_holiday=NO_HOLIDAYS)[2] == NOW


def test_a_session_cannot_move_onto_a_bank_holiday() -> None:
    with pytest.raises(s.SchedulingError, match="bank holiday"):
        s.reschedule(PLANNED, 3, datetime(2026, 12, 25, 10), slots=[MON_10], now=NOW)


def test_a_session_cannot_move_before_the_one_before_it() -> None:
    with pytest.raises(s.SchedulingError, match="after the one before"):
        s.reschedule(PLANNED, 3, datetime(2026, 11, 16, 10), slots=[MON_10], now=NOW, is_holiday=NO_HOLIDAYS)


def test_suggested_dates_follow_manage_and_delivers_gaps() -> None:
    plan = s.plan_sessions(FOUR, date(2026, 11, 2), [MON_10], NO_HOLIDAYS)
    suggested = s.suggested_one_to_one_dates(plan)
    assert suggested == {1: date(2026, 10, 26), 5: date(2026, 11, 16) + s.REVIEW_AFTER_LAST_SESSION}


@pytest.mark.parametrize(("members", "refused"), [(11, False), (12, True)])
def test_a_group_holds_at_most_twelve(members: int, refused: bool) -> None:
    assert (group_rules.size_refusal(members) is not None) is refused


@pytest.mark.parametrize(
    ("group", "person", "refused"),
    [
        ("MALE", "MALE", False),
        ("MALE", "FEMALE", True),
        ("FEMALE", "FEMALE", False),
        ("FEMALE", "MALE", True),
        ("MIXED", "MALE", False),
        ("MIXED", "FEMALE", False),
    ],
)
def test_sex_of_a_group(group: str, person: str, refused: bool) -> None:
    assert (group_rules.sex_refusal(group, person) is not None) is refused


def test_an_attended_catch_up_counts_for_the_session_it_replaces() -> None:
    assert group_rules.outstanding([1, 2, 3], [1, 9], {9: 2}) == {3}
    assert group_rules.outstanding([1, 2], [1], {9: 2}) == {2}  # a catch-up not attended
