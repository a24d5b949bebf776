"""The catalogue the data migration loads: what is published is exact, what is not says
so, Building Choices replaces TSP from its date, legacy courses are withdrawn."""

from __future__ import annotations

from datetime import date

import pytest

from programmes.constants import ApprovalStatus, Eligibility, Intensity, NeedArea, ProgrammeKind
from programmes.models import Programme, SessionTemplate
from programmes.rules import catalogue as rules
from programmes.selectors import catalogue as selectors

pytestmark = pytest.mark.django_db


def test_building_choices_moderate_is_published_with_its_modules() -> None:
    programme = Programme.objects.get(code="building-choices-moderate")
    template = selectors.template_in_force(programme, date(2026, 1, 1))
    assert template is not None and template.published
    assert [m["name"] for m in template.modules] == [
        "Pre-group",
        "Getting started",
        "Managing myself",
        "Managing life's problems",
        "Managing people around me",
        "Bringing it all together",
        "Post programme review",
    ]
    counts = [
        (
            sum(s["kind"] == "GROUP" for s in m["sessions"]),
            sum(s["kind"] == "ONE_TO_ONE" for s in m["sessions"]),
        )
        for m in template.modules
    ]
    assert counts == [(0, 1), (2, 1), (6, 1), (4, 1), (6, 1), (3, 0), (0, 1)]
    totals = rules.totals(template.modules)
    assert (totals.group_sessions, totals.group_minutes, totals.one_to_ones, totals.one_to_one_minutes) == (
        21,
        21 * 150,
        6,
        6 * 60,
    )


def test_every_published_template_is_valid_and_every_other_says_what_is_known() -> None:
    for template in SessionTemplate.objects.select_related("programme"):
        if template.published:
            assert rules.validate_modules(template.modules) == {}, template
        else:
            assert template.modules == [] and template.note, template
    tsp = SessionTemplate.objects.get(programme__code="thinking-skills-programme")
    assert not tsp.published
    assert "15 group" in tsp.note and "4 one-to-one" in tsp.note and "Not published" in tsp.note


def test_the_catalogue_holds_the_reference_list() -> None:
    codes = set(Programme.objects.values_list("code", flat=True))
    assert {
        "building-choices-high",
        "building-choices-moderate",
        "thinking-skills-programme",
        "building-better-relationships",
        "horizon",
        "ihorizon",
        "kaizen",
        "new-me-strengths",
        "becoming-new-me-plus",
        "resolve",
        "building-skills-for-recovery",
        "si-attitudes-thinking-behaviour",
        "si-domestic-abuse",
        "si-emotional-management",
    } <= codes
    bbr = Programme.objects.get(code="building-better-relationships")
    assert (bbr.need_area, bbr.eligibility, bbr.men, bbr.women) == (
        NeedArea.DOMESTIC_ABUSE,
        Eligibility.IPV_SARA_MEDIUM_PLUS,
        True,
        False,
    )
    high = Programme.objects.get(code="building-choices-high")
    assert (high.intensity, high.eligibility, high.typical_weeks) == (
        Intensity.HIGH,
        Eligibility.PNI_HIGH_INTENSITY,
        25,
    )
    for area in ("ATB", "DA", "EM"):
        assert Programme.objects.filter(
            kind=ProgrammeKind.STRUCTURED, need_area=area, status=ApprovalStatus.APPROVED
        ).exists()


def test_building_choices_replaces_tsp_from_its_date_and_legacy_courses_are_withdrawn() -> None:
    tsp = Programme.objects.get(code="thinking-skills-programme")
    replacing = set(tsp.replaced_by.values_list("code", flat=True))
    assert replacing == {"building-choices-moderate", "building-choices-high"}
    assert {p.available_from for p in tsp.replaced_by.all()} == {date(2024, 4, 1)}
    assert selectors.accepts_new_referrals(tsp, date(2026, 1, 1))
    for code in ("resolve", "sotp", "enhanced-thinking-skills", "calm"):
        legacy = Programme.objects.get(code=code)
        assert legacy.withdrawn_on is not None
        assert not selectors.accepts_new_referrals(legacy, date(2026, 1, 1))
