"""Refer-and-monitor vocabularies (docs/domain/referrals.md, from hmpps-interventions-service)."""

from django.db import models


class ReferralStatus(models.TextChoices):
    """Derived from what has happened (``rules.status``), stored for lists and filters."""

    SENT = "SENT", "Sent, waiting for a caseworker"
    ASSIGNED = "ASSIGNED", "Caseworker assigned"
    ASSESSMENT_BOOKED = "ASSESSMENT_BOOKED", "Assessment booked"
    ASSESSED = "ASSESSED", "Assessed, action plan due"
    ACTION_PLAN_SUBMITTED = "ACTION_PLAN_SUBMITTED", "Action plan waiting for approval"
    IN_PROGRESS = "IN_PROGRESS", "Sessions under way"
    AWAITING_REPORT = "AWAITING_REPORT", "End-of-service report due"
    COMPLETED = "COMPLETED", "Completed"
    ENDED_EARLY = "ENDED_EARLY", "Ended early"
    CANCELLED = "CANCELLED", "Cancelled"


CONCLUDED = frozenset({ReferralStatus.COMPLETED, ReferralStatus.ENDED_EARLY, ReferralStatus.CANCELLED})


class WithdrawalReason(models.TextChoices):
    """Coded withdrawal reasons (hmpps-interventions-service)."""

    INE = "INE", "Ineligible for the service"
    MIS = "MIS", "Referred by mistake, or a duplicate"
    NOT = "NOT", "Not engaged"
    NEE = "NEE", "Needs met elsewhere"
    MOV = "MOV", "Moved out of the area"
    WOR = "WOR", "Work or caring responsibilities"
    USE = "USE", "Died"
    ACQ = "ACQ", "Acquitted on appeal"
    RET = "RET", "Returned to custody"
    SER = "SER", "Sentence revoked"
    SEE = "SEE", "Sentence expired"
    EAR = "EAR", "Intervention completed early"
    ANO = "ANO", "Another reason, explained in the comments"


class Attendance(models.TextChoices):
    YES = "YES", "Attended"
    LATE = "LATE", "Attended late"
    NO = "NO", "Did not attend"


class DeliveryMethod(models.TextChoices):
    PHONE = "PHONE", "Phone call"
    VIDEO = "VIDEO", "Video call"
    PROBATION_OFFICE = "PROBATION_OFFICE", "In person at a probation office"
    OTHER_LOCATION = "OTHER_LOCATION", "In person somewhere else"


class OutcomeRating(models.TextChoices):
    ACHIEVED = "ACHIEVED", "Achieved"
    PARTIALLY_ACHIEVED = "PARTIALLY_ACHIEVED", "Partly achieved"
    NOT_ACHIEVED = "NOT_ACHIEVED", "Not achieved"
