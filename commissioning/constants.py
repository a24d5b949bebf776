"""Dynamic Framework vocabularies, each value described."""

from django.db import models


class CategoryKind(models.TextChoices):
    NEED = "need", "A need (what the service helps with)"
    COHORT = "cohort", "A cohort (who the service is for)"


class GeographyLevel(models.TextChoices):
    """The geographies a service can be bought for (docs/domain/commissioning.md)."""

    NATIONAL = "NATIONAL", "England and Wales"
    REGION = "REGION", "Probation region"
    PCC_AREA = "PCC_AREA", "Police and Crime Commissioner area"
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", "Local authority"
    PDU = "PDU", "Probation Delivery Unit"


class Complexity(models.TextChoices):
    """Each service category has low, medium and high complexity levels (refer and monitor)."""

    LOW = "LOW", "Low complexity"
    MEDIUM = "MEDIUM", "Medium complexity"
    HIGH = "HIGH", "High complexity"


class SupplierStatus(models.TextChoices):
    """APPOINTED once the Selection Questionnaire is passed; REMOVED if taken off the framework."""

    APPOINTED = "APPOINTED", "Appointed to the framework"
    REMOVED = "REMOVED", "Removed from the framework"


# The contract types of the 2021 framework contracts and the categories each covers
# (docs/domain/commissioning.md: PWB = Lifestyle and Associates, Family and Significant Others,
# Emotional Wellbeing and Social Inclusion). Typed codes such as FBD-SW or DNR-Y are
# regional variants of FBD and DNR.
CONTRACT_TYPE_CATEGORIES: dict[str, tuple[int, ...]] = {
    "ACC": (1,),
    "ETE": (2,),
    "FBD": (3,),
    "DNR": (4,),
    "PWB": (5, 6, 7, 8),
    "WOS": (9,),
    "WSM": (9,),
    "MTR": (8,),
}
CONTRACT_TYPE_NAMES: dict[str, str] = {
    "ACC": "Accommodation",
    "ETE": "Education, training and employment",
    "FBD": "Finance, benefits and debt",
    "DNR": "Dependency and recovery",
    "PWB": "Personal wellbeing",
    "WOS": "Women's services",
    "WSM": "Women's support (Greater Manchester)",
    "MTR": "Mentoring",
}
# How the contracts' activity lists name each need category.
NEED_AREA_PREFIXES: tuple[tuple[str, int], ...] = (
    ("accommodation", 1),
    ("education, training", 2),
    ("ete", 2),
    ("finance", 3),
    ("financial", 3),
    ("benefits", 3),
    ("money", 3),
    ("access to advice", 3),
    ("access to benefits", 3),
    ("dependency", 4),
    ("family", 5),
    ("lifestyle", 6),
    ("emotional", 7),
    ("social inclusion", 8),
)
YOUNG_ADULTS_CATEGORY = 10
YOUNG_ADULT_MAX_AGE = 25


class ApplicationStatus(models.TextChoices):
    """SUBMITTED -> PASSED (the supplier is appointed, or its offer extended) or FAILED
    (told why; may apply again)."""

    SUBMITTED = "SUBMITTED", "Submitted, being assessed"
    PASSED = "PASSED", "Passed: appointed"
    FAILED = "FAILED", "Failed"


class SqSection(models.TextChoices):
    """The Selection Questionnaire's sections, each assessed pass or fail with a reason."""

    MANDATORY_EXCLUSION = "MANDATORY_EXCLUSION", "Mandatory exclusion grounds"
    DISCRETIONARY_EXCLUSION = "DISCRETIONARY_EXCLUSION", "Discretionary exclusion grounds"
    ECONOMIC_FINANCIAL = "ECONOMIC_FINANCIAL", "Economic and financial standing"
    TECHNICAL_PROFESSIONAL = "TECHNICAL_PROFESSIONAL", "Technical and professional ability"
    INSURANCE = "INSURANCE", "Insurance"
    SAFEGUARDING = "SAFEGUARDING", "Safeguarding"
    DATA_PROTECTION = "DATA_PROTECTION", "Data protection"


class CommissionerKind(models.TextChoices):
    HMPPS_REGION = "HMPPS_REGION", "HMPPS region (Regional Probation Director's team)"
    PCC = "PCC", "Police and Crime Commissioner"
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", "Local authority"
    POLICE = "POLICE", "Police force"


class CompetitionStatus(models.TextChoices):
    """DRAFT -> PUBLISHED (suppliers invited, bids sealed) -> EVALUATION (after the
    deadline) -> STANDSTILL (award decided) -> AWARDED (contract made). With no compliant
    bid: RERUN (a new draft copies it) or DIRECT_AWARD (a contract with a recorded reason)."""

    DRAFT = "DRAFT", "Draft"
    PUBLISHED = "PUBLISHED", "Open for bids"
    EVALUATION = "EVALUATION", "Being evaluated"
    STANDSTILL = "STANDSTILL", "Award decided, in standstill"
    AWARDED = "AWARDED", "Awarded"
    RERUN = "RERUN", "Closed and run again"
    DIRECT_AWARD = "DIRECT_AWARD", "Closed with a direct award"


class Criterion(models.TextChoices):
    QUALITY = "QUALITY", "Quality"
    SOCIAL_VALUE = "SOCIAL_VALUE", "Social value"


SENTENCE_TYPES = (
    ("COMMUNITY_ORDER", "Community order"),
    ("SUSPENDED_SENTENCE", "Suspended sentence order"),
    ("LICENCE", "Licence"),
    ("PSS", "Post-sentence supervision"),
)
