"""Refer-and-monitor vocabularies (docs/domain/referrals.md, from hmpps-interventions-service)."""

from django.db import models

from referrals import rules


class ReferralStatus(models.TextChoices):
    """Derived from what has happened (``rules.status``), stored for lists and filters."""

    SENT = rules.ReferralStatus.SENT.value, "Sent, waiting for a caseworker"
    ASSIGNED = rules.ReferralStatus.ASSIGNED.value, "Caseworker assigned"
    ASSESSMENT_BOOKED = rules.ReferralStatus.ASSESSMENT_BOOKED.value, "Assessment booked"
    ASSESSED = rules.ReferralStatus.ASSESSED.value, "Assessed, action plan due"
    ACTION_PLAN_SUBMITTED = (
        rules.ReferralStatus.ACTION_PLAN_SUBMITTED.value,
        "Action plan waiting for approval",
    )
    IN_PROGRESS = rules.ReferralStatus.IN_PROGRESS.value, "Sessions under way"
    AWAITING_REPORT = rules.ReferralStatus.AWAITING_REPORT.value, "End-of-service report due"
    COMPLETED = rules.ReferralStatus.COMPLETED.value, "Completed"
    ENDED_EARLY = rules.ReferralStatus.ENDED_EARLY.value, "Ended early"
    CANCELLED = rules.ReferralStatus.CANCELLED.value, "Cancelled"


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
