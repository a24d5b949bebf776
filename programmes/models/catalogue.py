"""The catalogue: programmes and interventions, their session templates, where each is
delivered, the rooms they run in, and the panel's decisions on Structured Interventions.

A programme is identity (name, kind, need area); what it delivers is its ``SessionTemplate``,
effective-dated, so a template change applies to groups starting after it while running
groups keep the template they started with (a group points at its template row).
"""

from __future__ import annotations

from django.db import models

from core.limits import NOTES_MAX
from core.locking import VersionedModel
from programmes.constants import ApprovalStatus, Eligibility, Intensity, NeedArea, ProgrammeKind


class Programme(VersionedModel):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=ProgrammeKind.choices)
    intensity = models.CharField(max_length=13, choices=Intensity.choices, blank=True)
    need_area = models.CharField(max_length=9, choices=NeedArea.choices)
    audience = models.CharField(max_length=200, help_text="Who it is for, in plain words")
    eligibility = models.CharField(max_length=12, choices=Eligibility.choices)
    men = models.BooleanField(default=True, help_text="Open to men")
    women = models.BooleanField(default=True, help_text="Open to women")
    # A Structured Intervention belongs to the region that submitted it; accredited ones are national.
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=9, choices=ApprovalStatus.choices, default=ApprovalStatus.APPROVED)
    # The weeks it usually takes: with the weeks left on an order, says whether a person can finish.
    typical_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where what we know of it comes from")
    available_from = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="Rolled down: no new referrals from this day"
    )
    replaces = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="replaced_by")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class SessionTemplate(models.Model):
    """What a programme delivers, from a date: modules in order, each a list of sessions
    (group or one-to-one, minutes). ``published`` is false where no template is public:
    then ``modules`` is empty and ``note`` says so, and no group can be scheduled from it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="templates")
    effective_from = models.DateField()
    published = models.BooleanField(default=True)
    # [{"name": "Getting started", "sessions": [{"name": "...", "kind": "GROUP", "minutes": 150}, ...]}, ...]
    modules = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_from"], name="programmes_one_template_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} from {self.effective_from:%d/%m/%Y}"


class DeliveryOffer(models.Model):
    """The region's suite: this programme delivered in this PDU (at this office) over a period."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="offers")
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        "organisation.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pdu__name", "programme__name"]

    def __str__(self) -> str:
        return f"{self.programme} in {self.pdu}"


class SuiteReview(models.Model):
    """The Regional Probation Director's dated review of the region's delivery suite; the
    gaps found are kept as they stood that day."""

    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    gaps = models.JSONField(default=list)
    summary = models.TextField(max_length=NOTES_MAX)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Suite review {self.reviewed_on:%d/%m/%Y}"


class Room(VersionedModel):
    """A room at an office; ``accredited`` when it is suitable for group programmes."""

    office = models.ForeignKey("organisation.Office", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    capacity = models.PositiveSmallIntegerField()
    accredited = models.BooleanField(default=True, help_text="Suitable for group programmes")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office__name", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="programmes_room_name_unique")]

    def __str__(self) -> str:
        return f"{self.office.name}: {self.name}"


class PanelDecision(models.Model):
    """A step of a Structured Intervention through the Effective Interventions Panel:
    submitted, approved, rejected or withdrawn, with the principles it was judged against."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="panel_decisions")
    status = models.CharField(max_length=9, choices=ApprovalStatus.choices)
    decided_on = models.DateField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # The principles not met (a rejection names at least one).
    principles_not_met = models.JSONField(default=list, blank=True)
    reasons = models.TextField(max_length=NOTES_MAX, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.decided_on:%d/%m/%Y}"
