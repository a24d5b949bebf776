from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from unpaid_work import rules
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


# --- Placement rules (shared by booking and the planner) -------------------------------------

NOW = datetime(2026, 11, 22, 18, 0)  # the Sunday evening before
SESSION = rules.SessionFacts(
    day=date(2026, 11, 23),  # a Monday
    starts_at=datetime(2026, 11, 23, 9, 0),
    stood_down=False,
    places_left=1,
    women_only=False,
    involves_children=False,
    accessible=False,
    others_booked=0,
    women_booked=0,
)
CANDIDATE = rules.CandidateFacts(
    available_weekdays=(),
    female=False,
    child_safeguarding=False,
    needs_accessible=False,
    no_all_male_group=False,
    remaining=420,
    ete_used=0,
    ete_allowance=1800,
    journey_minutes=90,
    journey_limit=90,
)


def test_a_placement_meeting_every_rule_has_no_problems() -> None:
    assert rules.placement_problems(SESSION, CANDIDATE, is_ete=True, now=NOW) == []


@pytest.mark.parametrize(
    ("session", "candidate", "is_ete", "problem"),
    [
        ({"stood_down": True}, {}, False, "stood down"),
        ({"places_left": 0}, {}, False, "full"),
        ({}, {"available_weekdays": (1, 2)}, False, "not available"),
        ({"women_only": True}, {}, False, "women only"),
        ({"involves_children": True}, {"child_safeguarding": True}, False, "child safeguarding"),
        ({}, {"needs_accessible": True}, False, "not accessible"),
        ({"others_booked": 3}, {"female": True, "no_all_male_group": True}, False, "all-male group"),
        # Alone on an empty session, men could be booked after her: she needs another woman.
        ({"others_booked": 0}, {"female": True, "no_all_male_group": True}, False, "all-male group"),
        ({}, {"journey_minutes": None}, False, "journey is unknown"),  # refused everywhere alike
        ({}, {"booked_that_day": True}, False, "already booked on another session that day"),
        ({}, {"journey_minutes": 91}, False, "91 minutes each way, over the 90-minute limit"),
        ({}, {"remaining": 0}, False, "hours are done"),
        ({}, {"ete_used": 1800}, True, "ETE allowance is used up"),
    ],
)
def test_each_placement_rule_refuses_at_its_boundary(
    session: dict[str, Any], candidate: dict[str, Any], is_ete: bool, problem: str
) -> None:
    found = rules.placement_problems(
        replace(SESSION, **session), replace(CANDIDATE, **candidate), is_ete=is_ete, now=NOW
    )
    assert len(found) == 1 and problem in found[0]


@pytest.mark.parametrize(
    ("session", "candidate", "is_ete"),
    [
        ({"places_left": 1}, {}, False),
        ({}, {"available_weekdays": (0,)}, False),  # available on Mondays
        ({"women_only": True}, {"female": True}, False),
        ({"involves_children": True}, {}, False),
        ({"accessible": True}, {"needs_accessible": True}, False),
        ({"others_booked": 3, "women_booked": 1}, {"female": True, "no_all_male_group": True}, False),
        ({"women_only": True, "others_booked": 3}, {"female": True, "no_all_male_group": True}, False),
        ({}, {"journey_minutes": 90}, False),
        ({}, {"remaining": 1}, False),
        ({}, {"ete_used": 1799}, True),
        ({}, {"ete_used": 1800}, False),  # the allowance only limits ETE sessions
    ],
)
def test_each_placement_rule_allows_just_inside_its_boundary(
    session: dict[str, Any], candidate: dict[str, Any], is_ete: bool
) -> None:
    assert (
        rules.placement_problems(
            replace(SESSION, **session), replace(CANDIDATE, **candidate), is_ete=is_ete, now=NOW
        )
        == []
    )


def test_supervisors_limit_a_sessions_places() -> None:
    assert rules.session_limit(8, 0, 6) == 8  # none assigned yet: the project's capacity
    assert rules.session_limit(8, 1, 6) == 6
    assert rules.session_limit(8, 2, 6) == 8


@pytest.mark.parametrize(("one_way", "credited"), [(0, 0), (30, 60), (60, 120), (61, 120), (90, 120)])
def test_credited_travel_is_at_most_60_minutes_each_way(one_way: int, credited: int) -> None:
    assert rules.credited_travel_minutes(one_way, date(2026, 11, 23)) == credited


# --- Crediting adds up (ADR 0014) --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "started"),
    [
        (datetime(2026, 11, 23, 8, 59), False),  # a minute before the start: may still be booked
        (datetime(2026, 11, 23, 9, 0), True),  # the session has started
        (datetime(2026, 11, 24, 9, 0), True),  # in the past
    ],
)
def test_a_session_that_has_started_is_never_booked_or_proposed(now: datetime, started: bool) -> None:
    found = rules.placement_problems(SESSION, CANDIDATE, is_ete=False, now=now)
    assert (found == ["the session has already started"]) is started


@pytest.mark.parametrize(
    ("credit", "elsewhere", "ok"),
    [
        (720, 0, True),  # exactly the whole allowance (30% of 40 hours = 12 hours)
        (721, 0, False),  # one minute over
        (300, 420, True),  # exactly what is left
        (301, 420, False),
        (0, 720, True),  # nothing credited once it is used up
    ],
)
def test_ete_credit_never_exceeds_the_allowance(credit: int, elsewhere: int, ok: bool) -> None:
    allowance = ete_allowance_minutes(2400, TODAY)
    assert allowance == 720
    if ok:
        rules.check_ete_credit(credit=credit, allowance=allowance, ete_credited_elsewhere=elsewhere)
    else:
        with pytest.raises(SessionRuleError, match="ETE allowance") as error:
            rules.check_ete_credit(credit=credit, allowance=allowance, ete_credited_elsewhere=elsewhere)
        assert (
            error.value.field == "left_at" and rules.hours_text(allowance - elsewhere) in error.value.message
        )


@pytest.mark.parametrize(("minutes", "remaining", "ok"), [(120, 120, True), (121, 120, False), (1, 0, False)])
def test_travel_is_never_credited_past_the_hours_ordered(minutes: int, remaining: int, ok: bool) -> None:
    if ok:
        rules.check_travel_credit(minutes=minutes, remaining=remaining)
    else:
        with pytest.raises(SessionRuleError, match="beyond the hours the court ordered"):
            rules.check_travel_credit(minutes=minutes, remaining=remaining)


def test_travel_credited_reduces_the_time_left_as_work_does() -> None:
    travel = rules.adjustment_effect(120, is_travel=True)
    other = rules.adjustment_effect(60, is_travel=False)
    assert remaining_minutes(required=2400, adjustments=travel, credited=600) == 2400 - 600 - 120
    assert remaining_minutes(required=2400, adjustments=other, credited=600) == 2400 - 600 + 60
    # Work and travel together exactly the hours ordered: nothing left, never below zero.
    assert remaining_minutes(required=2400, adjustments=travel, credited=2280) == 0


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0 minutes"), (45, "45 minutes"), (60, "1 hour"), (126, "2 hours 6 minutes")]
)
def test_minutes_read_as_hours_and_minutes(minutes: int, text: str) -> None:
    assert rules.hours_text(minutes) == text


def test_now_is_compared_in_local_wall_clock_time() -> None:
    """The rules take naive local times; a session an hour away is still open."""
    assert not rules.placement_problems(
        SESSION, CANDIDATE, is_ete=False, now=SESSION.starts_at - timedelta(hours=1)
    )
