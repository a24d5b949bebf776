from datetime import date

import pytest

from supervision.rules import breach_due_date, breach_was_timely, enforcement_options, live_warning


def test_a_first_failure_may_be_warned_or_breached() -> None:
    options = enforcement_options(date(2026, 11, 22), [])
    assert options.may_warn and not options.must_breach


@pytest.mark.parametrize(
    ("warning", "failure", "must_breach"),
    [
        (date(2025, 11, 23), date(2026, 11, 22), True),  # 1 day inside the 12 months
        (date(2025, 11, 22), date(2026, 11, 22), False),  # the anniversary: outside
        (date(2025, 11, 21), date(2026, 11, 22), False),
        (date(2026, 11, 22), date(2026, 11, 22), True),  # same day
        (date(2026, 11, 23), date(2026, 11, 22), False),  # a later warning does not count
    ],
)
def test_a_warning_in_the_previous_12_months_makes_breach_mandatory(
    warning: date, failure: date, must_breach: bool
) -> None:
    options = enforcement_options(failure, [warning])
    assert options.must_breach is must_breach
    assert options.may_warn is not must_breach


def test_the_latest_live_warning_is_named() -> None:
    assert live_warning(date(2026, 6, 1), [date(2025, 1, 1), date(2026, 1, 1), date(2025, 9, 1)]) == date(
        2026, 1, 1
    )


def test_breach_timeliness_is_ten_business_days() -> None:
    aware = date(2026, 4, 2)  # before Easter
    assert breach_due_date(aware) == date(2026, 4, 20)
    assert breach_was_timely(aware, date(2026, 4, 20))
    assert not breach_was_timely(aware, date(2026, 4, 21))


def test_the_window_is_judged_on_the_day_the_failure_is_dealt_with() -> None:
    # A failure that happened before a warning was given, dealt with after it: the warning counts.
    assert enforcement_options(date(2026, 3, 10), [date(2026, 3, 1)]).must_breach
