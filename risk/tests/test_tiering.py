"""Boundary tests for risk.tiering: one test per rule, on both sides of every threshold.

Expected values are typed out from docs/domain/risk.md and hmpps-tier here, never read back from the module, so a
wrong constant in tiering.py fails a test.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from risk.tiering import (
    DcSrp,
    DcSrpBand,
    Mappa,
    Need,
    NeedSeverity,
    Ogrs4Predictor,
    Predictors,
    PredictorType,
    Registration,
    Rosh,
    Sex,
    TierInputError,
    TierInputs,
    WomensFactors,
    calculate_tier,
    change,
    change_level_for,
    need_severity,
    protect,
    protect_level_for,
    v3_tier,
)

AS_OF = date(2026, 6, 15)
STATIC, DYNAMIC = PredictorType.STATIC, PredictorType.DYNAMIC


def predictors(
    *,
    arp: float | None = 0.0,
    csrp: float | None = 0.0,
    arp_type: PredictorType = DYNAMIC,
    csrp_type: PredictorType = DYNAMIC,
    dc_srp: DcSrp | None = None,
    rsr: float | None = None,
    ogrs3: float | None = None,
) -> Predictors:
    return Predictors(
        arp=None if arp is None else Ogrs4Predictor(arp, arp_type),
        csrp=None if csrp is None else Ogrs4Predictor(csrp, csrp_type),
        dc_srp=dc_srp,
        rsr=rsr,
        ogrs3=ogrs3,
    )


def build(**overrides: Any) -> TierInputs:
    """A supervised man, RoSH low, dynamic ARP/CSRP of 0 (tier G), no factors: change one thing per test."""
    fields: dict[str, Any] = {
        "as_of": AS_OF,
        "has_active_event": True,
        "sex": Sex.MALE,
        "rosh": Rosh.LOW,
        "mappa": None,
        "predictors": predictors(),
        "registrations": frozenset(),
        "latest_release_date": None,
        "ever_sexual_offence": False,
        "needs": {},
        "womens_factors": None,
        "breach_or_recall_within_year": False,
        "mandate_for_change": True,
    }
    fields.update(overrides)
    if "registrations" in overrides:
        fields["registrations"] = frozenset(overrides["registrations"])
    return TierInputs(**fields)


def tier_of(**overrides: Any) -> str:
    return v3_tier(build(**overrides))[0]


def provisional_of(**overrides: Any) -> bool:
    return v3_tier(build(**overrides))[1]


# --- V3 reoffending table: CSRP rows x ARP columns, typed from docs/domain/risk.md --------------------
ROW_FLOORS = [6.9, 3.0, 1.0, 0.5, 0.0]
COLUMN_FLOORS = [90.0, 75.0, 50.0, 25.0, 15.0, 0.0]
TABLE = [
    ["A", "A", "B", "B", "B", "B"],
    ["A", "B", "C", "C", "C", "C"],
    ["B", "C", "D", "E", "E", "E"],
    ["C", "D", "E", "E", "F", "F"],
    ["D", "D", "E", "F", "F", "G"],
]


@pytest.mark.parametrize(
    ("csrp", "arp", "expected"),
    [(r, c, TABLE[i][j]) for i, r in enumerate(ROW_FLOORS) for j, c in enumerate(COLUMN_FLOORS)],
)
def test_every_table_cell_at_its_lower_boundary(csrp: float, arp: float, expected: str) -> None:
    assert tier_of(predictors=predictors(arp=arp, csrp=csrp)) == expected


@pytest.mark.parametrize(
    ("csrp", "arp", "expected"),
    [
        (round(ROW_FLOORS[i] - 0.01, 2), c, TABLE[i + 1][j])
        for i in range(len(ROW_FLOORS) - 1)
        for j, c in enumerate(COLUMN_FLOORS)
    ],
)
def test_csrp_just_below_a_row_boundary_falls_to_the_next_row(csrp: float, arp: float, expected: str) -> None:
    assert tier_of(predictors=predictors(arp=arp, csrp=csrp)) == expected


@pytest.mark.parametrize(
    ("csrp", "arp", "expected"),
    [
        (r, round(COLUMN_FLOORS[j] - 0.01, 2), TABLE[i][j + 1])
        for i, r in enumerate(ROW_FLOORS)
        for j in range(len(COLUMN_FLOORS) - 1)
    ],
)
def test_arp_just_below_a_column_boundary_falls_to_the_next_column(
    csrp: float, arp: float, expected: str
) -> None:
    assert tier_of(predictors=predictors(arp=arp, csrp=csrp)) == expected


@pytest.mark.parametrize(
    ("csrp", "arp", "expected"), [(6.89, 89.99, "B"), (6.9, 89.99, "A"), (6.9, 100.0, "A"), (100.0, 0.0, "B")]
)
def test_named_table_edges(csrp: float, arp: float, expected: str) -> None:
    assert tier_of(predictors=predictors(arp=arp, csrp=csrp)) == expected


def test_reoffending_reason_names_both_predictors_and_their_bands() -> None:
    _, _, reasons = v3_tier(build(predictors=predictors(arp=78.0, csrp=3.2)))
    assert reasons == [
        "Tier B: the combined serious reoffending predictor is 3.2% (3.0 or more) "
        "and the all reoffending predictor is 78% (75 or more)."
    ]


def test_tier_g_reason_says_the_predictors_are_below_the_lowest_bands() -> None:
    tier, provisional, reasons = v3_tier(build(predictors=predictors(arp=14.99, csrp=0.49)))
    assert (tier, provisional) == ("G", False)
    assert reasons == [
        "Tier G: the combined serious reoffending predictor is 0.49% (below 0.5) "
        "and the all reoffending predictor is 14.99% (below 15)."
    ]


# --- V3 DC-SRP ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("band", "score", "expected"),
    [
        (DcSrpBand.VERY_HIGH, 0.01, "A"),
        (DcSrpBand.HIGH, 0.01, "B"),
        (DcSrpBand.LOW, 0.01, "E"),
        (DcSrpBand.MEDIUM, 100.0, "C"),
        (DcSrpBand.MEDIUM, 3.36, "C"),
        (DcSrpBand.MEDIUM, 3.35, "D"),
        (DcSrpBand.MEDIUM, 2.11, "D"),
        (DcSrpBand.MEDIUM, 2.10, "C"),
        (DcSrpBand.MEDIUM, 1.12, "C"),
        (DcSrpBand.MEDIUM, 1.11, "D"),
        (DcSrpBand.MEDIUM, 0.60, "D"),
    ],
)
def test_dc_srp_band_rules(band: DcSrpBand, score: float, expected: str) -> None:
    assert tier_of(predictors=predictors(dc_srp=DcSrp(score, band))) == expected


@pytest.mark.parametrize(
    "dc_srp",
    [
        None,
        DcSrp(2.11, DcSrpBand.NOT_APPLICABLE),
        DcSrp(0.0, DcSrpBand.VERY_HIGH),
        DcSrp(0.0, DcSrpBand.MEDIUM),
    ],
)
def test_dc_srp_without_a_usable_score_and_band_is_ignored(dc_srp: DcSrp | None) -> None:
    assert tier_of(predictors=predictors(dc_srp=dc_srp)) == "G"


@pytest.mark.parametrize("score", [0.59, 0.01])
def test_medium_dc_srp_below_0_60_is_rejected_naming_the_field(score: float) -> None:
    with pytest.raises(TierInputError) as error:
        v3_tier(build(predictors=predictors(dc_srp=DcSrp(score, DcSrpBand.MEDIUM))))
    assert error.value.field == "predictors.dc_srp.score"
    with pytest.raises(TierInputError):  # even when not supervised: bad data is bad data
        calculate_tier(
            build(has_active_event=False, predictors=predictors(dc_srp=DcSrp(score, DcSrpBand.MEDIUM)))
        )


def test_dc_srp_reason_names_the_band_and_score() -> None:
    _, _, reasons = v3_tier(build(predictors=predictors(dc_srp=DcSrp(5.31, DcSrpBand.VERY_HIGH))))
    assert reasons == ["Tier A: the direct contact sexual reoffending predictor is very high (5.31%)."]


# --- V3 MAPPA and RoSH --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("category", "rosh", "expected"),
    [
        (1, Rosh.VERY_HIGH, "A"),
        (2, Rosh.HIGH, "C"),
        (3, Rosh.MEDIUM, "D"),
        (4, Rosh.LOW, "E"),
        (1, None, "E"),
        (None, Rosh.VERY_HIGH, "C"),
        (None, Rosh.HIGH, "D"),
        (None, Rosh.MEDIUM, "G"),
        (None, Rosh.LOW, "G"),
        (None, None, "G"),
    ],
)
def test_mappa_rosh_step(category: int | None, rosh: Rosh | None, expected: str) -> None:
    mappa = None if category is None else Mappa(category=category, level=1)
    assert tier_of(mappa=mappa, rosh=rosh) == expected


def test_mappa_rosh_reason_names_category_and_rosh() -> None:
    _, _, reasons = v3_tier(build(mappa=Mappa(2, 1), rosh=Rosh.VERY_HIGH))
    assert reasons == ["Tier A: MAPPA category 2 and RoSH is very high."]


# --- V3 lifer / IPP -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("released", "expected"),
    [
        (AS_OF, "B"),
        (date(2025, 6, 15), "B"),  # exactly 1 year before: on or after
        (date(2025, 6, 14), "D"),  # one day earlier
        (date(2021, 6, 15), "D"),  # exactly 5 years before
        (date(2021, 6, 14), "E"),
        (date(2001, 1, 1), "E"),
    ],
)
def test_lifer_ipp_release_date_boundaries(released: date, expected: str) -> None:
    assert tier_of(registrations={Registration.LIFER_IPP}, latest_release_date=released) == expected


@pytest.mark.parametrize(("released", "expected"), [(date(2027, 2, 28), "B"), (date(2027, 2, 27), "D")])
def test_lifer_ipp_one_year_before_29_february_is_28_february(released: date, expected: str) -> None:
    inputs = build(
        as_of=date(2028, 2, 29), registrations={Registration.LIFER_IPP}, latest_release_date=released
    )
    assert v3_tier(inputs)[0] == expected


def test_lifer_ipp_needs_both_registration_and_release_date() -> None:
    assert tier_of(registrations={Registration.LIFER_IPP}, latest_release_date=None) == "G"
    assert tier_of(latest_release_date=AS_OF) == "G"


# --- V3 other steps -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("registrations", "sexual_offence", "expected", "named"),
    [
        ({Registration.DOMESTIC_ABUSE}, False, "E", "domestic abuse"),
        ({Registration.STALKING}, False, "F", "stalking"),
        ({Registration.CHILD_PROTECTION}, False, "F", "child protection"),
        (set(), True, "E", "sexual offence"),
        ({Registration.STALKING, Registration.DOMESTIC_ABUSE}, False, "E", "domestic abuse"),
        ({Registration.MENTAL_HEALTH, Registration.IOM, Registration.CHILD_CONCERNS}, False, "G", "0%"),
    ],
)
def test_registration_and_sexual_offence_steps(
    registrations: set[Registration], sexual_offence: bool, expected: str, named: str
) -> None:
    tier, _, reasons = v3_tier(build(registrations=registrations, ever_sexual_offence=sexual_offence))
    assert tier == expected
    assert reasons[0].startswith(f"Tier {expected}:")
    assert named in reasons[0]


def test_highest_step_wins_and_every_deciding_step_is_named() -> None:
    tier, _, reasons = v3_tier(
        build(
            predictors=predictors(arp=50.0, csrp=1.0),  # D
            rosh=Rosh.HIGH,  # D without MAPPA
            registrations={Registration.STALKING},  # F
        )
    )
    assert tier == "D"
    assert len(reasons) == 2
    assert "combined serious reoffending predictor is 1%" in reasons[0]
    assert reasons[1] == "Tier D: RoSH is high (no MAPPA)."


def test_not_supervised_without_an_active_event() -> None:
    assert v3_tier(build(has_active_event=False, rosh=None, predictors=predictors(arp=None))) == (
        "NOT_SUPERVISED",
        False,
        ["Tier NOT_SUPERVISED: there is no active event under supervision."],
    )


@pytest.mark.parametrize(
    ("arp", "csrp", "named"),
    [
        (None, 3.2, "all reoffending predictor is missing"),
        (90.0, None, "combined serious reoffending predictor is missing"),
        (None, None, "predictors are missing"),
    ],
)
def test_missing_when_arp_or_csrp_is_absent(arp: float | None, csrp: float | None, named: str) -> None:
    tier, provisional, reasons = v3_tier(build(rosh=None, predictors=predictors(arp=arp, csrp=csrp)))
    assert (tier, provisional) == ("MISSING", False)
    assert named in reasons[0]


# --- V3 provisional flag ------------------------------------------------------------------------
def test_dynamic_predictors_with_rosh_are_not_provisional() -> None:
    assert provisional_of(predictors=predictors(arp=90.0, csrp=6.9)) is False


@pytest.mark.parametrize(
    ("mappa", "rosh", "expected"),
    [
        (None, Rosh.HIGH, True),  # others give D (below A)
        (Mappa(1, 1), Rosh.HIGH, True),  # others give C
        (Mappa(1, 1), Rosh.VERY_HIGH, False),  # others give A
    ],
)
def test_both_static_is_provisional_unless_another_step_gives_a(
    mappa: Mappa | None, rosh: Rosh, expected: bool
) -> None:
    p = predictors(arp=90.0, csrp=6.9, arp_type=STATIC, csrp_type=STATIC)
    assert provisional_of(predictors=p, mappa=mappa, rosh=rosh) is expected


def test_both_static_a_from_dc_srp_is_final() -> None:
    p = predictors(
        arp=0.0, csrp=0.0, arp_type=STATIC, csrp_type=STATIC, dc_srp=DcSrp(0.01, DcSrpBand.VERY_HIGH)
    )
    assert v3_tier(build(predictors=p))[:2] == ("A", False)


@pytest.mark.parametrize(
    ("mappa", "rosh", "expected"),
    [
        (None, Rosh.HIGH, True),  # others give D; CSRP 0.5 row at ARP max is C
        (Mappa(1, 1), Rosh.HIGH, False),  # others give C: reaches C
    ],
)
def test_only_arp_static_uses_the_first_column_of_the_csrp_row(
    mappa: Mappa | None, rosh: Rosh, expected: bool
) -> None:
    p = predictors(arp=0.0, csrp=0.5, arp_type=STATIC)
    assert provisional_of(predictors=p, mappa=mappa, rosh=rosh) is expected


@pytest.mark.parametrize(
    ("dc_srp", "expected"),
    [
        (DcSrp(3.36, DcSrpBand.MEDIUM), True),  # C: below B
        (DcSrp(0.01, DcSrpBand.HIGH), False),  # B: reaches B (ARP 25 column at CSRP max)
    ],
)
def test_only_csrp_static_uses_the_first_row_of_the_arp_column(dc_srp: DcSrp, expected: bool) -> None:
    p = predictors(arp=25.0, csrp=0.0, csrp_type=STATIC, dc_srp=dc_srp)
    assert provisional_of(predictors=p) is expected


def test_static_provisional_reason_names_the_static_predictor() -> None:
    _, provisional, reasons = v3_tier(build(predictors=predictors(arp=0.0, csrp=0.5, arp_type=STATIC)))
    assert provisional is True
    assert reasons[-1] == (
        "Provisional: the all reoffending predictor is static and no other rule reaches tier C "
        "(the others give G)."
    )


@pytest.mark.parametrize(
    ("arp", "csrp", "arp_type", "dc_srp", "expected"),
    [
        (50.0, 6.9, DYNAMIC, None, True),  # table B only
        (90.0, 6.9, DYNAMIC, None, False),  # dynamic table A counts
        (90.0, 6.9, STATIC, None, True),  # a static table A does not count
        (0.0, 0.0, DYNAMIC, DcSrp(0.01, DcSrpBand.VERY_HIGH), False),
    ],
)
def test_missing_rosh_with_mappa_is_provisional_unless_a_without_mappa_rosh(
    arp: float, csrp: float, arp_type: PredictorType, dc_srp: DcSrp | None, expected: bool
) -> None:
    p = predictors(arp=arp, csrp=csrp, arp_type=arp_type, dc_srp=dc_srp)
    assert provisional_of(rosh=None, mappa=Mappa(1, 3), predictors=p) is expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"predictors": predictors(arp=75.0, csrp=0.0)}, True),  # D
        ({"predictors": predictors(arp=90.0, csrp=0.5)}, False),  # dynamic C
        ({"predictors": predictors(arp=90.0, csrp=0.5, csrp_type=STATIC)}, True),  # static C ignored
        ({"predictors": predictors(dc_srp=DcSrp(1.12, DcSrpBand.MEDIUM))}, False),  # C
        ({"predictors": predictors(dc_srp=DcSrp(1.11, DcSrpBand.MEDIUM))}, True),  # D
        ({"registrations": {Registration.LIFER_IPP}, "latest_release_date": AS_OF}, False),  # B
        ({"ever_sexual_offence": True}, True),  # E
    ],
)
def test_missing_rosh_without_mappa_is_provisional_unless_c_or_higher(
    overrides: dict[str, Any], expected: bool
) -> None:
    assert provisional_of(rosh=None, **overrides) is expected


def test_missing_rosh_reason_and_present_rosh_contrast() -> None:
    _, provisional, reasons = v3_tier(build(rosh=None, predictors=predictors(arp=75.0)))
    assert provisional is True
    assert reasons[-1].startswith("Provisional: RoSH is missing for a case without MAPPA")
    assert provisional_of(rosh=Rosh.LOW, predictors=predictors(arp=75.0)) is False


# --- V2 protect ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rsr", "points"),
    [(None, 0), (0.0, 0), (2.99, 0), (3.00, 10), (6.99, 10), (7.00, 20), (99.99, 20), (100.0, 0)],
)
def test_protect_rsr_points(rsr: float | None, points: int) -> None:
    assert protect(build(rosh=None, predictors=predictors(rsr=rsr)))[1] == points


@pytest.mark.parametrize(
    ("rosh", "points", "level"),
    [
        (None, 0, "D"),
        (Rosh.LOW, 0, "D"),
        (Rosh.MEDIUM, 10, "C"),
        (Rosh.HIGH, 20, "B"),
        (Rosh.VERY_HIGH, 150, "A"),
    ],
)
def test_protect_rosh_points(rosh: Rosh | None, points: int, level: str) -> None:
    assert protect(build(rosh=rosh))[:2] == (level, points)


@pytest.mark.parametrize(("level", "points"), [(1, 5), (2, 150), (3, 150)])
def test_protect_mappa_level_points(level: int, points: int) -> None:
    assert protect(build(mappa=Mappa(category=1, level=level)))[1] == points


COMPLEXITY = [
    Registration.MENTAL_HEALTH,
    Registration.SELF_HARM,
    Registration.VULNERABILITY,
    Registration.CHILD_CONCERNS,
    Registration.CHILD_PROTECTION,
    Registration.RISK_TO_CHILDREN,
    Registration.PUBLIC_INTEREST,
    Registration.ADULT_AT_RISK,
    Registration.STREET_GANGS,
    Registration.TERRORISM,
]


@pytest.mark.parametrize("registration", COMPLEXITY)
def test_each_complexity_factor_is_2_points(registration: Registration) -> None:
    assert protect(build(registrations={registration}))[1] == 2


@pytest.mark.parametrize(
    "registration",
    [Registration.DOMESTIC_ABUSE, Registration.STALKING, Registration.IOM, Registration.LIFER_IPP],
)
def test_non_complexity_registrations_score_no_protect_points(registration: Registration) -> None:
    assert protect(build(registrations={registration}))[1] == 0


def test_all_complexity_factors_add_up() -> None:
    assert protect(build(registrations=set(COMPLEXITY)))[:2] == ("B", 20)


@pytest.mark.parametrize(
    ("sex", "factors", "breach", "points"),
    [
        (Sex.FEMALE, WomensFactors(True, False), False, 2),
        (Sex.FEMALE, WomensFactors(False, True), False, 2),
        (Sex.FEMALE, WomensFactors(True, True), False, 4),
        (Sex.FEMALE, WomensFactors(False, False), True, 2),
        (Sex.FEMALE, WomensFactors(True, True), True, 6),
        (Sex.FEMALE, None, True, 2),  # no assessment: breach still counts
        (Sex.FEMALE, None, False, 0),
        (Sex.MALE, WomensFactors(True, True), True, 0),  # men: neither factors nor breach
    ],
)
def test_womens_factors_doubled_and_breach(
    sex: Sex, factors: WomensFactors | None, breach: bool, points: int
) -> None:
    inputs = build(sex=sex, womens_factors=factors, breach_or_recall_within_year=breach)
    assert protect(inputs)[1] == points


@pytest.mark.parametrize(
    ("rsr", "rosh", "points"),
    [
        (3.0, Rosh.HIGH, 20),  # 10 + 20 - 10
        (7.0, Rosh.MEDIUM, 20),  # 20 + 10 - 10
        (7.0, Rosh.HIGH, 20),  # 20 + 20 - 20
        (3.0, Rosh.VERY_HIGH, 150),  # 10 + 150 - 10
        (7.0, Rosh.LOW, 20),  # 20 + 0 - 0
    ],
)
def test_only_the_higher_of_rsr_and_rosh_counts(rsr: float, rosh: Rosh, points: int) -> None:
    _, total, parts = protect(build(rosh=rosh, predictors=predictors(rsr=rsr)))
    assert total == points
    assert any("only the higher of RSR and RoSH" in p for p in parts) is (rosh is not Rosh.LOW)


@pytest.mark.parametrize(
    ("points", "level"),
    [(0, "D"), (9, "D"), (10, "C"), (19, "C"), (20, "B"), (149, "B"), (150, "A"), (500, "A")],
)
def test_protect_level_thresholds(points: int, level: str) -> None:
    assert protect_level_for(points) == level


@pytest.mark.parametrize(
    ("overrides", "points", "level"),
    [
        ({"mappa": Mappa(1, 1), "registrations": set(COMPLEXITY[:2])}, 9, "D"),
        ({"rosh": Rosh.MEDIUM}, 10, "C"),
        ({"rosh": Rosh.MEDIUM, "mappa": Mappa(1, 1), "registrations": set(COMPLEXITY[:2])}, 19, "C"),
        ({"rosh": Rosh.HIGH}, 20, "B"),
        ({"mappa": Mappa(1, 2)}, 150, "A"),
    ],
)
def test_protect_level_thresholds_through_inputs(overrides: dict[str, Any], points: int, level: str) -> None:
    assert protect(build(**overrides))[:2] == (level, points)


# --- V2 change ----------------------------------------------------------------------------------
def test_no_mandate_for_change_is_level_0() -> None:
    assert change(build(mandate_for_change=False, needs=None, predictors=predictors(ogrs3=99.0))) == (
        0,
        0,
        ["no mandate for change"],
    )


def test_no_valid_assessment_is_level_2_with_0_points() -> None:
    level, points, parts = change(build(needs=None, predictors=predictors(ogrs3=99.0)))
    assert (level, points) == (2, 0)
    assert "no valid assessment" in parts[0]


@pytest.mark.parametrize(
    ("need", "standard", "severe"),
    [
        (Need.ACCOMMODATION, 1, 2),
        (Need.ETE, 1, 2),
        (Need.RELATIONSHIPS, 1, 2),
        (Need.LIFESTYLE, 1, 2),
        (Need.DRUGS, 1, 2),
        (Need.ALCOHOL, 1, 2),
        (Need.THINKING_AND_BEHAVIOUR, 2, 4),
        (Need.ATTITUDES, 2, 4),
        (Need.FINANCE, 0, 0),
        (Need.EMOTIONAL_WELLBEING, 0, 0),
    ],
)
def test_need_weights_times_severity(need: Need, standard: int, severe: int) -> None:
    assert change(build(needs={need: NeedSeverity.NONE}))[1] == 0
    assert change(build(needs={need: NeedSeverity.STANDARD}))[1] == standard
    assert change(build(needs={need: NeedSeverity.SEVERE}))[1] == severe


@pytest.mark.parametrize(
    ("ogrs3", "points"),
    [(None, 0), (0.0, 0), (9.99, 0), (10.0, 1), (79.0, 7), (79.99, 7), (80.0, 8), (100.0, 10)],
)
def test_ogrs3_points_are_floored_tenths(ogrs3: float | None, points: int) -> None:
    assert change(build(predictors=predictors(ogrs3=ogrs3)))[1] == points


def test_iom_is_2_change_points() -> None:
    assert change(build(registrations={Registration.IOM}))[1] == 2
    assert change(build(registrations={Registration.MENTAL_HEALTH}))[1] == 0


@pytest.mark.parametrize(("points", "level"), [(0, 1), (9, 1), (10, 2), (19, 2), (20, 3), (99, 3)])
def test_change_level_thresholds(points: int, level: int) -> None:
    assert change_level_for(points) == level


SEVERE_TB_AND_ATTITUDES = {
    Need.THINKING_AND_BEHAVIOUR: NeedSeverity.SEVERE,
    Need.ATTITUDES: NeedSeverity.SEVERE,
}


@pytest.mark.parametrize(
    ("needs", "ogrs3", "iom", "points", "level"),
    [
        ({}, 99.0, False, 9, 1),
        ({}, 100.0, False, 10, 2),
        (SEVERE_TB_AND_ATTITUDES, 99.0, True, 19, 2),  # 4 + 4 + 9 + 2
        (SEVERE_TB_AND_ATTITUDES | {Need.ETE: NeedSeverity.STANDARD}, 99.0, True, 20, 3),
    ],
)
def test_change_level_thresholds_through_inputs(
    needs: dict[Need, NeedSeverity], ogrs3: float, iom: bool, points: int, level: int
) -> None:
    registrations = {Registration.IOM} if iom else set()
    inputs = build(needs=needs, predictors=predictors(ogrs3=ogrs3), registrations=registrations)
    assert change(inputs)[:2] == (level, points)


# --- need_severity ------------------------------------------------------------------------------
THRESHOLDS = {
    Need.ACCOMMODATION: (2, 7),
    Need.ETE: (3, 7),
    Need.RELATIONSHIPS: (2, 5),
    Need.LIFESTYLE: (2, 5),
    Need.DRUGS: (2, 8),
    Need.ALCOHOL: (4, 7),
    Need.THINKING_AND_BEHAVIOUR: (4, 7),
    Need.ATTITUDES: (2, 7),
}
SAN_THRESHOLDS = THRESHOLDS | {
    Need.ACCOMMODATION: (3, 5),
    Need.DRUGS: (2, 6),
    Need.ALCOHOL: (2, 4),
    Need.THINKING_AND_BEHAVIOUR: (3, 5),
    Need.ATTITUDES: (1, 5),
}


def severity_cases(
    table: dict[Need, tuple[int, int]], san: bool
) -> list[tuple[Need, int, bool, NeedSeverity]]:
    cases = []
    for need, (standard, severe) in table.items():
        cases += [
            (need, standard - 1, san, NeedSeverity.NONE),
            (need, standard, san, NeedSeverity.STANDARD),
            (need, severe - 1, san, NeedSeverity.STANDARD),
            (need, severe, san, NeedSeverity.SEVERE),
        ]
    return cases


@pytest.mark.parametrize(
    ("need", "score", "san", "expected"),
    severity_cases(THRESHOLDS, False) + severity_cases(SAN_THRESHOLDS, True),
)
def test_need_severity_thresholds(need: Need, score: int, san: bool, expected: NeedSeverity) -> None:
    assert need_severity(need, score, san=san) == expected


@pytest.mark.parametrize("need", [Need.FINANCE, Need.EMOTIONAL_WELLBEING])
@pytest.mark.parametrize("san", [False, True])
def test_need_severity_rejects_sections_without_thresholds(need: Need, san: bool) -> None:
    with pytest.raises(ValueError, match="no need thresholds"):
        need_severity(need, 5, san=san)


def test_need_severity_rejects_negative_scores() -> None:
    with pytest.raises(ValueError, match="negative"):
        need_severity(Need.ETE, -1)


# --- Validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"predictors": predictors(arp=-0.01)}, "predictors.arp.score"),
        ({"predictors": predictors(arp=100.01)}, "predictors.arp.score"),
        ({"predictors": predictors(arp=math.nan)}, "predictors.arp.score"),
        ({"predictors": predictors(csrp=100.5)}, "predictors.csrp.score"),
        ({"predictors": predictors(dc_srp=DcSrp(-1.0, DcSrpBand.LOW))}, "predictors.dc_srp.score"),
        ({"predictors": predictors(rsr=101.0)}, "predictors.rsr"),
        ({"predictors": predictors(ogrs3=-1.0)}, "predictors.ogrs3"),
        ({"mappa": Mappa(category=0, level=1)}, "mappa.category"),
        ({"mappa": Mappa(category=5, level=1)}, "mappa.category"),
        ({"mappa": Mappa(category=1, level=0)}, "mappa.level"),
        ({"mappa": Mappa(category=1, level=4)}, "mappa.level"),
    ],
)
def test_out_of_range_inputs_are_rejected_naming_the_json_field(
    overrides: dict[str, Any], field: str
) -> None:
    for calculation in (calculate_tier, v3_tier, protect, change):
        with pytest.raises(TierInputError) as error:
            calculation(build(**overrides))
        assert error.value.field == field


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "predictors": predictors(
                arp=0.0, csrp=100.0, rsr=0.0, ogrs3=100.0, dc_srp=DcSrp(100.0, DcSrpBand.HIGH)
            )
        },
        {"mappa": Mappa(category=4, level=3)},
        {"mappa": Mappa(category=1, level=1)},
    ],
)
def test_range_edges_are_accepted(overrides: dict[str, Any]) -> None:
    calculate_tier(build(**overrides))


# --- calculate_tier -----------------------------------------------------------------------------
def test_calculate_tier_combines_v3_and_legacy_with_reasons() -> None:
    result = calculate_tier(
        build(
            rosh=Rosh.HIGH,
            predictors=predictors(arp=78.0, csrp=3.2, ogrs3=45.0),
            needs={
                Need.THINKING_AND_BEHAVIOUR: NeedSeverity.SEVERE,
                Need.ACCOMMODATION: NeedSeverity.STANDARD,
            },
            registrations={Registration.IOM},
        )
    )
    assert (result.tier, result.provisional) == ("B", False)
    assert (result.legacy_tier, result.protect_level, result.protect_points) == ("B2", "B", 20)
    assert (result.change_level, result.change_points) == (2, 11)
    assert result.reasons == (
        "Tier B: the combined serious reoffending predictor is 3.2% (3.0 or more) "
        "and the all reoffending predictor is 78% (75 or more).",
        "Legacy tier B2: protect level B (20 points: RoSH high 20) and change level 2 "
        "(11 points: accommodation standard 1, thinking and behaviour severe 4, OGRS3 45% 4, IOM 2).",
    )


def test_calculate_tier_not_supervised_still_gives_legacy_tier() -> None:
    result = calculate_tier(build(has_active_event=False, rosh=Rosh.VERY_HIGH, mandate_for_change=False))
    assert (result.tier, result.provisional, result.legacy_tier) == ("NOT_SUPERVISED", False, "A0")


def test_calculate_tier_reports_provisional_and_why() -> None:
    result = calculate_tier(build(rosh=None, predictors=predictors(arp=90.0, csrp=6.9, arp_type=STATIC)))
    assert (result.tier, result.provisional, result.legacy_tier) == ("A", True, "D1")
    assert any(r.startswith("Provisional: the all reoffending predictor is static") for r in result.reasons)
    assert any(r.startswith("Provisional: RoSH is missing") for r in result.reasons)
