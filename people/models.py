"""People on probation.

A person has one case reference number (CRN) for life and a current place of
case management: a PDU, usually a team within it, and usually a responsible
practitioner. ``is_restricted`` marks a case whose access is limited to the
users on its PERMITTED list; any user on its EXCLUDED list never sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from people.constants import AccessListKind

CRN_VALIDATOR = RegexValidator(r"^[A-Z][0-9]{6}$", "A CRN is one letter followed by six digits")


class Person(models.Model):
    crn = models.CharField("CRN", max_length=7, unique=True, validators=[CRN_VALIDATOR])
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
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
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.crn})"

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
