"""Allocation history, appointments and outcomes, contact notes, warnings and breaches."""

from __future__ import annotations

from django.db import models

from core.limits import NOTES_MAX
from core.locking import VersionedModel
from supervision.constants import (
    AbsenceReason,
    AppointmentOutcome,
    AppointmentType,
    BreachStatus,
    CourtOutcome,
    TransferReason,
)


class Allocation(models.Model):
    """Who managed a person (or one event) and when. The open row (no ``ended_at``) is current."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="allocations")
    event = models.ForeignKey(
        "sentences.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="allocations"
    )
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practitioner = models.ForeignKey(
        "organisation.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=TransferReason.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.practitioner or 'Unallocated'} from {self.started_at:%d/%m/%Y}"


class Appointment(VersionedModel):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="appointments")
    event = models.ForeignKey(
        "sentences.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    type = models.CharField(max_length=14, choices=AppointmentType.choices)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    office = models.ForeignKey(
        "organisation.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practitioner = models.ForeignKey(
        "organisation.Staff", on_delete=models.PROTECT, related_name="appointments"
    )
    outcome = models.CharField(max_length=26, choices=AppointmentOutcome.choices, blank=True)
    absence_reason = models.CharField(max_length=24, choices=AbsenceReason.choices, blank=True)
    outcome_notes = models.TextField(max_length=NOTES_MAX, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["person", "starts_at"], name="appointment_person_idx")]
        constraints = [
            # An absence reason belongs only to an acceptable absence; with any other outcome it
            # would contradict the outcome (and could hide a failure that must be enforced).
            models.CheckConstraint(
                condition=models.Q(absence_reason="")
                | models.Q(outcome=AppointmentOutcome.ACCEPTABLE_ABSENCE),
                name="absence_reason_only_when_acceptable",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.starts_at:%d/%m/%Y %H:%M}"


class ContactNote(models.Model):
    """A free-text record on the case; sensitive notes are hidden from lists and exports."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contact_notes")
    text = models.TextField(max_length=NOTES_MAX)
    is_sensitive = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note {self.created_at:%d/%m/%Y}"


class Warning(models.Model):
    """A formal warning after an unacceptable failure (Sentencing Act 2020 Sch 10 para 6)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="warnings")
    event = models.ForeignKey("sentences.Event", on_delete=models.PROTECT, related_name="warnings")
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="warning")
    given_on = models.DateField()
    circumstances = models.TextField(max_length=NOTES_MAX)
    given_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"Warning {self.given_on:%d/%m/%Y}"


class Breach(VersionedModel):
    """Breach action on an event, from the request to the court's outcome."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="breaches")
    event = models.ForeignKey("sentences.Event", on_delete=models.PROTECT, related_name="breaches")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="breach"
    )
    status = models.CharField(max_length=10, choices=BreachStatus.choices, default=BreachStatus.REQUESTED)
    aware_on = models.DateField(help_text="When the service became aware of the failure")
    requested_on = models.DateField()
    actioned_on = models.DateField(null=True, blank=True)
    presented_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    court_outcome = models.CharField(max_length=20, choices=CourtOutcome.choices, blank=True)
    reason = models.TextField(max_length=NOTES_MAX)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return f"Breach requested {self.requested_on:%d/%m/%Y}"
