"""Community Payback: projects and the sessions they run, nominations from the public,
each person's unpaid work order, their bookings and what happened at each session.

An ``UnpaidWorkOrder`` is opened for every unpaid work requirement when the
sentence is recorded. Minutes credited live on bookings; the order's totals are
computed from them and from adjustments, never typed in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.constants import WEEKDAY_CHOICES
from core.limits import NOTES_MAX
from core.locking import VersionedModel
from organisation.models import UK_POSTCODE
from unpaid_work.constants import (
    AdjustmentReason,
    ManagedBy,
    NominationStatus,
    OrderStatus,
    PlanStatus,
    ProjectType,
    Rating,
    SessionOutcome,
    StandDownReason,
    TravelMode,
)

WEEKDAYS = WEEKDAY_CHOICES


class Project(VersionedModel):
    name = models.CharField(max_length=150)
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="upw_projects")
    type = models.CharField(max_length=20, choices=ProjectType.choices)
    beneficiary = models.CharField(max_length=150, help_text="The organisation or community that benefits")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, validators=[UK_POSTCODE])
    weekdays = models.JSONField(default=list, help_text="Days the project runs, 0 = Monday")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    people_per_supervisor = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(1)])
    women_only = models.BooleanField(default=False)
    involves_children = models.BooleanField(
        default=False, help_text="Not suitable for child protection or risk-to-children registrations"
    )
    accessible = models.BooleanField(default=False, help_text="Suitable for people with limited mobility")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    nomination = models.OneToOneField(
        "Nomination", on_delete=models.SET_NULL, null=True, blank=True, related_name="project"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A project suggested by a member of the public or an organisation (no sign-in)."""

    submitted_at = models.DateTimeField()
    nominator_name = models.CharField(max_length=120)
    organisation = models.CharField(max_length=150, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True)
    description = models.TextField(max_length=NOTES_MAX)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, validators=[UK_POSTCODE])
    pdu = models.ForeignKey(
        "organisation.Pdu", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    decision_reason = models.TextField(max_length=NOTES_MAX, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"Nomination from {self.organisation or self.nominator_name}"


class WorkSession(VersionedModel):
    """One day's work on a project. Stood down sessions keep their bookings' history."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(db_index=True)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    supervisors = models.ManyToManyField("organisation.Staff", blank=True, related_name="upw_sessions")
    stood_down_reason = models.CharField(max_length=20, choices=StandDownReason.choices, blank=True)
    stood_down_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "date"], name="one_session_per_project_day")
        ]

    def __str__(self) -> str:
        return f"{self.project} on {self.date:%d/%m/%Y}"


class UnpaidWorkOrder(VersionedModel):
    """A person's unpaid work requirement as the Unpaid Work service manages it."""

    requirement = models.OneToOneField(
        "sentences.Requirement", on_delete=models.PROTECT, related_name="upw_order"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="upw_orders")
    required_minutes = models.PositiveIntegerField()
    sentenced_on = models.DateField()
    managed_by = models.CharField(max_length=20, choices=ManagedBy.choices)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_ASSESSMENT
    )
    assessed_on = models.DateField(null=True, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)
    travel_mode = models.CharField(
        max_length=20, choices=TravelMode.choices, default=TravelMode.PUBLIC_TRANSPORT
    )
    # Weekdays (0 = Monday) the person can work, after work, caring duties and religious observance.
    available_weekdays = models.JSONField(default=list, blank=True, help_text="Empty means any day")
    availability_notes = models.CharField(max_length=300, blank=True)
    no_all_male_group = models.BooleanField(
        default=False, help_text="A woman's choice not to work in an all-male group"
    )
    needs_accessible_placement = models.BooleanField(default=False)

    class Meta:
        ordering = ["sentenced_on"]

    def __str__(self) -> str:
        return f"Unpaid work {self.required_minutes // 60} hours ({self.person.crn})"


class Adjustment(models.Model):
    order = models.ForeignKey(UnpaidWorkOrder, on_delete=models.CASCADE, related_name="adjustments")
    minutes = models.PositiveIntegerField()
    reason = models.CharField(max_length=12, choices=AdjustmentReason.choices)
    note = models.CharField(max_length=300, blank=True)
    made_on = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.minutes} minutes ({self.get_reason_display()})"


class Booking(VersionedModel):
    """A person booked on a session, and what happened there once recorded."""

    session = models.ForeignKey(WorkSession, on_delete=models.PROTECT, related_name="bookings")
    order = models.ForeignKey(UnpaidWorkOrder, on_delete=models.PROTECT, related_name="bookings")
    is_ete = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=26, choices=SessionOutcome.choices, blank=True)
    arrived_at = models.TimeField(null=True, blank=True)
    left_at = models.TimeField(null=True, blank=True)
    penalty_minutes = models.PositiveIntegerField(default=0)
    credited_minutes = models.PositiveIntegerField(default=0)
    work_quality = models.CharField(max_length=14, choices=Rating.choices, blank=True)
    behaviour = models.CharField(max_length=14, choices=Rating.choices, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    travel_minutes = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(600)])
    appointment = models.OneToOneField(
        "supervision.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="upw_booking",
        help_text="The session on the person's supervision record, where its outcome is enforced",
    )

    class Meta:
        ordering = ["session__date"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_live_booking_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.person.crn} on {self.session}"


class PlanRun(VersionedModel):
    """One run of the placement planner for a PDU and a horizon, kept so the coordinator
    can review and edit it before confirming, and so the figures can be checked later."""

    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="upw_plans")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.PROPOSED)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    solver_status = models.CharField(max_length=20)
    objective = models.FloatField()
    bound = models.FloatField()
    gap = models.FloatField()
    seconds = models.FloatField()
    people_considered = models.PositiveIntegerField()
    sessions_considered = models.PositiveIntegerField()
    greedy_minutes = models.PositiveIntegerField(help_text="What first-fit booking would have achieved")
    unbooked = models.JSONField(default=list, help_text="[order id, reason] for each person left unbooked")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_booked_on_confirm = models.JSONField(
        default=list, help_text="[order id, session id, reason] for proposals refused at confirmation"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan for {self.pdu} {self.starts_on:%d/%m/%Y} to {self.ends_on:%d/%m/%Y}"

    @property
    def gap_percent(self) -> str:
        """How far the plan may be from the best possible, as the solver proved it."""
        return f"{self.gap:.2%}"


class PlannedBooking(models.Model):
    """A booking the planner proposes; the coordinator can leave it out before confirming."""

    run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="proposals")
    session = models.ForeignKey(WorkSession, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(UnpaidWorkOrder, on_delete=models.CASCADE, related_name="+")
    travel_minutes = models.PositiveIntegerField(null=True, blank=True)
    near_travel_limit = models.BooleanField(default=False, help_text="Close to the limit: check the journey")
    is_ete = models.BooleanField(default=False)
    reason = models.CharField(max_length=300)
    included = models.BooleanField(default=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )

    class Meta:
        ordering = ["session__date", "session__project__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "session", "order"], name="one_proposal_per_pair")
        ]

    def __str__(self) -> str:
        return f"Proposal {self.order_id} on {self.session_id}"
