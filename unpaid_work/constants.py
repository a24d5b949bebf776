"""Unpaid Work vocabularies, each value described (codes from Community Payback in brackets)."""

from django.db import models

from unpaid_work import rules

# Registrations that bar a placement on a project involving children.
CHILD_SAFEGUARDING_REGISTRATIONS = ("CHILD_PROTECTION", "RISK_TO_CHILDREN")
# Staff grades who may supervise a work session.
SUPERVISOR_GRADES = ("UPW_SUPERVISOR", "PLACEMENT_COORDINATOR")


class ProjectType(models.TextChoices):
    GROUP = "GROUP", "Group placement (NP1, NP2, PL)"
    INDIVIDUAL = "INDIVIDUAL", "Individual placement (ICP, ES, PIP2)"
    PARTNER_SUPERVISED = "PARTNER_SUPERVISED", "Partner-supervised placement (PSP)"
    ETE = "ETE", "Education, training and employment (ET1, ET3, ET5, UP06)"
    INDUCTION = "INDUCTION", "Induction (PI, PS)"


class NominationStatus(models.TextChoices):
    """SUBMITTED by a member of the public -> ACCEPTED (a project is set up) or DECLINED (with a reason)."""

    SUBMITTED = "SUBMITTED", "Waiting to be assessed"
    ACCEPTED = "ACCEPTED", "Accepted"
    DECLINED = "DECLINED", "Declined"


class TravelMode(models.TextChoices):
    WALK = "WALK", "Walking"
    CYCLE = "CYCLE", "Cycling"
    PUBLIC_TRANSPORT = "PUBLIC_TRANSPORT", "Public transport"
    CAR = "CAR", "Car"


class SessionOutcome(models.TextChoices):
    """Attended outcomes earn credit; SENT_HOME_BEHAVIOUR, ATTENDED_FAILED_TO_COMPLY and
    UNACCEPTABLE_ABSENCE are enforceable. Future sessions only take ACCEPTABLE_ABSENCE."""

    ATTENDED_COMPLIED = rules.SessionOutcome.ATTENDED_COMPLIED.value, "Attended and complied (ATTC)"
    ATTENDED_FAILED_TO_COMPLY = (
        rules.SessionOutcome.ATTENDED_FAILED_TO_COMPLY.value,
        "Attended and failed to comply (AFTC)",
    )
    SENT_HOME_BEHAVIOUR = rules.SessionOutcome.SENT_HOME_BEHAVIOUR.value, "Sent home for behaviour (ATSH)"
    SENT_HOME_SERVICE = rules.SessionOutcome.SENT_HOME_SERVICE.value, "Sent home for service reasons (ATSS)"
    ACCEPTABLE_ABSENCE = rules.SessionOutcome.ACCEPTABLE_ABSENCE.value, "Acceptable absence"
    UNACCEPTABLE_ABSENCE = rules.SessionOutcome.UNACCEPTABLE_ABSENCE.value, "Unacceptable absence (UAAB)"


ATTENDED_OUTCOMES = frozenset(
    {
        SessionOutcome.ATTENDED_COMPLIED,
        SessionOutcome.ATTENDED_FAILED_TO_COMPLY,
        SessionOutcome.SENT_HOME_BEHAVIOUR,
        SessionOutcome.SENT_HOME_SERVICE,
    }
)
ENFORCEABLE_OUTCOMES = frozenset(
    {
        SessionOutcome.ATTENDED_FAILED_TO_COMPLY,
        SessionOutcome.SENT_HOME_BEHAVIOUR,
        SessionOutcome.UNACCEPTABLE_ABSENCE,
    }
)


class Rating(models.TextChoices):
    EXCELLENT = "EXCELLENT", "Excellent"
    GOOD = "GOOD", "Good"
    SATISFACTORY = "SATISFACTORY", "Satisfactory"
    UNSATISFACTORY = "UNSATISFACTORY", "Unsatisfactory"
    POOR = "POOR", "Poor"


class AdjustmentReason(models.TextChoices):
    TRAVEL_TIME = "TRAVEL_TIME", "Travel time (TTX)"
    OTHER = "OTHER", "Other, explained in the note"


class StandDownReason(models.TextChoices):
    WEATHER = "WEATHER", "Bad weather"
    SUPERVISOR_ABSENCE = "SUPERVISOR_ABSENCE", "Supervisor absent"
    VEHICLE = "VEHICLE", "Vehicle unavailable"
    BENEFICIARY = "BENEFICIARY", "Beneficiary cancelled"
    OTHER = "OTHER", "Other"


class ManagedBy(models.TextChoices):
    """Orders whose only requirement is unpaid work are managed by the Unpaid Work team;
    others stay with the practitioner, who is told what needs action."""

    UNPAID_WORK_TEAM = "UNPAID_WORK_TEAM", "Unpaid Work team"
    PRACTITIONER = "PRACTITIONER", "Probation practitioner"


class OrderStatus(models.TextChoices):
    """Where an Unpaid Work order stands. It opens when the sentence is recorded, works
    once the Unpaid Work assessment is done, and ends when its requirement ends
    (completed, revoked or terminated); an ended order takes no new bookings."""

    AWAITING_ASSESSMENT = "AWAITING_ASSESSMENT", "Assessment due"
    WORKING = "WORKING", "Working"
    ENDED = "ENDED", "Ended"


class PlanStatus(models.TextChoices):
    """PROPOSED by the planner -> CONFIRMED by the coordinator (bookings made) or DISCARDED."""

    PROPOSED = "PROPOSED", "Proposed, waiting for review"
    CONFIRMED = "CONFIRMED", "Confirmed"
    DISCARDED = "DISCARDED", "Discarded"
