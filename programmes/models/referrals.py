"""A person's referral to a programme or Structured Intervention, from referral to
completion: its state (``programmes.lifecycle.REFERRAL``) with each move kept, the
suitability assessment, the LDC score with its overrides, the person's availability,
where they can and cannot go, who they must never share a group with, and (for Building
Better Relationships) the Partner Link Worker's contacts with the partner.
"""

from __future__ import annotations

from django.db import models

from core.limits import NOTES_MAX
from core.locking import VersionedModel
from programmes.constants import (
    DayPart,
    PartnerContactMethod,
    ReferralSource,
    ReferralStatus,
    StatusReason,
    Suitability,
)


class ProgrammeReferral(VersionedModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="programme_referrals")
    event = models.ForeignKey("sentences.Event", on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(
        "sentences.Requirement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    licence_condition = models.ForeignKey(
        "sentences.LicenceCondition", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Chosen at referral or at assessment; blank until the Programmes team knows which.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The waitlist it sits on: the person's PDU when referred.
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=17, choices=ReferralSource.choices)
    status = models.CharField(
        max_length=19, choices=ReferralStatus.choices, default=ReferralStatus.AWAITING_ASSESSMENT
    )
    status_reason = models.CharField(max_length=18, choices=StatusReason.choices, blank=True)
    status_note = models.TextField(max_length=NOTES_MAX, blank=True)
    referred_on = models.DateField()
    referred_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    # The end of the order or licence the programme must be finished within.
    must_finish_by = models.DateField()
    suitability = models.CharField(max_length=18, choices=Suitability.choices, blank=True)
    suitability_reasons = models.TextField(max_length=NOTES_MAX, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The learning disabilities and challenges score in force (history in LdcScore).
    ldc_score = models.PositiveSmallIntegerField(null=True, blank=True)
    preferred_offices = models.ManyToManyField("organisation.Office", blank=True, related_name="+")
    impossible_offices = models.ManyToManyField("organisation.Office", blank=True, related_name="+")
    started_on = models.DateField(null=True, blank=True, help_text="The first session attended")
    completed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "id"]
        indexes = [models.Index(fields=["pdu", "status"], name="programmes_waitlist_idx")]

    def __str__(self) -> str:
        return f"{self.programme or 'Programme'} referral {self.referred_on:%d/%m/%Y}"


class ReferralStatusChange(models.Model):
    """One move of a referral, kept so the history reads who moved it, when and why."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=19, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=19, choices=ReferralStatus.choices)
    reason = models.CharField(max_length=18, choices=StatusReason.choices, blank=True)
    note = models.TextField(max_length=NOTES_MAX, blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"


class LdcScore(models.Model):
    """The LDC score as read from the assessment, or a manual override with its reason;
    the newest row is the one in force (and copied to the referral)."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="ldc_scores")
    score = models.PositiveSmallIntegerField()
    is_override = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"LDC {self.score}{' (override)' if self.is_override else ''}"


class Availability(models.Model):
    """When the person can attend: a weekday and a part of the day."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday")
    part = models.CharField(max_length=7, choices=DayPart.choices)

    class Meta:
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "weekday", "part"], name="programmes_availability_once"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="programmes_availability_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.part}"


class NonAssociation(models.Model):
    """Two people who must never share a group; recorded on one referral, it holds both ways."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="non_associations")
    other_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "other_person"], name="programmes_non_association_once"
            )
        ]

    def __str__(self) -> str:
        return f"Not with {self.other_person_id}"


class PartnerContact(models.Model):
    """A Partner Link Worker's contact with the partner or ex-partner of a man on Building
    Better Relationships. Seen only by Partner Link Workers and treatment managers."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="partner_contacts")
    contacted_on = models.DateField()
    method = models.CharField(max_length=9, choices=PartnerContactMethod.choices)
    safety_concern = models.BooleanField(default=False)
    notes = models.TextField(max_length=NOTES_MAX)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"Partner contact {self.contacted_on:%d/%m/%Y}"
