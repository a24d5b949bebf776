"""The catalogue's pure rules at their boundaries: template validation, the template in
force, whether a programme takes referrals, and the required delivery suite's gaps."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest

from programmes import constants
from programmes.rules import catalogue as rules
from programmes.tests.factories import BUILDING_CHOICES_MODERATE

POLICY_DAY = date(2021, 6, 26)
BC_DAY = date(2024, 4, 1)
DAY_BEFORE = timedelta(days=1)


def test_the_rule_vocabularies_are_the_constants() -> None:
    assert set(rules.SESSION_KINDS) == set(constants.SessionKind.values)
    assert rules.APPROVED == constants.ApprovalStatus.APPROVED
    assert rules.WITHDRAWN == constants.ApprovalStatus.WITHDRAWN
    assert rules.STRUCTURED == constants.ProgrammeKind.STRUCTURED
    assert {a.value: a.label for a in constants.SI_NEED_AREAS} == rules.SI_NEED_AREA_LABELS
    assert rules.REQUIRED_SUITES[0].si_need_areas == tuple(a.value for a in constants.SI_NEED_AREAS)


# --- Template validation ---------------------------------------------------------------------


def test_the_building_choices_moderate_template_is_valid_with_its_published_totals() -> None:
    assert rules.validate_modules(BUILDING_CHOICES_MODERATE) == {}
    totals = rules.totals(BUILDING_CHOICES_MODERATE)
    assert (totals.group_sessions, totals.one_to_ones) == (21, 6)
    assert (totals.group_minutes, totals.one_to_one_minutes) == (21 * 150, 6 * 60)
    assert len(BUILDING_CHOICES_MODERATE) == 7


def _one_session(**changes: object) -> list[dict[str, object]]:
    session = {"name": "Session", "kind": "GROUP", "minutes": 120, **changes}
    return [{"name": "Module", "sessions": [session]}]


@pytest.mark.parametrize(
    ("modules", "field"),
    [
        ([], "modules"),
        ("not a list", "modules"),
        ([{"name": "Empty", "sessions": []}], "modules.0.sessions"),
        ([{"name": "", "sessions": [{"name": "S", "kind": "GROUP", "minutes": 60}]}], "modules.0.name"),
        (_one_session(kind="WORKSHOP"), "modules.0.sessions.0.kind"),
        (_one_session(minutes=0), "modules.0.sessions.0.minutes"),
        (_one_session(minutes=-5), "modules.0.sessions.0.minutes"),
        (_one_session(minutes="60"), "modules.0.sessions.0.minutes"),
        (_one_session(minutes=True), "modules.0.sessions.0.minutes"),
        (_one_session(minutes=rules.MAXIMUM_SESSION_MINUTES + 1), "modules.0.sessions.0.minutes"),
        (_one_session(name=" "), "modules.0.sessions.0.name"),
    ],
)
def test_a_bad_template_is_refused_naming_the_place(modules: object, field: str) -> None:
    assert field in rules.validate_modules(modules)


def test_the_smallest_valid_template_is_one_session_of_one_minute() -> None:
    assert rules.validate_modules(_one_session(minutes=1, kind="ONE_TO_ONE")) == {}
    assert rules.validate_modules(_one_session(minutes=rules.MAXIMUM_SESSION_MINUTES)) == {}


def test_the_error_names_the_later_module() -> None:
    modules: list[dict[str, Any]] = copy.deepcopy(BUILDING_CHOICES_MODERATE)
    modules[2]["sessions"][0]["minutes"] = 0
    assert list(rules.validate_modules(modules)) == ["modules.2.sessions.0.minutes"]


# --- The template in force ---------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    effective_from: date
    label: str


VERSIONS = [Version(date(2024, 4, 1), "first"), Version(date(2027, 1, 4), "second")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 1) - DAY_BEFORE, None),
        (date(2024, 4, 1), "first"),
        (date(2027, 1, 4) - DAY_BEFORE, "first"),
        (date(2027, 1, 4), "second"),
        (date(2030, 1, 1), "second"),
    ],
)
def test_a_group_uses_the_newest_template_in_force_on_its_start_day(day: date, expected: str | None) -> None:
    found = rules.template_in_force(reversed(VERSIONS), day)
    assert (found.label if found else None) == expected


# --- Taking referrals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    status: str = "APPROVED"
    available_from: date | None = None
    withdrawn_on: date | None = None


@pytest.mark.parametrize(
    ("standing", "day", "accepts"),
    [
        (Standing(), date(2026, 1, 1), True),
        (Standing(available_from=BC_DAY), BC_DAY - DAY_BEFORE, False),
        (Standing(available_from=BC_DAY), BC_DAY, True),
        (Standing(withdrawn_on=date(2026, 6, 1)), date(2026, 5, 31), True),
        (Standing(withdrawn_on=date(2026, 6, 1)), date(2026, 6, 1), False),
        (Standing(status="SUBMITTED"), date(2026, 1, 1), False),
        (Standing(status="REJECTED"), date(2026, 1, 1), False),
        (Standing(status="WITHDRAWN", withdrawn_on=date(2026, 6, 1)), date(2026, 5, 1), False),
        (
            Standing(status="WITHDRAWN", available_from=BC_DAY, withdrawn_on=date(2026, 6, 1)),
            date(2026, 5, 31),
            True,
        ),
        (
            Standing(status="WITHDRAWN", available_from=BC_DAY, withdrawn_on=date(2026, 6, 1)),
            date(2026, 6, 1),
            False,
        ),
    ],
)
def test_accepts_new_referrals(standing: Standing, day: date, accepts: bool) -> None:
    assert rules.accepts_new_referrals(standing, day) is accepts


# --- The required suite --------------------------------------------------------------------------


def _programme(
    code: str, kind: str = "ACCREDITED", area: str = "GENERAL", status: str = "APPROVED", **fields: Any
) -> rules.SuiteProgramme:
    return rules.SuiteProgramme(code=code, name=code, kind=kind, need_area=area, status=status, **fields)


CATALOGUE = {
    p.code: p
    for p in (
        _programme("thinking-skills-programme", area="ATB"),
        _programme("building-better-relationships", area="DA"),
        _programme(
            "building-choices-moderate",
            available_from=BC_DAY,
            replaces=frozenset({"thinking-skills-programme"}),
        ),
        _programme("si-atb", "STRUCTURED", "ATB"),
        _programme("si-da", "STRUCTURED", "DA"),
        _programme("si-em", "STRUCTURED", "EM"),
        _programme("si-em-rejected", "STRUCTURED", "EM", status="REJECTED"),
        _programme("si-em-submitted", "STRUCTURED", "EM", status="SUBMITTED"),
        _programme("si-em-withdrawn", "STRUCTURED", "EM", withdrawn_on=date(2025, 1, 1)),
        _programme(
            "si-em-panel-withdrawn",
            "STRUCTURED",
            "EM",
            status="WITHDRAWN",
            available_from=date(2022, 1, 1),
            withdrawn_on=date(2025, 1, 1),
        ),
        _programme("si-em-later", "STRUCTURED", "EM", available_from=date(2025, 1, 1)),
        _programme("emotions-accredited", "ACCREDITED", "EM"),
    )
}
FULL = ("thinking-skills-programme", "building-better-relationships", "si-atb", "si-da", "si-em")


def _offers(
    *codes: str, starts_on: date = date(2021, 1, 1), ends_on: date | None = None
) -> list[rules.SuiteOffer]:
    return [rules.SuiteOffer(code, "Nottingham City", starts_on, ends_on) for code in codes]


def _keys(gaps: list[rules.SuiteGap]) -> list[str]:
    return [g.key for g in gaps]


def test_before_26_june_2021_nothing_is_required() -> None:
    assert rules.suite_gaps(CATALOGUE, [], POLICY_DAY - DAY_BEFORE) == []


def test_from_26_june_2021_an_empty_suite_names_every_gap() -> None:
    gaps = rules.suite_gaps(CATALOGUE, [], POLICY_DAY)
    assert _keys(gaps) == ["thinking-skills-programme", "building-better-relationships", "ATB", "DA", "EM"]
    assert "Thinking Skills Programme" in gaps[0].message
    assert "emotional management" in gaps[-1].message


def test_the_full_suite_has_no_gaps() -> None:
    assert rules.suite_gaps(CATALOGUE, _offers(*FULL), POLICY_DAY) == []


@pytest.mark.parametrize(("day", "gap"), [(BC_DAY - DAY_BEFORE, True), (BC_DAY, False)])
def test_building_choices_replaces_tsp_only_from_its_date(day: date, gap: bool) -> None:
    without_tsp = [c for c in FULL if c != "thinking-skills-programme"]
    offers = _offers(*without_tsp, "building-choices-moderate")
    assert ("thinking-skills-programme" in _keys(rules.suite_gaps(CATALOGUE, offers, day))) is gap


@pytest.mark.parametrize("area", ["ATB", "DA", "EM"])
def test_each_need_area_needs_its_own_structured_intervention(area: str) -> None:
    missing = {"ATB": "si-atb", "DA": "si-da", "EM": "si-em"}[area]
    offers = _offers(*(c for c in FULL if c != missing))
    assert _keys(rules.suite_gaps(CATALOGUE, offers, POLICY_DAY)) == [area]


@pytest.mark.parametrize("code", ["si-em-rejected", "si-em-submitted", "emotions-accredited"])
def test_a_rejected_submitted_or_accredited_programme_does_not_cover_a_need_area(code: str) -> None:
    offers = _offers(*(c for c in FULL if c != "si-em"), code)
    assert _keys(rules.suite_gaps(CATALOGUE, offers, date(2024, 1, 1))) == ["EM"]


@pytest.mark.parametrize("code", ["si-em-withdrawn", "si-em-panel-withdrawn"])
@pytest.mark.parametrize(("day", "gap"), [(date(2024, 12, 31), False), (date(2025, 1, 1), True)])
def test_a_withdrawn_intervention_stops_counting_on_its_withdrawal_day(
    code: str, day: date, gap: bool
) -> None:
    offers = _offers(*(c for c in FULL if c != "si-em"), code)
    assert ("EM" in _keys(rules.suite_gaps(CATALOGUE, offers, day))) is gap


@pytest.mark.parametrize(("day", "gap"), [(date(2024, 12, 31), True), (date(2025, 1, 1), False)])
def test_an_intervention_counts_from_its_available_date(day: date, gap: bool) -> None:
    offers = _offers(*(c for c in FULL if c != "si-em"), "si-em-later")
    assert ("EM" in _keys(rules.suite_gaps(CATALOGUE, offers, day))) is gap


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "gap"),
    [
        (date(2022, 1, 2), None, True),  # starts the day after
        (date(2022, 1, 1), None, False),  # starts that day
        (date(2021, 1, 1), date(2022, 1, 1), False),  # its last day
        (date(2021, 1, 1), date(2021, 12, 31), True),  # ended the day before
    ],
)
def test_an_offer_counts_only_on_the_days_it_runs(starts_on: date, ends_on: date | None, gap: bool) -> None:
    offers = [
        *_offers(*(c for c in FULL if c != "building-better-relationships")),
        *_offers("building-better-relationships", starts_on=starts_on, ends_on=ends_on),
    ]
    found = _keys(rules.suite_gaps(CATALOGUE, offers, date(2022, 1, 1)))
    assert ("building-better-relationships" in found) is gap


def test_an_offer_of_an_unknown_code_is_ignored() -> None:
    offers = [*_offers(*FULL), rules.SuiteOffer("no-such", "X", date(2021, 1, 1))]
    assert rules.suite_gaps(CATALOGUE, offers, POLICY_DAY) == []


def test_a_withdrawn_tsp_leaves_a_gap_until_its_replacement() -> None:
    withdrawn = {
        **CATALOGUE,
        "thinking-skills-programme": replace(
            CATALOGUE["thinking-skills-programme"], withdrawn_on=date(2023, 1, 1)
        ),
    }
    assert "thinking-skills-programme" in _keys(rules.suite_gaps(withdrawn, _offers(*FULL), date(2023, 1, 1)))
