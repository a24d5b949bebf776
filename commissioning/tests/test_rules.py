"""Framework rules at their boundaries: the term, categories, who a service is open
to, and the two-year regional review."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from commissioning import rules

SERVICE = rules.ServiceFacts(
    geography_level="PCC_AREA",
    region_id="F",
    pcc_area_id="nottinghamshire",
    pdu_id=None,
    allows_female=True,
    allows_male=True,
    minimum_age=18,
    maximum_age=25,
    starts_on=date(2021, 6, 1),
    ends_on=date(2026, 3, 31),
    categories=frozenset({1, 10}),
)
PERSON = rules.PersonFacts(
    sex="MALE", date_of_birth=date(2000, 1, 15), region_id="F", pcc_area_id="nottinghamshire", pdu_id=79
)
ON = date(2025, 1, 15)  # the person's 25th birthday


def test_the_framework_runs_7_years_and_can_be_extended_three_times_by_12_months() -> None:
    assert rules.framework_end(ON) == date(2028, 5, 31)
    assert rules.framework_end(ON, extensions_taken=3) == date(2031, 5, 31)
    with pytest.raises(ValueError, match="at most 3 times"):
        rules.framework_end(ON, extensions_taken=4)
    with pytest.raises(ValueError):
        rules.framework_end(ON, extensions_taken=-1)


@pytest.mark.parametrize(
    ("contract_type", "needs", "maximum_age", "expected"),
    [
        ("ACC", [], None, {1}),
        ("PWB", [], None, {5, 6, 7, 8}),
        ("PWB", [], 25, {5, 6, 7, 8, 10}),
        ("PWB", [], 26, {5, 6, 7, 8}),
        ("FBD-SW", [], None, {3}),
        ("DNR-Y", [], None, {4}),
        ("WOS", ["Accommodation", "Finance Benefits & Debt", "ETE"], None, {9, 1, 3, 2}),
        ("MTR", ["Emotional Wellbeing"], None, {8, 7}),
        ("ETE", ["Education, Training & Employment (1) Low Complexity"], None, {2}),
    ],
)
def test_contract_categories(
    contract_type: str, needs: list[str], maximum_age: int | None, expected: set[int]
) -> None:
    assert rules.categories_for(contract_type, needs, maximum_age) == expected


def test_a_service_meeting_every_condition_is_open() -> None:
    assert rules.why_not_available(SERVICE, PERSON, ON, category=1) == []


@pytest.mark.parametrize(
    ("service", "person", "on", "category", "reason"),
    [
        ({}, {"pcc_area_id": "derbyshire"}, ON, None, "not available where they live"),
        ({"geography_level": "REGION"}, {"region_id": "E"}, ON, None, "not available where they live"),
        ({"geography_level": "PDU", "pdu_id": 80}, {}, ON, None, "not available where they live"),
        ({"allows_male": False}, {}, ON, None, "for women only"),
        ({"allows_female": False}, {"sex": "FEMALE"}, ON, None, "for men only"),
        ({"minimum_age": 26, "maximum_age": None}, {}, ON, None, "aged 26 and over"),
        ({"maximum_age": 24}, {}, ON, None, "aged up to 24"),
        ({"starts_on": date(2025, 1, 16)}, {}, ON, None, "starts on 16 January 2025"),
        ({"ends_on": date(2025, 1, 14)}, {}, ON, None, "no longer taking referrals"),
        ({}, {}, ON, 4, "does not offer that kind of help"),
    ],
)
def test_each_condition_closes_a_service_at_its_boundary(
    service: dict[str, Any], person: dict[str, Any], on: date, category: int | None, reason: str
) -> None:
    found = rules.why_not_available(replace(SERVICE, **service), replace(PERSON, **person), on, category)
    assert len(found) == 1 and reason in found[0]


@pytest.mark.parametrize(
    ("service", "person"),
    [
        ({"maximum_age": 25}, {}),  # 25 today: still within 18 to 25
        ({"minimum_age": 25, "maximum_age": None}, {}),
        ({"starts_on": ON}, {}),
        ({"ends_on": ON}, {}),  # the last day referrals are taken
        ({"geography_level": "NATIONAL", "pcc_area_id": None}, {"pcc_area_id": "kent", "region_id": "K"}),
        ({"geography_level": "LOCAL_AUTHORITY"}, {}),
        ({"ends_on": None}, {}),
    ],
)
def test_each_condition_is_met_just_inside_its_boundary(
    service: dict[str, Any], person: dict[str, Any]
) -> None:
    assert rules.why_not_available(replace(SERVICE, **service), replace(PERSON, **person), ON) == []


def test_age_counts_whole_years_to_the_birthday() -> None:
    assert rules.age_on(date(2000, 1, 15), date(2025, 1, 14)) == 24
    assert rules.age_on(date(2000, 1, 15), date(2025, 1, 15)) == 25
    assert rules.age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24


def test_a_nationally_commissioned_service_is_reviewed_within_two_years() -> None:
    assert rules.review_due(date(2021, 6, 1)) == date(2023, 6, 1)
