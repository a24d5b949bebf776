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
