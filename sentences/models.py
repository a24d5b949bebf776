"""Events, offences, sentences and requirements.

An *event* is one conviction (court appearance) for a person; it has offences,
one of them the main offence, and one sentence (disposal). A sentence is a
community order, a suspended sentence order or a custodial sentence with licence.

Sentence and requirement states (``SentenceStatus``, ``RequirementStatus``):
ACTIVE -> COMPLETED when it runs its course, ACTIVE -> TERMINATED when it ends
early with a recorded reason. Completed and terminated are final. The
transitions live in ``sentences.services``.
"""

from __future__ import annotations

from django.db import models

from core.locking import VersionedModel
from sentences.constants import (
    DisposalType,
    OffenceCategory,
    RequirementStatus,
    RequirementType,
    SentenceStatus,
    StandardLicenceCondition,
    TerminationReason,
)


class Event(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="events")
    number = models.PositiveSmallIntegerField(help_text="1 for the person's first event, and so on")
    court = models.CharField(max_length=120)
    convicted_on = models.DateField()
    sentenced_on = models.DateField()
    # The practitioner responsible for this event (a person may have events managed apart).
    practitioner = models.ForeignKey(
        "organisation.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["person", "number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="unique_event_number")]

    def __str__(self) -> str:
        return f"Event {self.number} ({self.sentenced_on:%d/%m/%Y})"


class Offence(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="offences")
    description = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=OffenceCategory.choices)
    committed_on = models.DateField()
    is_main = models.BooleanField(default=False)
    is_violent = models.BooleanField(default=False)
    is_sexual = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_main", "committed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(is_main=True), name="one_main_offence_per_event"
            )
        ]

    def __str__(self) -> str:
        return self.description


class Sentence(VersionedModel):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="sentence")
    disposal_type = models.CharField(max_length=8, choices=DisposalType.choices)
    # Community order: length in months. SSO: custodial term (days), operational and
    # supervision periods (months). Custody: term (days), release and licence dates.
    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    custodial_days = models.PositiveIntegerField(null=True, blank=True)
    operational_months = models.PositiveSmallIntegerField(null=True, blank=True)
    supervision_months = models.PositiveSmallIntegerField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)
    licence_ends_on = models.DateField(null=True, blank=True)
    pss_ends_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    expected_end_on = models.DateField()
    status = models.CharField(max_length=10, choices=SentenceStatus.choices, default=SentenceStatus.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=30, choices=TerminationReason.choices, blank=True)
    termination_note = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.get_disposal_type_display()

    @property
    def is_community(self) -> bool:
        return self.disposal_type in (DisposalType.COMMUNITY_ORDER, DisposalType.SUSPENDED_SENTENCE_ORDER)


class Requirement(VersionedModel):
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="requirements")
    type = models.CharField(max_length=24, choices=RequirementType.choices)
    # Unpaid work hours, RAR days, curfew hours a day, or months for period requirements.
    amount = models.PositiveIntegerField(null=True, blank=True)
    # Requirement-specific details, e.g. a curfew's hours for each day, an exclusion zone.
    details = models.JSONField(default=dict, blank=True)
    starts_on = models.DateField()
    expected_end_on = models.DateField()
    progress = models.PositiveIntegerField(default=0, help_text="Hours worked, days used")
    status = models.CharField(
        max_length=10, choices=RequirementStatus.choices, default=RequirementStatus.ACTIVE
    )
    ended_on = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=30, choices=TerminationReason.choices, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.get_type_display()


class LicenceCondition(models.Model):
    """A standard condition (one of the eight) or an additional condition in free text;
    ``requires_programme`` marks the additional condition to attend an accredited programme."""

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="licence_conditions")
    standard = models.CharField(max_length=20, choices=StandardLicenceCondition.choices, blank=True)
    additional_text = models.CharField(max_length=500, blank=True)
    # "Attend and take part in an accredited programme": programmes opens a referral from it.
    requires_programme = models.BooleanField(
        default=False, help_text="Attend and take part in an accredited programme"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(standard="") | ~models.Q(additional_text=""),
                name="licence_condition_has_content",
            )
        ]

    def __str__(self) -> str:
        return self.get_standard_display() if self.standard else self.additional_text
