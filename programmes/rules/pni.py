"""The Programme Needs Identifier (PNI): which accredited programme pathway suits a person.

Why pure: the calculator API gathers the inputs today, and the programme referral will
gather them from the risk assessment tomorrow; keeping the rules free of Django means each
band edge is tested in microseconds and read line by line against docs/domain/programmes.md.

The rules follow HMPPS Accredited Programmes API's PNI with three platform decisions
(docs/domain/programmes.md says why):
- the gaps between its bands are closed as half-open intervals (OGRS3 medium is
  50 <= x < 75 and high x >= 75; OVP 30 <= x < 60 and x >= 60);
- an unanswered item is missing, never scored as zero, so a partly answered domain gives a
  MISSING need rather than a lower one;
- the thresholds are effective-dated policy values (``core.policy``), so the calculation
  applies the bands in force on ``as_of``.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from enum import StrEnum

from core.policy import value_on
from people.rules import Sex

# Policy names (core/policy.py): each holds {"medium_from": x, "high_from": y}.
OGRS3_POLICY = "pni_ogrs3_percent"
OVP_POLICY = "pni_ovp_percent"
RSR_POLICY = "pni_rsr_percent"
NEED_SCORE_POLICY = "pni_need_score"

# How an OASys item sum becomes a domain score 0-2: (least sum, score), highest first; below = 0.
# Source: HMPPS Accredited Programmes API's PNI needs scoring (docs/domain/programmes.md).
SEX_DOMAIN_BANDS = ((4, 2), (2, 1))  # sum of three items: 0-1 -> 0, 2-3 -> 1, 4-6 -> 2
THINKING_DOMAIN_BANDS = ((3, 2), (1, 1))  # sum of two items: 0 -> 0, 1-2 -> 1, 3-4 -> 2
FOUR_ITEM_DOMAIN_BANDS = ((5, 2), (2, 1))  # relationships, self-management: 0-1, 2-4, 5-8
OVERRIDE_ITEM_SCORE = 2  # offence-related sexual interests or pro-criminal attitudes at 2: domain 2

# Our API contract: percentages 0-100 and item scores 0-2.
PERCENT_RANGE = (0.0, 100.0)
ITEM_RANGE = (0, 2)


class PniLevel(StrEnum):
    """A risk or need level; MISSING when the inputs cannot decide it."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    MISSING = "MISSING"


class OspDcBand(StrEnum):
    """OSP-DC (direct contact sexual reoffending) band."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class OspIicBand(StrEnum):
    """OSP-IIC (indecent images of children) band: it has no Very High."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class SaraLevel(StrEnum):
    """SARA (spousal assault risk assessment) risk of violence, to a partner or to others."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


class Pathway(StrEnum):
    HIGH_INTENSITY = "HIGH_INTENSITY"
    MODERATE_INTENSITY = "MODERATE_INTENSITY"
    ALTERNATIVE_PATHWAY = "ALTERNATIVE_PATHWAY"
    MISSING_INFORMATION = "MISSING_INFORMATION"


class Domain(StrEnum):
    """The four need domains, valued as the API's keys."""

    SEX = "sex"
    THINKING = "thinking"
    RELATIONSHIPS = "relationships"
    SELF_MANAGEMENT = "self_management"


# The OSP and SARA values that make risk high, and medium (StrEnum members compare by value).
HIGH_BANDS: frozenset[str] = frozenset(
    {OspDcBand.HIGH, OspDcBand.VERY_HIGH, OspIicBand.HIGH, SaraLevel.HIGH, SaraLevel.VERY_HIGH}
)
MEDIUM_BANDS: frozenset[str] = frozenset({OspDcBand.MEDIUM, OspIicBand.MEDIUM, SaraLevel.MEDIUM})
# An OSP value that is a real band (Low or above), not null or not applicable.
REAL_OSP_BANDS: frozenset[str] = frozenset(OspDcBand) - {OspDcBand.NOT_APPLICABLE}


@dataclass(frozen=True)
class RiskScores:
    ogrs3: float | None
    ovp: float | None
    osp_dc: OspDcBand | None
    osp_iic: OspIicBand | None
    rsr: float | None
    sara_partner: SaraLevel | None
    sara_others: SaraLevel | None


@dataclass(frozen=True)
class SexDomain:
    sexual_preoccupation: int | None
    offence_related_sexual_interests: int | None
    emotional_congruence: int | None


@dataclass(frozen=True)
class ThinkingDomain:
    pro_criminal_attitudes: int | None
    hostile_orientation: int | None


@dataclass(frozen=True)
class RelationshipsDomain:
    current_relationship_close_family: int | None
    previous_close_relationships: int | None
    easily_influenced: int | None
    aggressive_controlling_behaviour: int | None


@dataclass(frozen=True)
class SelfManagementDomain:
    impulsivity: int | None
    temper_control: int | None
    problem_solving: int | None
    difficulties_coping: int | None


@dataclass(frozen=True)
class Needs:
    sex: SexDomain | None
    thinking: ThinkingDomain | None
    relationships: RelationshipsDomain | None
    self_management: SelfManagementDomain | None


@dataclass(frozen=True)
class PniInputs:
    as_of: date  # the day whose policy thresholds apply
    sex: Sex
    risk: RiskScores
    needs: Needs | None  # None: no assessment of needs at all


@dataclass(frozen=True)
class PniResult:
    risk_level: PniLevel
    need_level: PniLevel
    need_score: int | None
    domain_scores: dict[Domain, int | None] | None
    pathway: Pathway
    reasons: tuple[str, ...]


class PniInputError(ValueError):
    """Inputs no rule can score; ``field`` is the path in the API's JSON so it can answer 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def validate_inputs(inputs: PniInputs) -> None:
    """Refuse out-of-range numbers rather than band them: a percentage of 120 is a data error."""
    risk = inputs.risk
    for name, value in (("ogrs3", risk.ogrs3), ("ovp", risk.ovp), ("rsr", risk.rsr)):
        if value is not None and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
            raise PniInputError(f"risk.{name}", f"must be a percentage from 0 to 100, got {value}")
    if inputs.needs is None:
        return
    for domain in Domain:
        items = getattr(inputs.needs, domain.value)
        if items is None:
            continue
        for item, value in vars(items).items():
            if value is not None and (isinstance(value, bool) or not ITEM_RANGE[0] <= value <= ITEM_RANGE[1]):
                raise PniInputError(f"needs.{domain.value}.{item}", f"must be 0, 1 or 2, got {value}")


def _label(value: str) -> str:
    return value.replace("_", " ").lower()


def _percent_band(value: float | None, policy: str, as_of: date) -> PniLevel | None:
    if value is None:
        return None
    bands = value_on(policy, as_of)
    if value >= bands["high_from"]:
        return PniLevel.HIGH
    return PniLevel.MEDIUM if value >= bands["medium_from"] else None


def _band_level(band: str | None) -> PniLevel | None:
    if band in HIGH_BANDS:
        return PniLevel.HIGH
    return PniLevel.MEDIUM if band in MEDIUM_BANDS else None


def has_osp_band(inputs: PniInputs) -> bool:
    """A man with an OSP-DC or OSP-IIC band of Low or above (not null, not N/A)."""
    return inputs.sex is Sex.MALE and (
        inputs.risk.osp_dc in REAL_OSP_BANDS or inputs.risk.osp_iic in REAL_OSP_BANDS
    )


def rsr_counts(inputs: PniInputs) -> bool:
    """RSR always counts for a woman; for a man only when neither OSP band is a real band,
    since for him the OSP bands measure the sexual reoffending risk RSR would repeat."""
    return not has_osp_band(inputs)


def _percent_findings(inputs: PniInputs) -> list[tuple[PniLevel, str]]:
    risk = inputs.risk
    measures = [("OGRS3", risk.ogrs3, OGRS3_POLICY), ("OVP", risk.ovp, OVP_POLICY)]
    if rsr_counts(inputs):
        measures.append(("RSR", risk.rsr, RSR_POLICY))
    found = []
    for label, value, policy in measures:
        level = _percent_band(value, policy, inputs.as_of)
        if level is not None:
            found.append((level, f"{label} {value:g}% is {_label(level)}"))
    return found


def _band_findings(inputs: PniInputs) -> list[tuple[PniLevel, str]]:
    risk = inputs.risk
    bands: list[tuple[str, str | None]] = [
        ("SARA (partner)", risk.sara_partner),
        ("SARA (others)", risk.sara_others),
    ]
    if inputs.sex is Sex.MALE:
        bands = [("OSP-DC", risk.osp_dc), ("OSP-IIC", risk.osp_iic), *bands]
    found = []
    for label, band in bands:
        level = _band_level(band)
        if level is not None and band is not None:
            found.append((level, f"{label} is {_label(band)}"))
    return found


def _risk_notes(inputs: PniInputs) -> list[str]:
    """Inputs given but not counted, said so the reader does not wonder why they did not count."""
    risk = inputs.risk
    notes = []
    if inputs.sex is not Sex.MALE and (risk.osp_dc is not None or risk.osp_iic is not None):
        notes.append("OSP bands are not used for women.")
    if risk.rsr is not None and not rsr_counts(inputs):
        notes.append("RSR is not counted for a man with an OSP band.")
    return notes


def risk_level(inputs: PniInputs) -> tuple[PniLevel, list[str]]:
    """The highest level any counted score reaches; MISSING only when no risk score is given."""
    if all(value is None for value in astuple(inputs.risk)):
        return PniLevel.MISSING, ["Risk is missing: no risk score was given."]
    found = _percent_findings(inputs) + _band_findings(inputs)
    notes = _risk_notes(inputs)
    for level in (PniLevel.HIGH, PniLevel.MEDIUM):
        deciding = [text for found_level, text in found if found_level is level]
        if deciding:
            return level, [f"Risk is {_label(level)}: {'; '.join(deciding)}.", *notes]
    return PniLevel.LOW, ["Risk is low: no risk score reaches the medium band.", *notes]


def _banded(total: int, bands: tuple[tuple[int, int], ...]) -> int:
    return next((score for least, score in bands if total >= least), 0)


def _items(domain: object | None) -> list[int | None]:
    return list(vars(domain).values()) if domain is not None else []


def sex_domain_score(inputs: PniInputs) -> tuple[int | None, str]:
    """Not assessed scores 0 (most people have no sexual offending), except for a man with an
    OSP band, whose sexual offending risk is known and so needs the domain answered."""
    assert inputs.needs is not None
    domain = inputs.needs.sex
    items = _items(domain)
    if all(item is None for item in items):
        if has_osp_band(inputs):
            return None, "Sex domain is missing: it must be assessed for a man with an OSP band."
        return 0, "Sex domain scores 0: not assessed, and no OSP band calls for it."
    if any(item is None for item in items):
        return None, "Sex domain is missing: it is only partly answered."
    assert domain is not None
    total = sum(item for item in items if item is not None)
    if domain.offence_related_sexual_interests == OVERRIDE_ITEM_SCORE:
        return 2, f"Sex domain scores 2: offence-related sexual interests score 2 (items total {total})."
    score = _banded(total, SEX_DOMAIN_BANDS)
    return score, f"Sex domain scores {score} (items total {total})."


def _scored_domain(
    name: str, domain: object | None, bands: tuple[tuple[int, int], ...], override: str | None = None
) -> tuple[int | None, str]:
    """Unknown is never scored as zero: a null domain or any null item leaves the domain missing."""
    title = name.replace("_", "-").capitalize()
    if domain is None:
        return None, f"{title} domain is missing: not assessed."
    unanswered = [item for item, value in vars(domain).items() if value is None]
    if unanswered:
        return None, f"{title} domain is missing: {', '.join(_label(i) for i in unanswered)} not answered."
    total = sum(int(value) for value in vars(domain).values())
    if override is not None and getattr(domain, override) == OVERRIDE_ITEM_SCORE:
        return 2, f"{title} domain scores 2: {_label(override)} score 2 (items total {total})."
    score = _banded(total, bands)
    return score, f"{title} domain scores {score} (items total {total})."


def need_level(inputs: PniInputs) -> tuple[PniLevel, int | None, dict[Domain, int | None] | None, list[str]]:
    """The four domain scores summed (0-8) and banded; any missing domain makes the need MISSING."""
    needs = inputs.needs
    if needs is None:
        return PniLevel.MISSING, None, None, ["Need is missing: no needs assessment was given."]
    scored = {
        Domain.SEX: sex_domain_score(inputs),
        Domain.THINKING: _scored_domain(
            Domain.THINKING, needs.thinking, THINKING_DOMAIN_BANDS, "pro_criminal_attitudes"
        ),
        Domain.RELATIONSHIPS: _scored_domain(
            Domain.RELATIONSHIPS, needs.relationships, FOUR_ITEM_DOMAIN_BANDS
        ),
        Domain.SELF_MANAGEMENT: _scored_domain(
            Domain.SELF_MANAGEMENT, needs.self_management, FOUR_ITEM_DOMAIN_BANDS
        ),
    }
    scores = {domain: score for domain, (score, _) in scored.items()}
    reasons = [reason for _, reason in scored.values()]
    missing = [domain for domain, score in scores.items() if score is None]
    if missing:
        names = ", ".join(_label(d) for d in missing)
        return PniLevel.MISSING, None, scores, [f"Need is missing: {names} could not be scored.", *reasons]
    total = sum(score for score in scores.values() if score is not None)
    bands = value_on(NEED_SCORE_POLICY, inputs.as_of)
    if total >= bands["high_from"]:
        level = PniLevel.HIGH
    else:
        level = PniLevel.MEDIUM if total >= bands["medium_from"] else PniLevel.LOW
    return level, total, scores, [f"Need is {_label(level)}: need score {total} of 8.", *reasons]


def pathway_for(risk: PniLevel, need: PniLevel) -> Pathway:
    """The PNI matrix, in order: missing, then low, then high with high, else moderate."""
    if PniLevel.MISSING in (risk, need):
        return Pathway.MISSING_INFORMATION
    if PniLevel.LOW in (risk, need):
        return Pathway.ALTERNATIVE_PATHWAY
    if risk is PniLevel.HIGH and need is PniLevel.HIGH:
        return Pathway.HIGH_INTENSITY
    return Pathway.MODERATE_INTENSITY


def programme_needs(inputs: PniInputs) -> PniResult:
    """The PNI: risk level, need level and the pathway they give, with the reasons in words."""
    validate_inputs(inputs)
    risk, risk_reasons = risk_level(inputs)
    need, score, domains, need_reasons = need_level(inputs)
    pathway = pathway_for(risk, need)
    return PniResult(
        risk_level=risk,
        need_level=need,
        need_score=score,
        domain_scores=domains,
        pathway=pathway,
        reasons=(*risk_reasons, *need_reasons, f"Pathway: {_label(pathway)}."),
    )


__all__ = [
    "FOUR_ITEM_DOMAIN_BANDS",
    "ITEM_RANGE",
    "NEED_SCORE_POLICY",
    "OGRS3_POLICY",
    "OVERRIDE_ITEM_SCORE",
    "OVP_POLICY",
    "PERCENT_RANGE",
    "RSR_POLICY",
    "SEX_DOMAIN_BANDS",
    "THINKING_DOMAIN_BANDS",
    "Domain",
    "Needs",
    "OspDcBand",
    "OspIicBand",
    "Pathway",
    "PniInputError",
    "PniInputs",
    "PniLevel",
    "PniResult",
    "RelationshipsDomain",
    "RiskScores",
    "SaraLevel",
    "SelfManagementDomain",
    "SexDomain",
    "ThinkingDomain",
    "has_osp_band",
    "need_level",
    "pathway_for",
    "programme_needs",
    "risk_level",
    "rsr_counts",
    "sex_domain_score",
    "validate_inputs",
]
