"""A referral from a probation practitioner to a commissioned service, and what the
provider records as it is delivered. The provider's staff only ever see referrals to
their own organisation's contracts (``referrals.selectors``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from commissioning.constants import Complexity
from core.limits import NOTES_MAX
from core.locking import VersionedModel
from referrals.constants import Attendance, DeliveryMethod, OutcomeRating, ReferralStatus, WithdrawalReason


class Referral(VersionedModel):
    reference = models.CharField(max_length=10, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    contract = models.ForeignKey("commissioning.Contract", on_delete=models.PROTECT, related_name="referrals")
    category = models.ForeignKey("commissioning.ServiceCategory", on_delete=models.PROTECT, related_name="+")
    complexity = models.CharField(max_length=6, choices=Complexity.choices)
    desired_outcomes = models.ManyToManyField("commissioning.DesiredOutcome", related_name="+")
    max_rar_days = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(365)], help_text="Most rehabilitation activity days the service may use"
    )
    completion_deadline = models.DateField()
    risk_information = models.TextField(
        max_length=NOTES_MAX, help_text="What the practitioner chose to share about risk"
    )
    additional_information = models.TextField(max_length=NOTES_MAX, blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey("organisation.Staff", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=22, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="caseload"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assessment_at = models.DateTimeField(null=True, blank=True, help_text="When the assessment is booked for")
    assessed_on = models.DateField(null=True, blank=True)
    assessment_notes = models.TextField(max_length=NOTES_MAX, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=3, choices=WithdrawalReason.choices, blank=True)
    withdrawal_comments = models.TextField(max_length=NOTES_MAX, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["contract", "sent_at"], name="referral_contract_sent_idx")]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class ActionPlan(models.Model):
    """The provider's plan after the assessment; the practitioner approves it. A plan
    sent back is kept, and the provider submits a new one."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="action_plans")
    number_of_sessions = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    activities = models.TextField(max_length=NOTES_MAX)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True, help_text="Sent back to the provider")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comments = models.TextField(max_length=NOTES_MAX, blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"Action plan for {self.referral.reference}"


class DeliverySession(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    happened_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=DeliveryMethod.choices)
    attendance = models.CharField(max_length=4, choices=Attendance.choices)
    absence_acceptable = models.BooleanField(null=True, blank=True, help_text="Only when they did not attend")
    progress_notes = models.TextField(max_length=NOTES_MAX, blank=True)
    behaviour_notes = models.TextField(max_length=NOTES_MAX, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointment = models.OneToOneField(
        "supervision.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["referral", "number"], name="one_record_per_session")]

    def __str__(self) -> str:
        return f"Session {self.number} of {self.referral.reference}"

    @property
    def enforceable(self) -> bool:
        return self.attendance == Attendance.NO and self.absence_acceptable is False


class EndOfServiceReport(models.Model):
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="end_of_service_report")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    further_information = models.TextField(max_length=NOTES_MAX, blank=True)

    def __str__(self) -> str:
        return f"End-of-service report for {self.referral.reference}"


class OutcomeResult(models.Model):
    report = models.ForeignKey(EndOfServiceReport, on_delete=models.CASCADE, related_name="results")
    outcome = models.ForeignKey("commissioning.DesiredOutcome", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=18, choices=OutcomeRating.choices)
    notes = models.TextField(max_length=NOTES_MAX, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "outcome"], name="one_rating_per_outcome")]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_rating_display()}"
