from datetime import date

import pytest

from sentences.rules import (
    CurfewPattern,
    LimitError,
    check_attendance_centre,
    check_community_order_length,
    check_curfew,
    check_rar_days,
    check_suspended_sentence,
    check_unpaid_work_hours,
    end_of_period,
    pss_end,
)

BEFORE_PCSC = date(2022, 6, 27)
AFTER_PCSC = date(2022, 6, 28)


@pytest.mark.parametrize(("hours", "ok"), [(39, False), (40, True), (300, True), (301, False)])
def test_unpaid_work_hours_are_40_to_300(hours: int, ok: bool) -> None:
    if ok:
        check_unpaid_work_hours(hours)
    else:
        with pytest.raises(LimitError):
            check_unpaid_work_hours(hours)


@pytest.mark.parametrize(("others", "ok"), [((160,), True), ((161,), False), ((100, 60), True)])
def test_unpaid_work_from_one_occasion_totals_at_most_300(others: tuple[int, ...], ok: bool) -> None:
    if ok:
        check_unpaid_work_hours(140, others)
    else:
        with pytest.raises(LimitError, match="301"):
            check_unpaid_work_hours(140, others)


def test_rar_needs_at_least_one_day() -> None:
    check_rar_days(1)
    with pytest.raises(LimitError):
        check_rar_days(0)


@pytest.mark.parametrize(
    ("hours", "convicted", "ok"),
    [
        (1.5, AFTER_PCSC, False),
        (2, AFTER_PCSC, True),
        (16, BEFORE_PCSC, True),
        (16.5, BEFORE_PCSC, False),
        (20, AFTER_PCSC, True),
        (20.5, AFTER_PCSC, False),
    ],
)
def test_curfew_daily_hours(hours: float, convicted: date, ok: bool) -> None:
    # Three days a week keeps the weekly total within 112 so only the daily limit is tested.
    pattern = CurfewPattern(daily_hours=(hours, hours, hours, 0, 0, 0, 0), months=6)
    if ok:
        check_curfew(pattern, convicted)
    else:
        with pytest.raises(LimitError):
            check_curfew(pattern, convicted)


def test_curfew_of_20_hours_a_day_is_allowed_after_pcsc_within_112_a_week() -> None:
    check_curfew(CurfewPattern(daily_hours=(20, 20, 20, 20, 20, 12, 0), months=6), AFTER_PCSC)  # 112
    with pytest.raises(LimitError, match="112"):
        check_curfew(CurfewPattern(daily_hours=(20, 20, 20, 20, 20, 13, 0), months=6), AFTER_PCSC)  # 113


@pytest.mark.parametrize(
    ("months", "convicted", "ok"),
    [(12, BEFORE_PCSC, True), (13, BEFORE_PCSC, False), (24, AFTER_PCSC, True), (25, AFTER_PCSC, False)],
)
def test_curfew_period(months: int, convicted: date, ok: bool) -> None:
    pattern = CurfewPattern(daily_hours=(8, 8, 8, 8, 8, 8, 8), months=months)
    if ok:
        check_curfew(pattern, convicted)
    else:
        with pytest.raises(LimitError):
            check_curfew(pattern, convicted)


@pytest.mark.parametrize(("born", "ok"), [(date(2001, 11, 23), True), (date(2001, 11, 22), False)])
def test_attendance_centre_only_under_25(born: date, ok: bool) -> None:
    convicted = date(2026, 11, 22)
    if ok:
        check_attendance_centre(born, convicted)
    else:
        with pytest.raises(LimitError):
            check_attendance_centre(born, convicted)


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (36, True), (37, False)])
def test_community_order_at_most_3_years(months: int, ok: bool) -> None:
    if ok:
        check_community_order_length(months)
    else:
        with pytest.raises(LimitError):
            check_community_order_length(months)


@pytest.mark.parametrize(
    ("sentenced", "operational", "ok"),
    [
        (date(2026, 3, 21), 24, True),
        (date(2026, 3, 21), 25, False),
        (date(2026, 3, 22), 36, True),
        (date(2026, 3, 22), 37, False),
        (date(2026, 3, 22), 5, False),
    ],
)
def test_sso_operational_period_by_sentence_date(sentenced: date, operational: int, ok: bool) -> None:
    if ok:
        check_suspended_sentence(180, operational, 6, sentenced)
    else:
        with pytest.raises(LimitError):
            check_suspended_sentence(180, operational, 6, sentenced)


def test_sso_custodial_term_and_supervision_period() -> None:
    sentenced = date(2026, 11, 22)
    check_suspended_sentence(14, 12, None, sentenced)
    with pytest.raises(LimitError):
        check_suspended_sentence(13, 12, None, sentenced)
    check_suspended_sentence(
        731, 12, None, sentenced
    )  # exactly 2 years from 22/11/2026 (2028 is a leap year)
    with pytest.raises(LimitError):
        check_suspended_sentence(732, 12, None, sentenced)
    with pytest.raises(LimitError, match="within the operational period"):
        check_suspended_sentence(180, 12, 13, sentenced)


def test_end_of_period() -> None:
    assert end_of_period(date(2026, 3, 1), 12) == date(2027, 2, 28)
    assert end_of_period(date(2026, 11, 22), 12) == date(2027, 11, 21)


def test_pss_applies_to_short_sentences_for_adults_offending_after_feb_2015() -> None:
    common = {
        "sentenced_on": date(2026, 1, 5),
        "offence_on": date(2025, 6, 1),
        "date_of_birth": date(1990, 1, 1),
        "released_on": date(2026, 4, 5),
    }
    assert pss_end(sentence_days=180, **common) == date(2027, 4, 4)
    assert pss_end(sentence_days=1, **common) is None
    assert pss_end(sentence_days=730, **common) is None  # 2 years: no PSS
    assert pss_end(sentence_days=180, **(common | {"offence_on": date(2015, 1, 31)})) is None
    assert pss_end(sentence_days=180, **(common | {"date_of_birth": date(2008, 6, 1)})) is None
