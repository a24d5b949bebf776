"""Programme vocabularies, each value described (the glossary in code).

The values come from the pure enums in ``programmes/rules.py``, so each is listed once;
these add the words a page shows. No model uses them yet: they are ready for the referral.
"""

from django.db import models

from programmes import rules


class PniLevelChoice(models.TextChoices):
    """A Programme Needs Identifier risk or need level."""

    LOW = rules.PniLevel.LOW.value, "Low"
    MEDIUM = rules.PniLevel.MEDIUM.value, "Medium"
    HIGH = rules.PniLevel.HIGH.value, "High"
    MISSING = rules.PniLevel.MISSING.value, "Missing: the inputs cannot decide it"


class PathwayChoice(models.TextChoices):
    """The programme pathway the Programme Needs Identifier suggests."""

    HIGH_INTENSITY = rules.Pathway.HIGH_INTENSITY.value, "High intensity (high risk and high need)"
    MODERATE_INTENSITY = (
        rules.Pathway.MODERATE_INTENSITY.value,
        "Moderate intensity (medium or high risk with medium or high need, not both high)",
    )
    ALTERNATIVE_PATHWAY = (
        rules.Pathway.ALTERNATIVE_PATHWAY.value,
        "Alternative pathway (low risk or low need: a programme is not the right intervention)",
    )
    MISSING_INFORMATION = (
        rules.Pathway.MISSING_INFORMATION.value,
        "Missing information (complete the risk scores or the needs assessment)",
    )
