"""HMPPS tiering: the V3 single-axis tier (A-G) and the legacy V2 protect x change tier (A3..D0).

Why pure: the API and the database layer gather the inputs; keeping the rules free of Django means
every rule can be tested at its boundary in microseconds and audited line by line against the spec
(docs/domain/risk.md). Each result carries plain-English reasons so
a practitioner can see which factor decided the tier.

Ambiguities resolved (reference: ministryofjustice/hmpps-tier, service/calculation/*.kt):
- MISSING needs both ARP and CSRP: TierCalculator.kt returns MISSING unless ``hasArpAndCsrp`` and
  TierCalculatorTest.kt expects MISSING when either one alone is absent.
- DC-SRP with score 0 (or band NOT_APPLICABLE) is ignored before the Medium-band check, so a Medium
  band with score 0 is not rejected (ValidPredictor.kt drops scores <= 0 first; docs/domain/risk.md).
- Invalid input (ranges, Medium DC-SRP with 0 < score < 0.60) is rejected with TierInputError even
  for unsupervised cases; hmpps-tier only errors when it reaches that step, but our API contract
  should not depend on the other fields.
- MAPPA category with RoSH missing gives E (docs/domain/risk.md; TierCalculatorTest.kt
  ``(true, null, E)``); one stored TierCalculator.kt revision returns nothing there, we follow the test.
- LIFER_IPP uses the 1 and 5 year rules of docs/domain/risk.md (older TierCalculator.kt revisions used
  "first year of release = B, otherwise F"). "On or after" is inclusive, as Java ``>= minusYears``; 29
  February one or five years back falls to 28 February, as Java's ``minusYears`` does.
- RSR bands: hmpps-tier uses closed ranges 3.00..6.99 and 7.00..99.99 built with the BigDecimal
  double constructor (RsrThresholds.kt), so 6.995 scores 0 and exactly 99.99 scores 0 there. We use
  the intent of the V2 rules: [3.00, 7.00) = 10, [7.00, 99.99] = 20, anything else 0.
- Women's factors and the breach/recall +2 apply to women only (AdditionalFactorsForWomen.kt adds
  the breach points inside the ``offenderIsFemale`` branch). A woman with no assessment still gets
  the breach points.
- No valid assessment gives change level 2 with 0 points (ChangeLevelCalculator.kt
  ``TIER_NO_ASSESSMENT = TierLevel(TWO, 0, ...)``); no mandate gives level 0, 0 points.
- OGRS3 missing scores 0 change points; a fractional OGRS3 is floored after dividing by 10.
- FINANCE and EMOTIONAL_WELLBEING have weight 0 and no thresholds: need_severity raises ValueError.
- The "S" (unsupervised) suffix of the V2 tier string is not produced: the inputs do not carry it.
- NOT_SUPERVISED and MISSING are never provisional; the legacy V2 tier is still calculated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# --- Policy numbers. Source: docs/domain/risk.md / hmpps-tier ProtectLevelCalculator.kt ---------
RSR_MEDIUM_MIN = 3.00  # RSR 3.00-6.99 = 10 protect points
RSR_HIGH_MIN = 7.00  # RSR 7.00-99.99 = 20 protect points
RSR_MAX_SCORED = 99.99  # above this, RSR scores 0
RSR_MEDIUM_POINTS = 10
RSR_HIGH_POINTS = 20
MAPPA_LEVEL_POINTS = {1: 5, 2: 150, 3: 150}  # M1 = 5, M2/M3 = 150
COMPLEXITY_POINTS = 2  # per complexity-factor register
WOMENS_FACTOR_POINTS = 1  # parenting (OASys 6.9); impulsivity 11.2 or temper control 11.4, at most 1
WOMENS_FACTOR_MULTIPLIER = 2  # the women's factors sum is doubled
BREACH_OR_RECALL_POINTS = 2  # breach/recall on an active conviction < 1 year old (docs/domain/risk.md)
PROTECT_LEVELS = ((150, "A"), (20, "B"), (10, "C"))  # below 10 = D
PROTECT_LEVEL_FLOOR = "D"
# Source: docs/domain/risk.md / hmpps-tier ChangeLevelCalculator.kt, Need.kt, NeedSection.kt
OGRS_DIVISOR = 10  # change points = floor(OGRS3 / 10)
IOM_POINTS = 2
CHANGE_LEVELS = ((20, 3), (10, 2))  # below 10 = 1
CHANGE_LEVEL_FLOOR = 1
NO_MANDATE_CHANGE_LEVEL = 0
NO_ASSESSMENT_CHANGE_LEVEL = 2
# Source: docs/domain/risk.md / hmpps-tier TierCalculator.kt, ReoffendingPredictorTable.kt
TIER_ORDER = "ABCDEFG"  # highest first
LOWEST_TIER = "G"
CSRP_ROWS = (6.9, 3.0, 1.0, 0.5, 0.0)
ARP_COLUMNS = (90.0, 75.0, 50.0, 25.0, 15.0, 0.0)
REOFFENDING_TABLE = ("AABBBB", "ABCCCC", "BCDEEE", "CDEEFF", "DDEFFG")  # rows CSRP, columns ARP
DC_SRP_MEDIUM_MIN_SCORE = 0.60  # a Medium band below this is inconsistent data: rejected
# Medium band, checked in this order: 3.36/2.11 without risk reduction, 1.12/0.60 with it
DC_SRP_MEDIUM_TIERS = ((3.36, "C"), (2.11, "D"), (1.12, "C"), (DC_SRP_MEDIUM_MIN_SCORE, "D"))
LIFER_IPP_RECENT_YEARS = ((1, "B"), (5, "D"))  # release on/after as_of minus N years
LIFER_IPP_OLDER_TIER = "E"
SEXUAL_OFFENCE_TIER = "E"
# Source: docs/domain/risk.md / hmpps-tier ProvisionalStatusCalculator.kt: tier other steps must reach
BOTH_STATIC_FINAL_TIER = "A"
ROSH_MISSING_FINAL_TIER = {True: "A", False: "C"}  # keyed by "has a MAPPA category"
NOT_SUPERVISED = "NOT_SUPERVISED"
MISSING = "MISSING"
# Input ranges (our API contract): percentages 0-100, MAPPA category 1-4 and level 1-3 (docs/domain/risk.md)
PERCENT_RANGE = (0.0, 100.0)
MAPPA_CATEGORY_RANGE = (1, 4)
MAPPA_LEVEL_RANGE = (1, 3)


class Rosh(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


class Sex(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


class PredictorType(StrEnum):
    STATIC = "STATIC"
    DYNAMIC = "DYNAMIC"


class DcSrpBand(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class NeedSeverity(StrEnum):
    NONE = "NONE"
    STANDARD = "STANDARD"
    SEVERE = "SEVERE"


class Need(StrEnum):
    ACCOMMODATION = "ACCOMMODATION"
    ETE = "ETE"
    RELATIONSHIPS = "RELATIONSHIPS"
    LIFESTYLE = "LIFESTYLE"
    DRUGS = "DRUGS"
    ALCOHOL = "ALCOHOL"
    THINKING_AND_BEHAVIOUR = "THINKING_AND_BEHAVIOUR"
    ATTITUDES = "ATTITUDES"
    FINANCE = "FINANCE"
    EMOTIONAL_WELLBEING = "EMOTIONAL_WELLBEING"


class Registration(StrEnum):
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE"
    STALKING = "STALKING"
    CHILD_PROTECTION = "CHILD_PROTECTION"
    CHILD_CONCERNS = "CHILD_CONCERNS"
    RISK_TO_CHILDREN = "RISK_TO_CHILDREN"
    MENTAL_HEALTH = "MENTAL_HEALTH"
    SELF_HARM = "SELF_HARM"
    VULNERABILITY = "VULNERABILITY"
    PUBLIC_INTEREST = "PUBLIC_INTEREST"
    ADULT_AT_RISK = "ADULT_AT_RISK"
    STREET_GANGS = "STREET_GANGS"
    TERRORISM = "TERRORISM"
    IOM = "IOM"
    LIFER_IPP = "LIFER_IPP"


# Source: docs/domain/risk.md (RoSH points, complexity registers, need weights and thresholds)
ROSH_POINTS = {Rosh.VERY_HIGH: 150, Rosh.HIGH: 20, Rosh.MEDIUM: 10}
COMPLEXITY_REGISTRATIONS = frozenset(
    {
        Registration.MENTAL_HEALTH,  # RMDO
        Registration.SELF_HARM,  # ALSH
        Registration.VULNERABILITY,  # RVLN
        Registration.CHILD_CONCERNS,  # RCCO
        Registration.CHILD_PROTECTION,  # RCPR
        Registration.RISK_TO_CHILDREN,  # RCHD
        Registration.PUBLIC_INTEREST,  # RPIR
        Registration.ADULT_AT_RISK,  # RVAD
        Registration.STREET_GANGS,  # STRG
        Registration.TERRORISM,  # RTAO
    }
)
NEED_WEIGHTS = {need: 1 for need in Need} | {
    Need.THINKING_AND_BEHAVIOUR: 2,
    Need.ATTITUDES: 2,
    Need.FINANCE: 0,
    Need.EMOTIONAL_WELLBEING: 0,
}
SEVERITY_SCORES = {NeedSeverity.NONE: 0, NeedSeverity.STANDARD: 1, NeedSeverity.SEVERE: 2}
NEED_THRESHOLDS = {  # OASys section score: (standard, severe)
    Need.ACCOMMODATION: (2, 7),
    Need.ETE: (3, 7),
    Need.RELATIONSHIPS: (2, 5),
    Need.LIFESTYLE: (2, 5),
    Need.DRUGS: (2, 8),
    Need.ALCOHOL: (4, 7),
    Need.THINKING_AND_BEHAVIOUR: (4, 7),
    Need.ATTITUDES: (2, 7),
}
SAN_THRESHOLD_OVERRIDES = {  # Strengths and Needs (SAN) assessments
    Need.ACCOMMODATION: (3, 5),
    Need.DRUGS: (2, 6),
    Need.ALCOHOL: (2, 4),
    Need.THINKING_AND_BEHAVIOUR: (3, 5),
    Need.ATTITUDES: (1, 5),
}
# Source: docs/domain/risk.md (MAPPA_ROSH, DC-SRP bands, registration steps)
MAPPA_ROSH_TIERS = {Rosh.VERY_HIGH: "A", Rosh.HIGH: "C", Rosh.MEDIUM: "D", Rosh.LOW: "E", None: "E"}
NO_MAPPA_ROSH_TIERS = {Rosh.VERY_HIGH: "C", Rosh.HIGH: "D"}
DC_SRP_BAND_TIERS = {DcSrpBand.VERY_HIGH: "A", DcSrpBand.HIGH: "B", DcSrpBand.LOW: "E"}
REGISTRATION_TIERS = {
    Registration.DOMESTIC_ABUSE: "E",
    Registration.STALKING: "F",
    Registration.CHILD_PROTECTION: "F",
}


@dataclass(frozen=True)
class Mappa:
    category: int
    level: int


@dataclass(frozen=True)
class Ogrs4Predictor:
    score: float
    type: PredictorType


@dataclass(frozen=True)
class DcSrp:
    score: float
    band: DcSrpBand


@dataclass(frozen=True)
class Predictors:
    arp: Ogrs4Predictor | None
    csrp: Ogrs4Predictor | None
    dc_srp: DcSrp | None
    rsr: float | None
    ogrs3: float | None


@dataclass(frozen=True)
class WomensFactors:
    parenting_responsibilities: bool
    impulsivity_or_temper_control: bool


@dataclass(frozen=True)
class TierInputs:
    as_of: date
    has_active_event: bool
    sex: Sex
    rosh: Rosh | None
    mappa: Mappa | None
    predictors: Predictors
    registrations: frozenset[Registration]
    latest_release_date: date | None
    ever_sexual_offence: bool
    needs: dict[Need, NeedSeverity] | None  # None = no valid assessment
    womens_factors: WomensFactors | None
    breach_or_recall_within_year: bool
    mandate_for_change: bool


@dataclass(frozen=True)
class TierResult:
    tier: str
    provisional: bool
    legacy_tier: str
    protect_level: str
    protect_points: int
    change_level: int
    change_points: int
    reasons: tuple[str, ...]


class TierInputError(ValueError):
    """Inputs that no rule can score; ``field`` is the path in the API's JSON so it can answer 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def validate_inputs(inputs: TierInputs) -> None:
    """Reject out-of-range or inconsistent data rather than guess a tier from it (docs/domain/risk.md)."""
    p = inputs.predictors
    percentages = {
        "predictors.arp.score": p.arp.score if p.arp else None,
        "predictors.csrp.score": p.csrp.score if p.csrp else None,
        "predictors.dc_srp.score": p.dc_srp.score if p.dc_srp else None,
        "predictors.rsr": p.rsr,
        "predictors.ogrs3": p.ogrs3,
    }
    for path, value in percentages.items():
        if value is not None and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
            raise TierInputError(path, f"must be a percentage from 0 to 100, got {value}")
    if inputs.mappa is not None:
        for path, value, (low, high) in (
            ("mappa.category", inputs.mappa.category, MAPPA_CATEGORY_RANGE),
            ("mappa.level", inputs.mappa.level, MAPPA_LEVEL_RANGE),
        ):
            if not low <= value <= high:
                raise TierInputError(path, f"must be from {low} to {high}, got {value}")
    dc = p.dc_srp
    if dc and dc.band is DcSrpBand.MEDIUM and 0 < dc.score < DC_SRP_MEDIUM_MIN_SCORE:
        raise TierInputError(
            "predictors.dc_srp.score",
            f"a Medium DC-SRP band needs a score of at least {DC_SRP_MEDIUM_MIN_SCORE:.2f}, got {dc.score}",
        )


def need_severity(section: Need, score: int, san: bool = False) -> NeedSeverity:
    """Turn an OASys section score into a need severity; SAN assessments use their own thresholds."""
    thresholds = (SAN_THRESHOLD_OVERRIDES.get(section) if san else None) or NEED_THRESHOLDS.get(section)
    if thresholds is None:
        raise ValueError(f"{section} has no need thresholds: it carries no weight in the change score")
    if score < 0:
        raise ValueError(f"an OASys section score cannot be negative, got {score}")
    standard, severe = thresholds
    if score >= severe:
        return NeedSeverity.SEVERE
    return NeedSeverity.STANDARD if score >= standard else NeedSeverity.NONE


def _label(member: StrEnum) -> str:
    text = member.value.replace("_", " ")
    return text if len(text) <= 3 else text.lower()  # keep acronyms (ETE, IOM) readable


def _rsr_points(rsr: float | None) -> int:
    if rsr is None or rsr < RSR_MEDIUM_MIN or rsr > RSR_MAX_SCORED:
        return 0
    return RSR_HIGH_POINTS if rsr >= RSR_HIGH_MIN else RSR_MEDIUM_POINTS


def _womens_items(inputs: TierInputs) -> list[tuple[str, int]]:
    """Women's additional factors; men score 0 here, including for breach/recall (hmpps-tier)."""
    if inputs.sex is not Sex.FEMALE:
        return []
    wf = inputs.womens_factors
    factor = WOMENS_FACTOR_POINTS * WOMENS_FACTOR_MULTIPLIER
    return [
        ("women's factor parenting responsibilities", factor if wf and wf.parenting_responsibilities else 0),
        (
            "women's factor impulsivity or temper control",
            factor if wf and wf.impulsivity_or_temper_control else 0,
        ),
        (
            "breach or recall within a year",
            BREACH_OR_RECALL_POINTS if inputs.breach_or_recall_within_year else 0,
        ),
    ]


def protect_level_for(points: int) -> str:
    return next((level for floor, level in PROTECT_LEVELS if points >= floor), PROTECT_LEVEL_FLOOR)


def change_level_for(points: int) -> int:
    return next((level for floor, level in CHANGE_LEVELS if points >= floor), CHANGE_LEVEL_FLOOR)


def protect(inputs: TierInputs) -> tuple[str, int, list[str]]:
    """V2 protect level: harm factors, counting only the higher of RSR and RoSH (they measure alike)."""
    validate_inputs(inputs)
    rsr, rosh = _rsr_points(inputs.predictors.rsr), ROSH_POINTS.get(inputs.rosh, 0) if inputs.rosh else 0
    mappa = MAPPA_LEVEL_POINTS[inputs.mappa.level] if inputs.mappa else 0
    items = [
        (f"RSR {inputs.predictors.rsr or 0:g}%", rsr),
        (f"RoSH {_label(inputs.rosh) if inputs.rosh else 'missing'}", rosh),
        (f"MAPPA level {inputs.mappa.level if inputs.mappa else ''}", mappa),
    ]
    items += [
        (_label(r), COMPLEXITY_POINTS)
        for r in Registration
        if r in inputs.registrations & COMPLEXITY_REGISTRATIONS
    ]
    items += _womens_items(inputs)
    overlap = min(rsr, rosh)
    points = sum(p for _, p in items) - overlap
    parts = [f"{label} {p}" for label, p in items if p]
    if overlap:
        parts.append(f"less {overlap} as only the higher of RSR and RoSH counts")
    return protect_level_for(points), points, parts


def change(inputs: TierInputs) -> tuple[int, int, list[str]]:
    """V2 change level: how much supervision can change, from needs, OGRS3 and IOM status."""
    validate_inputs(inputs)
    if not inputs.mandate_for_change:
        return NO_MANDATE_CHANGE_LEVEL, 0, ["no mandate for change"]
    if inputs.needs is None:
        return NO_ASSESSMENT_CHANGE_LEVEL, 0, [f"no valid assessment, so level {NO_ASSESSMENT_CHANGE_LEVEL}"]
    items = [
        (
            f"{_label(need)} {_label(inputs.needs[need])}",
            NEED_WEIGHTS[need] * SEVERITY_SCORES[inputs.needs[need]],
        )
        for need in Need
        if need in inputs.needs
    ]
    ogrs3 = inputs.predictors.ogrs3
    items.append((f"OGRS3 {ogrs3:g}%", math.floor(ogrs3 / OGRS_DIVISOR)) if ogrs3 is not None else ("", 0))
    items.append(("IOM", IOM_POINTS if Registration.IOM in inputs.registrations else 0))
    points = sum(p for _, p in items)
    return change_level_for(points), points, [f"{label} {p}" for label, p in items if p]


# --- V3 ----------------------------------------------------------------------------------------
Step = tuple[str, str]  # (tier, plain-English reason)


def _rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


def _highest(steps: dict[str, Step | None], leave_out: frozenset[str] = frozenset()) -> str:
    tiers = [s[0] for name, s in steps.items() if s and name not in leave_out]
    return min(tiers, key=_rank, default=LOWEST_TIER)


def _table(arp: float, csrp: float) -> str:
    row = next(i for i, floor in enumerate(CSRP_ROWS) if csrp >= floor)
    col = next(i for i, floor in enumerate(ARP_COLUMNS) if arp >= floor)
    return REOFFENDING_TABLE[row][col]


def _band(value: float, floors: tuple[float, ...], places: int) -> str:
    floor = next(f for f in floors if value >= f)
    return f"{floor:.{places}f} or more" if floor else f"below {floors[-2]:.{places}f}"


def _reoffending(arp: float, csrp: float) -> Step:
    return _table(arp, csrp), (
        f"the combined serious reoffending predictor is {csrp:g}% ({_band(csrp, CSRP_ROWS, 1)}) "
        f"and the all reoffending predictor is {arp:g}% ({_band(arp, ARP_COLUMNS, 0)})"
    )


def _sexual_reoffending(dc: DcSrp | None) -> Step | None:
    if dc is None or dc.score <= 0 or dc.band is DcSrpBand.NOT_APPLICABLE:
        return None  # not a usable predictor (hmpps-tier ValidPredictor.kt)
    tier = DC_SRP_BAND_TIERS.get(dc.band) or next(t for floor, t in DC_SRP_MEDIUM_TIERS if dc.score >= floor)
    return tier, f"the direct contact sexual reoffending predictor is {_label(dc.band)} ({dc.score:g}%)"


def _mappa_rosh(inputs: TierInputs) -> Step | None:
    rosh = f"RoSH is {_label(inputs.rosh) if inputs.rosh else 'missing'}"
    if inputs.mappa is not None:
        return MAPPA_ROSH_TIERS[inputs.rosh], f"MAPPA category {inputs.mappa.category} and {rosh}"
    tier = NO_MAPPA_ROSH_TIERS.get(inputs.rosh) if inputs.rosh else None
    return (tier, f"{rosh} (no MAPPA)") if tier else None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year: Java's minusYears gives 28 February
        return day.replace(year=day.year - years, day=28)


def _lifer_ipp(inputs: TierInputs) -> Step | None:
    released = inputs.latest_release_date
    if Registration.LIFER_IPP not in inputs.registrations or released is None:
        return None
    for years, tier in LIFER_IPP_RECENT_YEARS:
        if released >= _years_before(inputs.as_of, years):
            return tier, f"lifer/IPP last released on {released.isoformat()}, within {years} year(s)"
    return LIFER_IPP_OLDER_TIER, (
        f"lifer/IPP last released on {released.isoformat()}, over {LIFER_IPP_RECENT_YEARS[-1][0]} years ago"
    )


def _steps(inputs: TierInputs, arp: float, csrp: float) -> dict[str, Step | None]:
    steps: dict[str, Step | None] = {
        "REOFFENDING": _reoffending(arp, csrp),
        "SEXUAL_REOFFENDING": _sexual_reoffending(inputs.predictors.dc_srp),
        "MAPPA_ROSH": _mappa_rosh(inputs),
        "LIFER_IPP": _lifer_ipp(inputs),
        "SEXUAL_OFFENCE": (SEXUAL_OFFENCE_TIER, "the person has committed a sexual offence")
        if inputs.ever_sexual_offence
        else None,
    }
    for reg, tier in REGISTRATION_TIERS.items():
        steps[reg.value] = (tier, f"{_label(reg)} is registered") if reg in inputs.registrations else None
    return steps


def _static_provisional(
    arp: Ogrs4Predictor, csrp: Ogrs4Predictor, steps: dict[str, Step | None]
) -> list[str]:
    """A static predictor may rise once dynamic factors are assessed, so the table tier is not final."""
    arp_static, csrp_static = arp.type is PredictorType.STATIC, csrp.type is PredictorType.STATIC
    if arp_static and csrp_static:
        needed, what = (
            BOTH_STATIC_FINAL_TIER,
            "the all and combined serious reoffending predictors are static",
        )
    elif arp_static:
        needed, what = _table(math.inf, csrp.score), "the all reoffending predictor is static"
    elif csrp_static:
        needed, what = _table(arp.score, math.inf), "the combined serious reoffending predictor is static"
    else:
        return []
    others = _highest(steps, frozenset({"REOFFENDING"}))
    if _rank(others) <= _rank(needed):
        return []
    return [f"Provisional: {what} and no other rule reaches tier {needed} (the others give {others})."]


def _rosh_provisional(inputs: TierInputs, both_dynamic: bool, steps: dict[str, Step | None]) -> list[str]:
    """A missing RoSH could raise the MAPPA_ROSH step, so only a high enough other tier is final."""
    if inputs.rosh is not None:
        return []
    needed = ROSH_MISSING_FINAL_TIER[inputs.mappa is not None]
    leave_out = {"MAPPA_ROSH"} | (set() if both_dynamic else {"REOFFENDING"})
    others = _highest(steps, frozenset(leave_out))
    if _rank(others) <= _rank(needed):
        return []
    case = "a MAPPA case" if inputs.mappa else "a case without MAPPA"
    return [
        f"Provisional: RoSH is missing for {case} and no rule independent of it reaches tier {needed} (they give {others})."
    ]


def v3_tier(inputs: TierInputs) -> tuple[str, bool, list[str]]:
    """V3 tier: the highest tier any step gives, and whether missing or static data make it provisional."""
    validate_inputs(inputs)
    if not inputs.has_active_event:
        return NOT_SUPERVISED, False, [f"Tier {NOT_SUPERVISED}: there is no active event under supervision."]
    arp, csrp = inputs.predictors.arp, inputs.predictors.csrp
    if arp is None or csrp is None:
        absent = [
            name
            for name, p in (("all reoffending", arp), ("combined serious reoffending", csrp))
            if p is None
        ]
        verb = "predictors are" if len(absent) > 1 else "predictor is"
        return MISSING, False, [f"Tier {MISSING}: the {' and '.join(absent)} {verb} missing."]
    steps = _steps(inputs, arp.score, csrp.score)
    tier = _highest(steps)
    reasons = [f"Tier {tier}: {s[1]}." for s in steps.values() if s and s[0] == tier]
    both_dynamic = arp.type is PredictorType.DYNAMIC and csrp.type is PredictorType.DYNAMIC
    provisional = _static_provisional(arp, csrp, steps) + _rosh_provisional(inputs, both_dynamic, steps)
    return tier, bool(provisional), reasons + provisional


def calculate_tier(inputs: TierInputs) -> TierResult:
    """Both models at once: V3 is the tier of record, the V2 legacy tier is still needed downstream."""
    tier, provisional, reasons = v3_tier(inputs)
    protect_level, protect_points, protect_parts = protect(inputs)
    change_level, change_points, change_parts = change(inputs)
    legacy = f"{protect_level}{change_level}"
    reasons.append(
        f"Legacy tier {legacy}: protect level {protect_level} ({protect_points} points: "
        f"{', '.join(protect_parts) or 'none'}) and change level {change_level} "
        f"({change_points} points: {', '.join(change_parts) or 'none'})."
    )
    return TierResult(
        tier=tier,
        provisional=provisional,
        legacy_tier=legacy,
        protect_level=protect_level,
        protect_points=protect_points,
        change_level=change_level,
        change_points=change_points,
        reasons=tuple(reasons),
    )
