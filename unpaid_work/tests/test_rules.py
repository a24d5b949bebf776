from datetime import date, time

import pytest

from unpaid_work.rules import (
    SessionRuleError,
    check_adjustment,
    credited_minutes,
    deadlines,
    ete_allowance_minutes,
    forecast,
    remaining_minutes,
)

TODAY = date(2026, 11, 22)


def credit(  # noqa: PLR0917 - a test helper with defaults for every field
    outcome: str = "ATTENDED_COMPLIED",
    start: time | None = time(9),
    end: time | None = time(16),
    penalty: int = 0,
    remaining: int = 10_000,
    day: date = TODAY,
) -> int:
    return credited_minutes(
        outcome=outcome,
        start=start,
        end=end,
        penalty=penalty,
        remaining=remaining,
        session_day=day,
        today=TODAY,
    )


def test_credit_is_end_minus_start_minus_penalty() -> None:
    assert credit() == 420
    assert credit(penalty=30) == 390


@pytest.mark.parametrize("outcome", ["ATTENDED_FAILED_TO_COMPLY", "SENT_HOME_BEHAVIOUR", "SENT_HOME_SERVICE"])
def test_every_attended_outcome_earns_the_time_on_site(outcome: str) -> None:
    assert credit(outcome, end=time(11)) == 120


@pytest.mark.parametrize("outcome", ["ACCEPTABLE_ABSENCE", "UNACCEPTABLE_ABSENCE"])
def test_absences_earn_nothing(outcome: str) -> None:
    assert credit(outcome) == 0


def test_credit_never_exceeds_what_remains() -> None:
    assert credit(remaining=60) == 60
    assert credit(remaining=0) == 0


@pytest.mark.parametrize(("penalty", "ok"), [(420, True), (421, False), (-1, False)])
def test_penalty_cannot_exceed_the_session(penalty: int, ok: bool) -> None:
    if ok:
        assert credit(penalty=penalty) == 0
    else:
        with pytest.raises(SessionRuleError):
            credit(penalty=penalty)


def test_end_must_follow_start() -> None:
    with pytest.raises(SessionRuleError, match="after the start"):
        credit(start=time(10), end=time(10))


def test_future_sessions_only_take_acceptable_absence() -> None:
    tomorrow = date(2026, 11, 23)
    assert credit("ACCEPTABLE_ABSENCE", day=tomorrow) == 0
    with pytest.raises(SessionRuleError, match="future"):
        credit("UNACCEPTABLE_ABSENCE", day=tomorrow)
    assert credit(day=TODAY) == 420  # today is not the future


def test_remaining_includes_adjustments() -> None:
    assert remaining_minutes(required=6000, adjustments=120, credited=600) == 5520
    assert remaining_minutes(required=60, adjustments=0, credited=90) == 0


@pytest.mark.parametrize(("on", "allowance"), [(date(2024, 5, 15), 1200), (date(2024, 5, 16), 1800)])
def test_ete_allowance_is_30_percent_under_current_guidance(on: date, allowance: int) -> None:
    assert ete_allowance_minutes(6000, on) == allowance


def test_ete_allowance_rounds_down() -> None:
    assert ete_allowance_minutes(2401, TODAY) == 720  # 720.3 -> 720


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (180, True), (181, False)])
def test_adjustments_are_at_most_180_minutes(minutes: int, ok: bool) -> None:
    if ok:
        check_adjustment(minutes, TODAY)
    else:
        with pytest.raises(SessionRuleError):
            check_adjustment(minutes, TODAY)


def test_deadlines_use_business_days_and_months() -> None:
    d = deadlines(date(2026, 4, 2))  # Thursday before Easter
    assert d.assessment_due == date(2026, 4, 20)
    assert d.first_session_due == date(2026, 4, 27)
    assert d.reviews == (date(2026, 10, 2), date(2027, 1, 2))
    assert d.complete_by == date(2027, 4, 1)


def test_forecast_flags_orders_that_cannot_finish_in_time() -> None:
    complete_by = date(2027, 1, 29)  # about 9.6 working weeks away
    assert not forecast(remaining=0, booked_minutes_per_week=0, today=TODAY, complete_by=complete_by).at_risk
    assert forecast(remaining=600, booked_minutes_per_week=0, today=TODAY, complete_by=complete_by).at_risk
    assert not forecast(
        remaining=3000, booked_minutes_per_week=420, today=TODAY, complete_by=complete_by
    ).at_risk
    assert forecast(remaining=6000, booked_minutes_per_week=420, today=TODAY, complete_by=complete_by).at_risk


def test_an_order_past_its_12_months_with_hours_left_is_at_risk() -> None:
    result = forecast(remaining=60, booked_minutes_per_week=600, today=TODAY, complete_by=date(2026, 11, 21))
    assert result.at_risk and "ended on 21 November 2026" in result.reason
