"""Geography and people who work in it.

Regions, PDUs, offices and PCC areas are real reference data loaded by migration
from ``organisation/reference_data``. PDUs and offices change over time, so they
are retired (``retired_at`` set), never deleted: cases and history still point at
them. Every change goes through ``organisation.services`` and is audited; a
record's history is its audit trail.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from core.locking import VersionedModel
from organisation.constants import Grade, OrganisationKind

UK_POSTCODE = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$",
    "Enter a real postcode, like SW1A 1AA",
)


class ActiveQuerySet(models.QuerySet[Any]):
    def active(self) -> ActiveQuerySet:
        return self.filter(retired_at__isnull=True)


class Region(models.Model):
    """One of the 12 probation regions (11 in England plus Wales), led by an RPD.

    ``id`` is the letter used by HMPPS interventions services; ``provider_code``
    is the nDelius provider code.
    """

    id = models.CharField(primary_key=True, max_length=1)
    provider_code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PccArea(models.Model):
    """A Police and Crime Commissioner (or mayoral PCC functions) area within a region."""

    id = models.SlugField(primary_key=True, max_length=50)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pcc_areas")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pdu(VersionedModel):
    """A Probation Delivery Unit: the local unit that manages cases. 108 on day one."""

    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pdus")
    pcc_area = models.ForeignKey(
        PccArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pdus",
        help_text="The police force area the PDU lies in: services commissioned for it reach the PDU",
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Probation Delivery Unit"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(retired_at__isnull=True),
                name="unique_active_pdu_name_per_region",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Office(VersionedModel):
    """An office or reporting centre in a PDU where people on probation are seen."""

    name = models.CharField(max_length=150)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, validators=[UK_POSTCODE])
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="offices")
    is_delivery_office = models.BooleanField(default=False)
    is_reporting_office = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["pdu__name", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.pdu.name}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Team(VersionedModel):
    """A team of practitioners within a PDU, led by a senior probation officer."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="teams")
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["pdu__name", "name"]

    def __str__(self) -> str:
        return self.name


class Staff(VersionedModel):
    """Someone employed by the Probation Service, with their grade and hours.

    A staff member belongs to a PDU and usually to a team within it; regional and
    national staff have a home PDU for their office base.
    """

    staff_code = models.CharField(max_length=12, unique=True)
    forename = models.CharField(max_length=80)
    surname = models.CharField(max_length=80)
    grade = models.CharField(max_length=24, choices=Grade.choices)
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("37.0"),
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("48.0"))],
        help_text="Contracted hours a week (full time is 37; the Working Time limit is 48)",
    )
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="staff", null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["surname", "forename"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"


class ExternalOrganisation(models.Model):
    """An organisation outside the Probation Service whose staff use the platform."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    pcc_area = models.ForeignKey(
        PccArea, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
