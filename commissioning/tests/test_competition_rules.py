"""Competition rules at their boundaries: weights, shares, standstill and ranking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commissioning.competitions import rules
from commissioning.competitions.rules import BidMarks


@pytest.mark.parametrize(
    ("weights", "ok"),
    [((60, 30, 10), True), ((60, 30, 11), False), ((101, 0, -1), False), ((0, 100, 0), True)],
)
def test_weights_are_per_competition_and_add_up_to_100(weights: tuple[int, int, int], ok: bool) -> None:
    if ok:
        rules.check_weights(*weights)
    else:
        with pytest.raises(rules.CompetitionRuleError):
            rules.check_weights(*weights)


def test_co_commissioners_shares_leave_the_lead_a_share() -> None:
    assert rules.check_shares([]) == 100
    assert rules.check_shares([40, 30]) == 30
    assert rules.check_shares([99]) == 1
    for bad in ([100], [60, 40], [0]):
        with pytest.raises(rules.CompetitionRuleError):
            rules.check_shares(bad)


def test_standstill_is_10_calendar_days() -> None:
    assert rules.standstill_ends(date(2026, 11, 23)) == date(2026, 12, 3)


def test_price_scores_relative_to_the_lowest_compliant_price() -> None:
    ranked = rules.rank(
        [
            BidMarks(1, Decimal("100000"), quality=80, social_value=50),
            BidMarks(2, Decimal("80000"), quality=60, social_value=50),
            BidMarks(3, Decimal("150001"), quality=100, social_value=100),  # over budget
            BidMarks(4, Decimal("90000"), quality=None, social_value=None),  # not moderated
        ],
        budget=Decimal("150000"),
        weights=(60, 30, 10),
    )
    first, second = ranked[0], ranked[1]
    # Bid 1: quality 48 + price 80000/100000 x 30 = 24 + social value 5 = 77; bid 2: 36 + 30 + 5 = 71.
    assert (first.bid, first.total, first.price_points) == (1, Decimal("77.00"), Decimal("24.00"))
    assert (second.bid, second.total) == (2, Decimal("71.00"))
    assert sorted((r.bid, r.compliant, r.reason) for r in ranked[2:]) == [
        (3, False, "over budget"),
        (4, False, "not yet moderated"),
    ]


def test_ties_go_to_higher_quality_then_lower_price() -> None:
    ranked = rules.rank(
        [
            BidMarks(1, Decimal("100"), 50, 0),
            BidMarks(2, Decimal("100"), 60, 0),
            BidMarks(3, Decimal("100"), 60, 0),
        ],
        budget=Decimal("100"),  # exactly the budget is within it
        weights=(50, 50, 0),
    )
    assert [r.bid for r in ranked] == [2, 3, 1]
    assert all(r.compliant for r in ranked)
