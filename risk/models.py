"""Risk records for a person and the history of their tier.

A ``RiskAssessment`` is one completed OASys-style assessment (RoSH, predictors,
need section scores); the latest one counts. ``Registration`` and ``MappaRecord``
are open while they have no end date. ``TierCalculation`` keeps every tier the
person has had, with the inputs and reasons, written by ``risk.services`` whenever
something that feeds the tier changes.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from risk.constants import EnforcementKind, PredictorKind, RegistrationType, RoshLevel, SexualPredictorBand

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class RiskAssessment(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="risk_assessments")
    completed_on = models.DateField()
    rosh = models.CharField("RoSH", max_length=10, choices=RoshLevel.choices, blank=True)
    arp_score = models.DecimalField(
        "OGRS4 all reoffending (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    arp_type = models.CharField(max_length=7, choices=PredictorKind.choices, blank=True)
    csrp_score = models.DecimalField(
        "OGRS4 combined serious reoffending (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    csrp_type = models.CharField(max_length=7, choices=PredictorKind.choices, blank=True)
    dc_srp_score = models.DecimalField(
        "Direct contact sexual reoffending score",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    dc_srp_band = models.CharField(max_length=14, choices=SexualPredictorBand.choices, blank=True)
    rsr = models.DecimalField(
        "RSR (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    ogrs3 = models.DecimalField(
        "OGRS3 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    ovp = models.DecimalField(
        "OVP (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    ogp = models.DecimalField(
        "OGP (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    # OASys section scores keyed by risk.tiering.Need values (the sections with thresholds).
    need_scores = models.JSONField(default=dict, blank=True)
    parenting_responsibilities = models.BooleanField(default=False, help_text="OASys 6.9 (women)")
    impulsivity_or_temper_control = models.BooleanField(default=False, help_text="OASys 11.2 or 11.4 (women)")

    class Meta:
        ordering = ["-completed_on", "-id"]
        get_latest_by = "completed_on"

    def __str__(self) -> str:
        return f"Assessment completed {self.completed_on:%d/%m/%Y}"


class Registration(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="registrations")
    type = models.CharField(max_length=20, choices=RegistrationType.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.get_type_display()


class MappaRecord(models.Model):
    """MAPPA category (1 sexual, 2 violent, 3 other dangerous, 4 terrorism) and level (1-3)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="mappa_records")
    category = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"MAPPA category {self.category} level {self.level}"


class EnforcementRecord(models.Model):
    """A breach or recall on one of the person's convictions, kept here because the tier
    counts them (breach or recall within a year, women's factors).

    Supervision records breaches and sits above risk, so risk never reads its tables:
    supervision publishes ``BreachRequested`` and risk's handler writes this row in the
    same transaction. ``source`` names the fact it copies, once only."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "sentences.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=6, choices=EnforcementKind.choices)
    occurred_on = models.DateField()
    source = models.CharField(max_length=40, unique=True, help_text="The recorded fact, e.g. breach:17")

    class Meta:
        indexes = [models.Index(fields=["person", "occurred_on"], name="risk_enforcement_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class TierCalculation(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="tier_calculations")
    calculated_at = models.DateTimeField()
    tier = models.CharField(max_length=16)
    provisional = models.BooleanField(default=False)
    legacy_tier = models.CharField(max_length=2)
    protect_level = models.CharField(max_length=1)
    protect_points = models.IntegerField()
    change_level = models.PositiveSmallIntegerField()
    change_points = models.IntegerField()
    reasons = models.JSONField(default=list)
    inputs = models.JSONField(default=dict)
    trigger = models.CharField(max_length=120, help_text="What changed to cause this calculation")

    class Meta:
        ordering = ["-calculated_at", "-id"]
        get_latest_by = "calculated_at"

    def __str__(self) -> str:
        return f"{self.tier}{' (provisional)' if self.provisional else ''} / {self.legacy_tier}"
