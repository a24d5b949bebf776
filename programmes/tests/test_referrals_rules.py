"""The pure rules of a programme referral, at their boundaries: whether the person can
finish the programme before the order or licence ends, weeks waiting, and whether a
programme takes new referrals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from programmes.rules import referrals as rules

TODAY = date(2026, 12, 1)


def test_exactly_enough_weeks_left_can_finish() -> None:
    left = rules.time_left(TODAY, TODAY + timedelta(weeks=12), 12)
    assert left == rules.TimeLeft(weeks_left=12, weeks_needed=12, cannot_finish=False)


def test_one_day_short_cannot_finish() -> None:
    left = rules.time_left(TODAY, TODAY + timedelta(weeks=12, days=-1), 12)
    assert left == rules.TimeLeft(weeks_left=11, weeks_needed=12, cannot_finish=True)


def test_a_day_more_than_enough_can_finish() -> None:
    assert rules.time_left(TODAY, TODAY + timedelta(weeks=12, days=1), 12).cannot_finish is False


def test_unknown_when_the_programme_or_its_length_is_not_known() -> None:
    left = rules.time_left(TODAY, TODAY + timedelta(weeks=2), None)
    assert left == rules.TimeLeft(weeks_left=2, weeks_needed=None, cannot_finish=None)


def test_an_order_already_ended_has_negative_weeks_left_and_cannot_finish() -> None:
    left = rules.time_left(TODAY, TODAY - timedelta(days=1), 1)
    assert (left.weeks_left, left.cannot_finish) == (-1, True)


@pytest.mark.parametrize(
    ("referred_on", "weeks"),
    [
        (TODAY, 0),
        (TODAY - timedelta(days=6), 0),
        (TODAY - timedelta(days=7), 1),
        (TODAY + timedelta(days=3), 0),
    ],
)
def test_weeks_waiting_counts_whole_weeks_and_is_never_negative(referred_on: date, weeks: int) -> None:
    assert rules.weeks_waiting(referred_on, TODAY) == weeks


@pytest.mark.parametrize(
    ("men", "women", "sex", "suits"),
    [
        (True, False, "MALE", True),
        (True, False, "FEMALE", False),
        (False, True, "FEMALE", True),
        (False, True, "MALE", False),
    ],
)
def test_a_programme_suits_the_sex_it_is_open_to(men: bool, women: bool, sex: str, suits: bool) -> None:
    assert rules.suits_sex(men=men, women=women, sex=sex) is suits
