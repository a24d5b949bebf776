from datetime import date

import pytest

from unpaid_work.travel import (
    StraightLineTravel,
    canonical_postcode,
    estimate_from_distance,
    postcode_location,
)

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("ng11aa", "NG1 1AA"), (" NG7 4EP ", "NG7 4EP"), ("SW1A1AA", "SW1A 1AA"), ("not a postcode", None)],
)
def test_postcodes_are_normalised(raw: str, canonical: str | None) -> None:
    assert canonical_postcode(raw) == canonical


def test_real_postcodes_are_located_from_code_point_open() -> None:
    assert postcode_location("NG1 1AA") == (457804, 340087)
    assert postcode_location("ZZ9 9ZZ") is None


def test_a_short_walk_across_nottingham() -> None:
    estimate = StraightLineTravel().estimate("NG1 1AA", "NG7 4EP", "WALK", TODAY)
    assert (
        estimate is not None
        and 20 <= estimate.minutes <= 40
        and estimate.within_limit
        and not estimate.near_limit
    )


def test_leeds_is_beyond_the_limit_by_bus_from_nottingham() -> None:
    estimate = StraightLineTravel().estimate("NG1 1AA", "LS1 4DY", "PUBLIC_TRANSPORT", TODAY)
    assert estimate is not None and not estimate.within_limit


@pytest.mark.parametrize(
    ("km", "minutes", "near"), [(10.0, 59, False), (16.0, 88, True), (18.0, 98, True), (25.0, 132, False)]
)
def test_the_model_arithmetic_and_the_near_limit_flag(km: float, minutes: int, near: bool) -> None:
    # Public transport: km x 1.3 / 16 km/h x 60 + 10 minutes.
    estimate = estimate_from_distance(km, "PUBLIC_TRANSPORT", TODAY)
    assert estimate.minutes == minutes and estimate.near_limit is near
