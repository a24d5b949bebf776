"""Sentence, requirement and licence vocabularies, each value described."""

from django.db import models


class DisposalType(models.TextChoices):
    COMMUNITY_ORDER = "CO", "Community order"
    SUSPENDED_SENTENCE_ORDER = "SSO", "Suspended sentence order"
    CUSTODY = "CUSTODY", "Custodial sentence (licence and post-sentence supervision on release)"


class RequirementType(models.TextChoices):
    """The community requirements of Sentencing Act 2020 Schedule 9."""

    UNPAID_WORK = "UNPAID_WORK", "Unpaid work"
    RAR = "RAR", "Rehabilitation activity requirement"
    PROGRAMME = "PROGRAMME", "Programme requirement"
    PROHIBITED_ACTIVITY = "PROHIBITED_ACTIVITY", "Prohibited activity"
    CURFEW = "CURFEW", "Curfew"
    EXCLUSION = "EXCLUSION", "Exclusion"
    RESIDENCE = "RESIDENCE", "Residence"
    FOREIGN_TRAVEL = "FOREIGN_TRAVEL", "Foreign travel prohibition"
    MENTAL_HEALTH_TREATMENT = "MENTAL_HEALTH_TREATMENT", "Mental health treatment"
    DRUG_REHABILITATION = "DRUG_REHABILITATION", "Drug rehabilitation"
    ALCOHOL_TREATMENT = "ALCOHOL_TREATMENT", "Alcohol treatment"
    ALCOHOL_ABSTINENCE = "ALCOHOL_ABSTINENCE", "Alcohol abstinence and monitoring"
    ATTENDANCE_CENTRE = "ATTENDANCE_CENTRE", "Attendance centre (under 25)"


class RequirementStatus(models.TextChoices):
    """ACTIVE: in force. COMPLETED: done as ordered. TERMINATED: ended early by the court or
    by revocation (a reason is recorded)."""

    ACTIVE = "ACTIVE", "Active"
    COMPLETED = "COMPLETED", "Completed"
    TERMINATED = "TERMINATED", "Terminated"


class SentenceStatus(models.TextChoices):
    """ACTIVE: being served or supervised. COMPLETED: ran its full length.
    TERMINATED: ended early (revoked, resentenced, died ...), with a reason."""

    ACTIVE = "ACTIVE", "Active"
    COMPLETED = "COMPLETED", "Completed"
    TERMINATED = "TERMINATED", "Terminated"


class TerminationReason(models.TextChoices):
    COMPLETED = "COMPLETED", "Completed as ordered"
    REVOKED_GOOD_PROGRESS = "REVOKED_GOOD_PROGRESS", "Revoked early for good progress"
    REVOKED_RESENTENCED = "REVOKED_RESENTENCED", "Revoked and resentenced after breach"
    REVOKED_NEW_CONVICTION = "REVOKED_NEW_CONVICTION", "Revoked following a new conviction"
    AMENDED = "AMENDED", "Amended by the court"
    DIED = "DIED", "Person died"
    OTHER = "OTHER", "Other (explained in the note)"


# The additional licence condition that requires an accredited programme; recorded with
# ``LicenceCondition.requires_programme`` so programmes can open a referral from it.
PROGRAMME_LICENCE_CONDITION = "Attend and take part in an accredited programme"


class StandardLicenceCondition(models.TextChoices):
    """The eight standard licence and supervision conditions."""

    GOOD_BEHAVIOUR = (
        "GOOD_BEHAVIOUR",
        "Be of good behaviour and not behave in a way that undermines the purpose of supervision",
    )
    NO_OFFENCE = "NO_OFFENCE", "Not commit any offence"
    KEEP_IN_TOUCH = "KEEP_IN_TOUCH", "Keep in touch with the supervising officer as instructed"
    RECEIVE_VISITS = "RECEIVE_VISITS", "Receive visits from the supervising officer as instructed"
    RESIDE = "RESIDE", "Reside permanently at an address approved by the supervising officer"
    WORK = "WORK", "Undertake only work approved by the supervising officer"
    NO_TRAVEL = "NO_TRAVEL", "Not travel outside the United Kingdom without permission"
    ACTIVITIES = "ACTIVITIES", "Take part in activities agreed with the supervising officer"


class OffenceCategory(models.TextChoices):
    VIOLENCE = "VIOLENCE", "Violence against the person"
    SEXUAL = "SEXUAL", "Sexual offences"
    ROBBERY = "ROBBERY", "Robbery"
    THEFT = "THEFT", "Theft offences"
    CRIMINAL_DAMAGE = "CRIMINAL_DAMAGE", "Criminal damage and arson"
    DRUGS = "DRUGS", "Drug offences"
    WEAPONS = "WEAPONS", "Possession of weapons"
    PUBLIC_ORDER = "PUBLIC_ORDER", "Public order offences"
    FRAUD = "FRAUD", "Fraud offences"
    MOTORING = "MOTORING", "Summary motoring"
    OTHER = "OTHER", "Miscellaneous crimes against society"
