"""The person's Programme Needs Identifier (PNI) history.

A ``ProgrammeNeeds`` row is one PNI result, kept like the tier: a new row only when the
result changes, so the history says when and why the suggested pathway moved. The
inputs live on ``risk.RiskAssessment``; the row names the assessment it was read from.
"""

from __future__ import annotations

from django.db import models

from programmes.constants import PathwayChoice, PniLevelChoice


class ProgrammeNeeds(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="programme_needs")
    calculated_at = models.DateTimeField()
    # The assessment read; null when the person had none (the PNI is then missing information).
    # Not a foreign key to risk: a deleted assessment must not delete the history that cited it.
    assessment_id = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=7, choices=PniLevelChoice.choices)
    need_level = models.CharField(max_length=7, choices=PniLevelChoice.choices)
    need_score = models.PositiveSmallIntegerField(null=True, blank=True)
    # {"sex": 0-2 or null, "thinking": ..., "relationships": ..., "self_management": ...}; null: no needs.
    domain_scores = models.JSONField(null=True, blank=True)
    pathway = models.CharField(max_length=19, choices=PathwayChoice.choices)
    reasons = models.JSONField(default=list)
    trigger = models.CharField(max_length=120, help_text="What changed to cause this calculation")

    class Meta:
        ordering = ["-calculated_at", "-id"]
        get_latest_by = "calculated_at"
        verbose_name_plural = "programme needs"
        indexes = [models.Index(fields=["person", "-calculated_at"], name="programmes_pni_latest")]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} ({self.calculated_at:%d/%m/%Y})"
