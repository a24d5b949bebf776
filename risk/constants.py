"""Choices for risk records. The value sets mirror ``risk.tiering`` (the pure rules)."""

from django.db import models


class RoshLevel(models.TextChoices):
    """Risk of serious harm (OASys): Low, Medium, High, Very High."""

    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"
    VERY_HIGH = "VERY_HIGH", "Very high"


class RegistrationType(models.TextChoices):
    """Registers that affect supervision and the tier (Delius register codes in brackets)."""

    DOMESTIC_ABUSE = "DOMESTIC_ABUSE", "Domestic abuse perpetrator"
    STALKING = "STALKING", "Stalking"
    CHILD_PROTECTION = "CHILD_PROTECTION", "Child protection (RCPR)"
    CHILD_CONCERNS = "CHILD_CONCERNS", "Child concerns (RCCO)"
    RISK_TO_CHILDREN = "RISK_TO_CHILDREN", "Risk to children (RCHD)"
    MENTAL_HEALTH = "MENTAL_HEALTH", "Mental health issues (RMDO)"
    SELF_HARM = "SELF_HARM", "Attempted suicide or self-harm (ALSH)"
    VULNERABILITY = "VULNERABILITY", "Vulnerability (RVLN)"
    PUBLIC_INTEREST = "PUBLIC_INTEREST", "Public interest (RPIR)"
    ADULT_AT_RISK = "ADULT_AT_RISK", "Adult at risk (RVAD)"
    STREET_GANGS = "STREET_GANGS", "Street gangs (STRG)"
    TERRORISM = "TERRORISM", "Terrorism (RTAO)"
    IOM = "IOM", "Integrated offender management nominal (IIOM)"
    LIFER_IPP = "LIFER_IPP", "Life or IPP sentence"


class PredictorKind(models.TextChoices):
    STATIC = "STATIC", "Static"
    DYNAMIC = "DYNAMIC", "Dynamic"


class SexualPredictorBand(models.TextChoices):
    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"
    VERY_HIGH = "VERY_HIGH", "Very high"
    NOT_APPLICABLE = "NOT_APPLICABLE", "Not applicable"


class EnforcementKind(models.TextChoices):
    """What brought a person back before the court or into custody, as the tier counts it."""

    BREACH = "BREACH", "Breach action"
    RECALL = "RECALL", "Recall to custody"  # published by custody work when it arrives


class OspIicBand(models.TextChoices):
    """OSP-IIC (indecent images of children) band: unlike OSP-DC it has no Very high."""

    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"
    NOT_APPLICABLE = "NOT_APPLICABLE", "Not applicable"


class SaraLevel(models.TextChoices):
    """SARA (spousal assault risk assessment) risk of violence, towards a partner or others."""

    LOW = "LOW", "Low"
    MEDIUM = "MEDIUM", "Medium"
    HIGH = "HIGH", "High"
    VERY_HIGH = "VERY_HIGH", "Very high"


# The thirteen OASys items the Programme Needs Identifier reads, by need domain, each scored
# 0-2 or unknown. The names are programmes.rules' item names (risk sits below programmes and
# cannot import them; programmes' tests check the two lists agree). Each is a column of
# RiskAssessment, so "who has offence-related sexual interests at 2" is one indexed query.
PNI_NEED_ITEMS: dict[str, tuple[str, ...]] = {
    "sex": ("sexual_preoccupation", "offence_related_sexual_interests", "emotional_congruence"),
    "thinking": ("pro_criminal_attitudes", "hostile_orientation"),
    "relationships": (
        "current_relationship_close_family",
        "previous_close_relationships",
        "easily_influenced",
        "aggressive_controlling_behaviour",
    ),
    "self_management": ("impulsivity", "temper_control", "problem_solving", "difficulties_coping"),
}
PNI_ITEM_NAMES: tuple[str, ...] = tuple(item for items in PNI_NEED_ITEMS.values() for item in items)
# Labels without OASys question numbers: the PNI sources name the items, not always the numbers.
PNI_ITEM_LABELS: dict[str, str] = {
    "sexual_preoccupation": "Sexual preoccupation",
    "offence_related_sexual_interests": "Offence-related sexual interests",
    "emotional_congruence": "Emotional congruence with children",
    "pro_criminal_attitudes": "Pro-criminal attitudes",
    "hostile_orientation": "Hostile orientation",
    "current_relationship_close_family": "Current relationship with close family",
    "previous_close_relationships": "Previous experience of close relationships",
    "easily_influenced": "Easily influenced by criminal associates",
    "aggressive_controlling_behaviour": "Aggressive or controlling behaviour",
    "impulsivity": "Impulsivity",
    "temper_control": "Temper control",
    "problem_solving": "Problem-solving skills",
    "difficulties_coping": "Difficulties coping",
}
PNI_ITEM_MAX = 2
