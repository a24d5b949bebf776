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

from risk.constants import (
    PNI_ITEM_LABELS,
    PNI_ITEM_MAX,
    PNI_ITEM_NAMES,
    EnforcementKind,
    OspIicBand,
    PredictorKind,
    RegistrationType,
    RoshLevel,
    SaraLevel,
    SexualPredictorBand,
)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
ITEM_SCORE = [MaxValueValidator(PNI_ITEM_MAX)]


def _pni_item(name: str) -> models.PositiveSmallIntegerField[int | None, int | None]:
    """An OASys item the Programme Needs Identifier reads: 0, 1, 2, or null when unknown
    (never stored as 0: the PNI must tell unknown from no problem)."""
    return models.PositiveSmallIntegerField(
        PNI_ITEM_LABELS[name], null=True, blank=True, validators=ITEM_SCORE
    )


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
    # The direct contact sexual reoffending predictor is OSP-DC (OASys renamed it DC-SRP): its
    # band is the PNI's OSP-DC band, with Not applicable, so it is not stored twice.
    dc_srp_band = models.CharField(max_length=14, choices=SexualPredictorBand.choices, blank=True)
    osp_iic_band = models.CharField(
        "OSP-IIC band", max_length=14, choices=OspIicBand.choices, blank=True, help_text="Blank: not assessed"
    )
    sara_partner = models.CharField(
        "SARA risk towards a partner", max_length=9, choices=SaraLevel.choices, blank=True
    )
    sara_others = models.CharField(
        "SARA risk towards others", max_length=9, choices=SaraLevel.choices, blank=True
    )
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
    # The thirteen need items of the Programme Needs Identifier (risk.constants.PNI_NEED_ITEMS).
    sexual_preoccupation = _pni_item("sexual_preoccupation")
    offence_related_sexual_interests = _pni_item("offence_related_sexual_interests")
    emotional_congruence = _pni_item("emotional_congruence")
    pro_criminal_attitudes = _pni_item("pro_criminal_attitudes")
    hostile_orientation = _pni_item("hostile_orientation")
    current_relationship_close_family = _pni_item("current_relationship_close_family")
    previous_close_relationships = _pni_item("previous_close_relationships")
    easily_influenced = _pni_item("easily_influenced")
    aggressive_controlling_behaviour = _pni_item("aggressive_controlling_behaviour")
    impulsivity = _pni_item("impulsivity")
    temper_control = _pni_item("temper_control")
    problem_solving = _pni_item("problem_solving")
    difficulties_coping = _pni_item("difficulties_coping")
    ldc_score = models.PositiveSmallIntegerField(
        "Learning disabilities and challenges (LDC) score",
        null=True,
        blank=True,
        help_text="Its upper limit is the policy value ldc_score_max",
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        get_latest_by = "completed_on"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__lte": PNI_ITEM_MAX}) | models.Q(**{f"{name}__isnull": True}),
                name=f"risk_assessment_{name}_0_to_2",
            )
            for name in PNI_ITEM_NAMES
        ]

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
