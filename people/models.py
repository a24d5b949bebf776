"""People on probation.

A person has one case reference number (CRN) for life and a current place of
case management: a PDU, usually a team within it, and usually a responsible
practitioner. ``is_restricted`` marks a case whose access is limited to the
users on its PERMITTED list; any user on its EXCLUDED list never sees it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from core.locking import VersionedModel
from people.constants import (
    AccessListKind,
    Disability,
    Ethnicity,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
)
from people.rules import soundex

CRN_VALIDATOR = RegexValidator(r"^[A-Z][0-9]{6}$", "A CRN is one letter followed by six digits")


class Person(VersionedModel):
    crn = models.CharField("CRN", max_length=7, unique=True, validators=[CRN_VALIDATOR])
    first_name = models.CharField(max_length=80)
    middle_names = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    pnc_number = models.CharField("PNC number", max_length=13, blank=True, db_index=True)
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.MALE)
    gender_identity = models.CharField(
        max_length=20, choices=GenderIdentity.choices, default=GenderIdentity.NOT_RECORDED
    )
    ethnicity = models.CharField(max_length=30, choices=Ethnicity.choices, default=Ethnicity.NOT_RECORDED)
    disability = models.CharField(max_length=20, choices=Disability.choices, default=Disability.NOT_RECORDED)
    disability_details = models.CharField(max_length=300, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, default=Religion.NOT_RECORDED)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, default=SexualOrientation.NOT_RECORDED
    )
    # Soundex keys of the names, for approximate search as an indexed equality.
    first_name_key = models.CharField(max_length=4, blank=True, editable=False)
    last_name_key = models.CharField(max_length=4, blank=True, editable=False, db_index=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="people")
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    practitioner = models.ForeignKey(
        "organisation.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    is_restricted = models.BooleanField(default=False)
    # Copies of the latest tier and RoSH, kept by risk.services, so caseloads sort and
    # filter without joining the history tables.
    tier = models.CharField(max_length=16, blank=True, db_index=True)
    tier_provisional = models.BooleanField(default=False)
    legacy_tier = models.CharField(max_length=2, blank=True)
    rosh = models.CharField("RoSH", max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
            models.Index(fields=["practitioner", "last_name"], name="person_caseload_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.crn})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_name_keys()
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        self.first_name_key, self.last_name_key = soundex(self.first_name), soundex(self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CaseAccessEntry(models.Model):
    """One user on a case's excluded or permitted list, with the reason."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AccessListKind.choices)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "user"], name="one_access_entry_per_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: user {self.user_id} on case {self.person_id}"


class Alias(models.Model):
    """Another name the person is or has been known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Address(models.Model):
    """An address in the person's history; the current main address has no end date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=120)
    line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=8)
    is_main = models.BooleanField(default=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.line_1}, {self.town} {self.postcode}"
