"""Supervision vocabularies, each value described."""

from django.db import models


class AppointmentType(models.TextChoices):
    INITIAL = "INITIAL", "Initial appointment (induction)"
    SUPERVISION = "SUPERVISION", "Planned supervision"
    HOME_VISIT = "HOME_VISIT", "Home visit"
    RAR_ACTIVITY = "RAR_ACTIVITY", "Rehabilitation activity (RAR day)"
    THREE_WAY = "THREE_WAY", "Three-way meeting"
    VIDEO = "VIDEO", "Video call"
    TELEPHONE = "TELEPHONE", "Telephone contact"
    UNPAID_WORK = "UNPAID_WORK", "Unpaid work session"
    PROGRAMME_SESSION = "PROGRAMME", "Accredited programme session"


class AppointmentOutcome(models.TextChoices):
    """ATTENDED_COMPLIED: no action. ATTENDED_FAILED_TO_COMPLY and UNACCEPTABLE_ABSENCE are
    enforceable: the practitioner must warn or start breach action (Sch 10 para 6).
    ACCEPTABLE_ABSENCE needs a reason and is not enforceable."""

    ATTENDED_COMPLIED = "ATTENDED_COMPLIED", "Attended and complied"
    ATTENDED_FAILED_TO_COMPLY = "ATTENDED_FAILED_TO_COMPLY", "Attended but failed to comply"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE", "Acceptable absence"
    UNACCEPTABLE_ABSENCE = "UNACCEPTABLE_ABSENCE", "Unacceptable absence"


ENFORCEABLE_OUTCOMES = frozenset(
    {AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY, AppointmentOutcome.UNACCEPTABLE_ABSENCE}
)


class AbsenceReason(models.TextChoices):
    """Acceptable absence reasons (Delius codes in brackets)."""

    MEDICAL = "MEDICAL", "Medical (AAME)"
    EMPLOYMENT = "EMPLOYMENT", "Employment (AAEM)"
    FAMILY_CHILDCARE = "FAMILY_CHILDCARE", "Family or childcare (AAFC)"
    COURT_LEGAL = "COURT_LEGAL", "Court or legal (AACL)"
    STOOD_DOWN = "STOOD_DOWN", "Appointment stood down (AASD)"
    PROFESSIONAL_JUDGEMENT = "PROFESSIONAL_JUDGEMENT", "Professional judgement (CO05)"


class EnforcementDecision(models.TextChoices):
    """After an enforceable outcome: WARNING (only when no warning is live) or BREACH."""

    WARNING = "WARNING", "Warning given"
    BREACH = "BREACH", "Breach action started"


class BreachStatus(models.TextChoices):
    """REQUESTED (practitioner asks) -> ACTIONED (enforcement officer lays the information)
    -> PRESENTED (at court) -> CONCLUDED (court outcome recorded). WITHDRAWN ends it early.
    The moves between them are ``supervision.lifecycle.BREACH``."""

    REQUESTED = "REQUESTED", "Breach requested"
    ACTIONED = "ACTIONED", "Information laid"
    PRESENTED = "PRESENTED", "Presented at court"
    CONCLUDED = "CONCLUDED", "Court outcome recorded"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


class CourtOutcome(models.TextChoices):
    CONTINUED = "CONTINUED", "Order continued, no change"
    FINE = "FINE", "Order continued with a fine"
    AMENDED = "AMENDED", "Order amended (more onerous requirements)"
    REVOKED_RESENTENCED = "REVOKED_RESENTENCED", "Order revoked and resentenced"
    SUSPENDED_SENTENCE_ACTIVATED = "SSO_ACTIVATED", "Suspended sentence activated"
    NOT_PROVEN = "NOT_PROVEN", "Breach not proven"


class TransferReason(models.TextChoices):
    INITIAL = "INITIAL", "First allocation"
    WORKLOAD = "WORKLOAD", "Workload balancing"
    RISK_CHANGE = "RISK_CHANGE", "Change in risk"
    MOVED_ADDRESS = "MOVED_ADDRESS", "Person moved address"
    STAFF_LEFT = "STAFF_LEFT", "Practitioner left or changed role"
    OTHER = "OTHER", "Other"
