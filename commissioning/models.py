"""The Probation Services Dynamic Framework: its service categories, appointed
suppliers, and the contracts called off from it, each for a geography, a cohort and
a period. Referrals to these services live in the ``referrals`` app."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from commissioning.constants import (
    ApplicationStatus,
    CategoryKind,
    CommissionerKind,
    CompetitionStatus,
    Complexity,
    Criterion,
    GeographyLevel,
    SqSection,
    SupplierStatus,
)
from core.limits import NOTES_MAX
from core.locking import VersionedModel


class ServiceCategory(models.Model):
    """One of the framework's 14 service categories (numbered as in the contract notice)."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=6, choices=CategoryKind.choices)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.name


class ComplexityLevel(models.Model):
    """What low, medium and high complexity mean for a category: the practitioner picks
    one when referring, and the provider plans to it."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="complexity_levels")
    level = models.CharField(max_length=6, choices=Complexity.choices)
    description = models.CharField(max_length=400)

    class Meta:
        ordering = ["category", "level"]
        constraints = [models.UniqueConstraint(fields=["category", "level"], name="one_level_per_category")]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_level_display()}"


class DesiredOutcome(models.Model):
    """An outcome a referral can aim for; the end-of-service report rates each one."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="desired_outcomes")
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["category", "id"]

    def __str__(self) -> str:
        return self.description


class Supplier(VersionedModel):
    """An organisation appointed to the framework. Its staff sign in through the linked
    external organisation and only ever see their own organisation's work."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.OneToOneField(
        "organisation.ExternalOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier",
    )
    status = models.CharField(max_length=10, choices=SupplierStatus.choices, default=SupplierStatus.APPOINTED)
    appointed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A service bought from the framework for one geography, cohort and period."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    contract_type = models.CharField(
        max_length=12, help_text="ACC, ETE, PWB, WOS, FBD-xx, DNR-xx, WSM or MTR"
    )
    categories = models.ManyToManyField(ServiceCategory, related_name="contracts")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    subcontractors = models.ManyToManyField(Supplier, blank=True, related_name="subcontracts")
    geography_level = models.CharField(max_length=16, choices=GeographyLevel.choices)
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    pcc_area = models.ForeignKey(
        "organisation.PccArea", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    pdu = models.ForeignKey(
        "organisation.Pdu", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    local_authority = models.CharField(max_length=100, blank=True)
    allows_female = models.BooleanField(default=True)
    allows_male = models.BooleanField(default=True)
    minimum_age = models.PositiveSmallIntegerField(default=18, validators=[MinValueValidator(18)])
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(18), MaxValueValidator(120)]
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Last day referrals can be made")
    value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Total contract value in pounds"
    )
    expected_referrals_per_month = models.PositiveIntegerField(null=True, blank=True)
    nationally_commissioned = models.BooleanField(
        default=False, help_text="Bought nationally by HMPPS: reviewed by the region within two years"
    )
    description = models.TextField(max_length=NOTES_MAX, blank=True)
    activities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(allows_female=True) | models.Q(allows_male=True),
                name="contract_serves_someone",
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_age__isnull=True)
                | models.Q(maximum_age__gte=models.F("minimum_age")),
                name="contract_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    @property
    def geography_name(self) -> str:
        place = self.pdu or self.pcc_area or self.region
        if self.geography_level == GeographyLevel.NATIONAL:
            return "England and Wales"
        if self.geography_level == GeographyLevel.LOCAL_AUTHORITY:
            return self.local_authority
        return str(place) if place else ""

    @property
    def eligibility(self) -> str:
        sexes = "Women" if not self.allows_male else "Men" if not self.allows_female else "Men and women"
        ages = (
            f"{self.minimum_age} and over"
            if self.maximum_age is None
            else f"{self.minimum_age} to {self.maximum_age}"
        )
        return f"{sexes}, {ages}"


class SupplierApplication(models.Model):
    """A Selection Questionnaire: to join the framework, or (from an appointed supplier)
    to offer more categories or geographies. Open at any time, no limit on numbers."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    organisation_name = models.CharField(max_length=200)
    companies_house_number = models.CharField(max_length=8, blank=True)
    registered_address = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(blank=True)
    mandatory_exclusions_apply = models.BooleanField()
    discretionary_exclusions_apply = models.BooleanField()
    exclusion_details = models.TextField(
        max_length=NOTES_MAX, blank=True, help_text="What happened and the self-cleaning measures taken"
    )
    annual_turnover = models.DecimalField(max_digits=14, decimal_places=2)
    audited_accounts = models.BooleanField()
    experience = models.TextField(max_length=NOTES_MAX)
    references = models.TextField(max_length=NOTES_MAX)
    employers_liability = models.DecimalField(max_digits=14, decimal_places=2)
    public_liability = models.DecimalField(max_digits=14, decimal_places=2)
    professional_indemnity = models.DecimalField(max_digits=14, decimal_places=2)
    safeguarding_declaration = models.BooleanField()
    data_protection_declaration = models.BooleanField()
    cyber_essentials = models.BooleanField()
    categories = models.ManyToManyField(ServiceCategory, related_name="+")
    regions = models.ManyToManyField("organisation.Region", blank=True, related_name="+")
    pcc_areas = models.ManyToManyField("organisation.PccArea", blank=True, related_name="+")
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Application from {self.organisation_name}"


class ApplicationDocument(models.Model):
    """A supporting document, kept in the database so it is never publicly served."""

    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class SectionAssessment(models.Model):
    application = models.ForeignKey(SupplierApplication, on_delete=models.CASCADE, related_name="assessments")
    section = models.CharField(max_length=24, choices=SqSection.choices)
    passed = models.BooleanField()
    reason = models.TextField(max_length=NOTES_MAX)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["section"]
        constraints = [
            models.UniqueConstraint(fields=["application", "section"], name="one_assessment_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {'pass' if self.passed else 'fail'}"


class Qualification(models.Model):
    """What an appointed supplier may be invited to compete for: a category in a geography."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="qualifications")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pcc_area = models.ForeignKey(
        "organisation.PccArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        SupplierApplication, on_delete=models.PROTECT, related_name="qualifications"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(pcc_area__isnull=False),
                name="qualification_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.category} in {self.region or self.pcc_area}"


class Commissioner(models.Model):
    """A body that buys through the framework once it has signed the user agreement:
    an HMPPS region, a PCC, a local authority or a police force."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CommissionerKind.choices)
    organisation = models.OneToOneField(
        "organisation.ExternalOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioner",
    )
    region = models.OneToOneField(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioner",
        help_text="For an HMPPS region: the Regional Probation Director's team commissions",
    )
    agreement_signed_on = models.DateField(null=True, blank=True)
    agreement_signed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competition(VersionedModel):
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    lead = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="competitions")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    geography_level = models.CharField(max_length=16, choices=GeographyLevel.choices)
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pcc_area = models.ForeignKey(
        "organisation.PccArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdu = models.ForeignKey(
        "organisation.Pdu", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_authority = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a local authority service: its name (the PCC area says where it is)",
    )
    specification = models.TextField(max_length=NOTES_MAX)
    allows_female = models.BooleanField(default=True)
    allows_male = models.BooleanField(default=True)
    minimum_age = models.PositiveSmallIntegerField(default=18, validators=[MinValueValidator(18)])
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sentence_types = models.JSONField(default=list)
    expected_referrals_per_month = models.PositiveIntegerField()
    budget = models.DecimalField(max_digits=12, decimal_places=2)
    quality_weight = models.PositiveSmallIntegerField()
    price_weight = models.PositiveSmallIntegerField()
    social_value_weight = models.PositiveSmallIntegerField()
    clarification_deadline = models.DateTimeField()
    bid_deadline = models.DateTimeField()
    service_starts_on = models.DateField()
    service_ends_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=CompetitionStatus.choices, default=CompetitionStatus.DRAFT
    )
    evaluators = models.ManyToManyField("accounts.User", blank=True, related_name="evaluations")
    published_at = models.DateTimeField(null=True, blank=True)
    award_bid = models.ForeignKey("Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    award_decided_on = models.DateField(null=True, blank=True)
    standstill_ends_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(max_length=NOTES_MAX, blank=True)
    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="competition"
    )
    rerun_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reruns"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-bid_deadline"]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"


class CompetitionPartner(models.Model):
    """A co-commissioner and the share of the funding it puts in."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="partners")
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="partnerships")
    share_percent = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(99)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competition", "commissioner"], name="one_share_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.commissioner}: {self.share_percent}%"


class Invitation(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invitations")
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competition", "supplier"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} invited to {self.competition.reference}"


class Clarification(models.Model):
    """A supplier's question; the answer is published to every invited supplier without
    saying who asked."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(max_length=NOTES_MAX)
    asked_at = models.DateTimeField()
    answer = models.TextField(max_length=NOTES_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Clarification {self.pk}"


class Bid(models.Model):
    """Sealed until the deadline: nobody but the bidder sees it before then."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="bids")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="bids")
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    quality_response = models.TextField(max_length=NOTES_MAX)
    social_value_response = models.TextField(max_length=NOTES_MAX)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competition", "supplier"], name="one_bid_per_supplier")
        ]

    def __str__(self) -> str:
        return f"Bid from {self.supplier} for {self.competition.reference}"


class Score(models.Model):
    """An evaluator's independent mark (0 to 100) for one criterion of one bid."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(max_length=12, choices=Criterion.choices)
    mark = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    comment = models.TextField(max_length=NOTES_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bid", "evaluator", "criterion"], name="one_mark_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.mark}"


class ModeratedScore(models.Model):
    """The mark the panel agrees at moderation, with its rationale."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="moderated")
    criterion = models.CharField(max_length=12, choices=Criterion.choices)
    mark = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    rationale = models.TextField(max_length=NOTES_MAX)
    moderated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="one_moderated_mark")]

    def __str__(self) -> str:
        return f"{self.criterion} {self.mark} (moderated)"
