from datetime import date

import pytest

from core.business_days import add_business_days, business_days_between, is_business_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 12, 28), False),  # Boxing Day substitute (26th is a Saturday)
        (date(2022, 9, 19), False),  # State funeral
        (date(2023, 5, 8), False),  # Coronation
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 23), True),
    ],
)
def test_bank_holidays_and_weekends(day: date, expected: bool) -> None:
    assert is_business_day(day) is expected


def test_ten_business_days_skip_weekends_and_easter() -> None:
    # Thursday 2 April 2026 + 10 business days: skips Good Friday, Easter Monday and two weekends.
    assert add_business_days(date(2026, 4, 2), 10) == date(2026, 4, 20)


def test_ten_business_days_over_christmas() -> None:
    assert add_business_days(date(2026, 12, 18), 10) == date(2027, 1, 6)


def test_counting_is_the_inverse_of_adding() -> None:
    start = date(2026, 4, 2)
    assert business_days_between(start, add_business_days(start, 10)) == 10
    assert business_days_between(start, start) == 0
    assert add_business_days(start, 0) == start
