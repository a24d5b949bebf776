"""Groups and their sessions: formed by a programme coordinator, delivered by facilitators
under a treatment manager, in a room, on weekly slots, from the template in force when the
group starts. Each member's attendance is also an appointment on their supervision record.
"""

from __future__ import annotations

from django.db import models

from core.limits import NOTES_MAX
from core.locking import VersionedModel
from programmes.constants import Attendance, Cohort, DeliveryMode, GroupSex, GroupStatus, SessionKind


class ProgrammeGroup(VersionedModel):
    code = models.CharField(max_length=20, unique=True)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="groups")
    template = models.ForeignKey(
        "programmes.SessionTemplate", on_delete=models.PROTECT, related_name="groups"
    )
    cohort = models.CharField(max_length=7, choices=Cohort.choices)
    sex = models.CharField(max_length=6, choices=GroupSex.choices)
    ldc = models.BooleanField(default=False, help_text="Adapted for learning disabilities and challenges")
    pdu = models.ForeignKey("organisation.Pdu", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("programmes.Room", on_delete=models.PROTECT, related_name="groups")
    starts_on = models.DateField()
    treatment_manager = models.ForeignKey("organisation.Staff", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=9, choices=GroupStatus.choices, default=GroupStatus.FORMING)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "code"]

    def __str__(self) -> str:
        return self.code


class GroupSlot(models.Model):
    """A weekly time the group meets (its group sessions take their length from the template)."""

    group = models.ForeignKey(ProgrammeGroup, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday")
    starts_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "weekday", "starts_at"], name="programmes_slot_once"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="programmes_slot_weekday"),
        ]

    def __str__(self) -> str:
        return f"Day {self.weekday} at {self.starts_at:%H:%M}"


class GroupFacilitator(models.Model):
    group = models.ForeignKey(ProgrammeGroup, on_delete=models.CASCADE, related_name="facilitators")
    staff = models.ForeignKey("organisation.Staff", on_delete=models.PROTECT, related_name="+")
    is_cover = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "staff"], name="programmes_facilitator_once")]

    def __str__(self) -> str:
        return f"Facilitator {self.staff_id}{' (cover)' if self.is_cover else ''}"


class GroupMember(models.Model):
    """A referral in a group; ``left_on`` set when deselected or moved (the referral says why)."""

    group = models.ForeignKey(ProgrammeGroup, on_delete=models.PROTECT, related_name="members")
    referral = models.ForeignKey(
        "programmes.ProgrammeReferral", on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    delivery_mode = models.CharField(
        max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IN_GROUP
    )
    delivery_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(left_on__isnull=True),
                name="programmes_one_current_group",
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_mode=DeliveryMode.IN_GROUP) | ~models.Q(delivery_reason=""),
                name="programmes_flexible_delivery_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Member {self.referral_id} of {self.group_id}"


class ProgrammeSession(VersionedModel):
    """One session of a group, from its template. A group session is for every member; a
    one-to-one belongs to one member and is a placeholder until booked (``starts_at`` null).
    ``catch_up_for`` names the session a catch-up replaces for its member."""

    group = models.ForeignKey(ProgrammeGroup, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveSmallIntegerField(help_text="Order in the template")
    module = models.CharField(max_length=120)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    minutes = models.PositiveSmallIntegerField()
    member = models.ForeignKey(
        GroupMember, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    catch_up_for = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="catch_ups"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    room = models.ForeignKey(
        "programmes.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    facilitators = models.ManyToManyField("organisation.Staff", blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "position", "id"]
        indexes = [models.Index(fields=["group", "position"], name="programmes_session_order")]

    def __str__(self) -> str:
        return f"{self.group.code} {self.name}"


class SessionAttendance(models.Model):
    """A member's outcome at a session, and the supervision appointment it is recorded on."""

    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="attendances")
    appointment = models.OneToOneField(
        "supervision.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=25, choices=Attendance.choices, blank=True)
    absence_reason = models.CharField(max_length=24, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="programmes_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.outcome or 'Not recorded'}"


class SessionNote(models.Model):
    """A facilitator's note on a session, about the group or one member."""

    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="notes")
    member = models.ForeignKey(
        GroupMember, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    text = models.TextField(max_length=NOTES_MAX)
    written_at = models.DateTimeField()
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.written_at:%d/%m/%Y}"
