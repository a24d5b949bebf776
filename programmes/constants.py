"""Programme vocabularies, each value described (the glossary in code).

The PNI's values come from the pure enums in ``programmes.rules``, so each is listed once;
these add the words a page shows. The rest are the catalogue's, the referral's and the
group's vocabularies.
"""

from django.db import models

from programmes import rules
from programmes.rules import catalogue as catalogue_rules
from programmes.rules import groups as group_rules


class PniLevelChoice(models.TextChoices):
    """A Programme Needs Identifier risk or need level."""

    LOW = rules.PniLevel.LOW.value, "Low"
    MEDIUM = rules.PniLevel.MEDIUM.value, "Medium"
    HIGH = rules.PniLevel.HIGH.value, "High"
    MISSING = rules.PniLevel.MISSING.value, "Missing: the inputs cannot decide it"


class PathwayChoice(models.TextChoices):
    """The programme pathway the Programme Needs Identifier suggests."""

    HIGH_INTENSITY = rules.Pathway.HIGH_INTENSITY.value, "High intensity (high risk and high need)"
    MODERATE_INTENSITY = (
        rules.Pathway.MODERATE_INTENSITY.value,
        "Moderate intensity (medium or high risk with medium or high need, not both high)",
    )
    ALTERNATIVE_PATHWAY = (
        rules.Pathway.ALTERNATIVE_PATHWAY.value,
        "Alternative pathway (low risk or low need: a programme is not the right intervention)",
    )
    MISSING_INFORMATION = (
        rules.Pathway.MISSING_INFORMATION.value,
        "Missing information (complete the risk scores or the needs assessment)",
    )


# --- The catalogue -------------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    """Accredited programmes are accredited nationally by CSAAP; Structured Interventions
    are approved region by region by the Effective Interventions Panel."""

    ACCREDITED = "ACCREDITED", "Accredited programme"
    STRUCTURED = "STRUCTURED", "Structured intervention"


class Intensity(models.TextChoices):
    """As HMPPS's accredited programmes service groups them; blank for a structured intervention."""

    HIGH = "HIGH", "High intensity"
    HIGH_MODERATE = "HIGH_MODERATE", "High moderate intensity"
    MODERATE = "MODERATE", "Moderate intensity"


class NeedArea(models.TextChoices):
    """What a programme addresses. The first three are the Structured Intervention need
    areas every region must cover."""

    ATTITUDES_THINKING_BEHAVIOUR = "ATB", "Attitudes, thinking and behaviour"
    DOMESTIC_ABUSE = "DA", "Domestic abuse"
    EMOTIONAL_MANAGEMENT = "EM", "Emotional management"
    GENERAL_OFFENDING = "GENERAL", "General offending"
    SEXUAL_OFFENDING = "SEXUAL", "Sexual offending"
    VIOLENCE = "VIOLENCE", "Violence"
    SUBSTANCE_MISUSE = "SUBSTANCE", "Substance misuse"
    LEARNING_DISABILITIES = "LDC", "Learning disabilities and challenges"


SI_NEED_AREAS = (
    NeedArea.ATTITUDES_THINKING_BEHAVIOUR,
    NeedArea.DOMESTIC_ABUSE,
    NeedArea.EMOTIONAL_MANAGEMENT,
)


class Eligibility(models.TextChoices):
    """The eligibility rule a programme applies, checked at referral and suitability."""

    PNI_HIGH_INTENSITY = "PNI_HIGH", "PNI pathway: high intensity"
    PNI_MODERATE_INTENSITY = "PNI_MODERATE", "PNI pathway: moderate intensity"
    OGRS3_50_PLUS = "OGRS3_50", "OGRS3 of 50% or more (medium risk of reoffending and above)"
    IPV_SARA_MEDIUM_PLUS = "IPV_SARA", "Men 18+, intimate partner violence, SARA medium or high"
    SEXUAL_OFFENDING = "SEXUAL", "Sexual offending, assessed by the treatment manager"
    LOWER_RISK = "LOWER_RISK", "Lower risk, or not suitable for an accredited programme"
    ASSESSED = "ASSESSED", "Assessed by the treatment manager (no published rule)"


class ApprovalStatus(models.TextChoices):
    """A programme's standing. Accredited programmes are APPROVED (accredited) from the start;
    a Structured Intervention is SUBMITTED by its region, then APPROVED or REJECTED by the
    Effective Interventions Panel; WITHDRAWN rolls it down (no new referrals, running
    groups finish). The moves are ``programmes.lifecycle.INTERVENTION``."""

    SUBMITTED = catalogue_rules.PanelStanding.SUBMITTED.value, "Submitted to the panel"
    APPROVED = catalogue_rules.PanelStanding.APPROVED.value, "Approved: deliverable"
    REJECTED = catalogue_rules.PanelStanding.REJECTED.value, "Rejected by the panel"
    WITHDRAWN = catalogue_rules.PanelStanding.WITHDRAWN.value, "Withdrawn: rolled down"


class SessionKind(models.TextChoices):
    GROUP = "GROUP", "Group session"
    ONE_TO_ONE = "ONE_TO_ONE", "One-to-one session"


# --- Referrals -----------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    """A programme referral's state (after HMPPS Accredited Programmes: Manage and Deliver).
    The moves between them are ``programmes.lifecycle.REFERRAL``."""

    AWAITING_ASSESSMENT = "AWAITING_ASSESSMENT", "Awaiting assessment"
    AWAITING_ALLOCATION = "AWAITING_ALLOCATION", "Awaiting allocation"
    SUITABLE_NOT_READY = "SUITABLE_NOT_READY", "Suitable but not ready"
    DEPRIORITISED = "DEPRIORITISED", "Deprioritised"
    DEFERRED = "DEFERRED", "Deferred"
    SCHEDULED = "SCHEDULED", "Scheduled"
    ON_PROGRAMME = "ON_PROGRAMME", "On programme"
    PROGRAMME_COMPLETE = "PROGRAMME_COMPLETE", "Programme complete"
    BREACH = "BREACH", "Breach (non-attendance)"
    RECALL = "RECALL", "Recall"
    RETURN_TO_COURT = "RETURN_TO_COURT", "Return to court"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


# Closed: nothing further happens on the referral.
CLOSED_REFERRAL_STATUSES = frozenset(
    {
        ReferralStatus.PROGRAMME_COMPLETE,
        ReferralStatus.BREACH,
        ReferralStatus.RECALL,
        ReferralStatus.RETURN_TO_COURT,
        ReferralStatus.WITHDRAWN,
    }
)
# On the waitlist: referred, not yet in a group.
WAITLIST_STATUSES = frozenset(
    {
        ReferralStatus.AWAITING_ASSESSMENT,
        ReferralStatus.AWAITING_ALLOCATION,
        ReferralStatus.SUITABLE_NOT_READY,
        ReferralStatus.DEPRIORITISED,
        ReferralStatus.DEFERRED,
    }
)


class ReferralSource(models.TextChoices):
    REQUIREMENT = "REQUIREMENT", "Programme requirement of a community or suspended sentence order"
    LICENCE_CONDITION = "LICENCE_CONDITION", "Licence or post-sentence supervision condition"
    PRACTITIONER = "PRACTITIONER", "Referred by the practitioner"


class ReasonGroup(models.TextChoices):
    """How HMPPS's services group the reasons for a referral's status."""

    ADMIN = "ADMIN", "Administrative"
    MOTIVATION = "MOTIVATION", "Motivation and behaviour"
    OPERATIONAL = "OPERATIONAL", "Operational"
    PERSONAL = "PERSONAL", "Personal and health"
    OTHER = "OTHER", "Other"


class StatusReason(models.TextChoices):
    """Coded reasons for a side state or a closure (after the HMPPS services' lists);
    ``STATUS_REASON_GROUPS`` says which group each belongs to."""

    NOT_ENOUGH_TIME = "NOT_ENOUGH_TIME", "Not enough time to complete the programme"
    DUPLICATE = "DUPLICATE", "Duplicate referral"
    SENTENCE_ENDED = "SENTENCE_ENDED", "The order or licence ended"
    WRONG_PROGRAMME = "WRONG_PROGRAMME", "Referred to the wrong programme"
    NOT_MOTIVATED = "NOT_MOTIVATED", "Not motivated to take part"
    DENIES_OFFENCE = "DENIES_OFFENCE", "Denies the offence"
    MISSED_SESSIONS = "MISSED_SESSIONS", "Missed too many sessions"
    GROUP_CONFLICT = "GROUP_CONFLICT", "Issues with other group members"
    DISRUPTIVE = "DISRUPTIVE", "Disruptive behaviour in the group"
    NO_GROUP_AVAILABLE = "NO_GROUP_AVAILABLE", "No suitable group available"
    NON_ASSOCIATION = "NON_ASSOCIATION", "A non-association prevents the available groups"
    STAFFING = "STAFFING", "Facilitators not available"
    HEALTH = "HEALTH", "Physical or mental health"
    SUBSTANCE_MISUSE = "SUBSTANCE_MISUSE", "Substance misuse needs addressing first"
    EMPLOYMENT = "EMPLOYMENT", "Employment or training commitments"
    CARING = "CARING", "Caring responsibilities"
    ACCOMMODATION = "ACCOMMODATION", "Accommodation crisis"
    CUSTODY = "CUSTODY", "In custody or recalled"
    OTHER = "OTHER", "Other (described in the note)"


STATUS_REASON_GROUPS: dict[str, ReasonGroup] = {
    StatusReason.NOT_ENOUGH_TIME: ReasonGroup.ADMIN,
    StatusReason.DUPLICATE: ReasonGroup.ADMIN,
    StatusReason.SENTENCE_ENDED: ReasonGroup.ADMIN,
    StatusReason.WRONG_PROGRAMME: ReasonGroup.ADMIN,
    StatusReason.NOT_MOTIVATED: ReasonGroup.MOTIVATION,
    StatusReason.DENIES_OFFENCE: ReasonGroup.MOTIVATION,
    StatusReason.MISSED_SESSIONS: ReasonGroup.MOTIVATION,
    StatusReason.GROUP_CONFLICT: ReasonGroup.MOTIVATION,
    StatusReason.DISRUPTIVE: ReasonGroup.MOTIVATION,
    StatusReason.NO_GROUP_AVAILABLE: ReasonGroup.OPERATIONAL,
    StatusReason.NON_ASSOCIATION: ReasonGroup.OPERATIONAL,
    StatusReason.STAFFING: ReasonGroup.OPERATIONAL,
    StatusReason.HEALTH: ReasonGroup.PERSONAL,
    StatusReason.SUBSTANCE_MISUSE: ReasonGroup.PERSONAL,
    StatusReason.EMPLOYMENT: ReasonGroup.PERSONAL,
    StatusReason.CARING: ReasonGroup.PERSONAL,
    StatusReason.ACCOMMODATION: ReasonGroup.PERSONAL,
    StatusReason.CUSTODY: ReasonGroup.OTHER,
    StatusReason.OTHER: ReasonGroup.OTHER,
}


class Suitability(models.TextChoices):
    """The Programmes team's assessment of a referral."""

    SUITABLE = "SUITABLE", "Suitable"
    SUITABLE_NOT_READY = "SUITABLE_NOT_READY", "Suitable but not ready"
    NOT_SUITABLE = "NOT_SUITABLE", "Not suitable"
    NOT_ELIGIBLE = "NOT_ELIGIBLE", "Not eligible"


class DayPart(models.TextChoices):
    DAYTIME = "DAYTIME", "Daytime"
    EVENING = "EVENING", "Evening"


# --- Groups and delivery -------------------------------------------------------------


class Cohort(models.TextChoices):
    GENERAL = "GENERAL", "General offending"
    SEXUAL = "SEXUAL", "Sexual offending"


class GroupSex(models.TextChoices):
    MALE = group_rules.GroupFor.MALE.value, "Men"
    FEMALE = group_rules.GroupFor.FEMALE.value, "Women"
    MIXED = group_rules.GroupFor.MIXED.value, "Mixed"


class GroupStatus(models.TextChoices):
    """FORMING: people being added, sessions planned. RUNNING: the first session has
    happened. ENDED: the last session has happened. CANCELLED: it never ran."""

    FORMING = "FORMING", "Forming"
    RUNNING = "RUNNING", "Running"
    ENDED = "ENDED", "Ended"
    CANCELLED = "CANCELLED", "Cancelled"


class DeliveryMode(models.TextChoices):
    """How a member takes part. Anything but IN_GROUP is flexible delivery, with a reason."""

    IN_GROUP = "IN_GROUP", "In the group"
    REMOTE = "REMOTE", "Remotely (video)"
    ONE_TO_ONE = "ONE_TO_ONE", "One-to-one"


class Attendance(models.TextChoices):
    """A session's outcome for one member; the last two are enforceable (Sentencing Act
    2020 Sch 10 para 6) and reach the practitioner through the supervision appointment."""

    ATTENDED_COMPLIED = "ATTENDED_COMPLIED", "Attended and complied"
    ATTENDED_FAILED_TO_COMPLY = "ATTENDED_FAILED_TO_COMPLY", "Attended and failed to comply"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE", "Acceptable absence"
    UNACCEPTABLE_ABSENCE = "UNACCEPTABLE_ABSENCE", "Unacceptable absence"


class PanelPrinciple(models.TextChoices):
    """The accreditation principles the Effective Interventions Panel assesses against
    (CSAAP's seven)."""

    MODEL_OF_CHANGE = "MODEL_OF_CHANGE", "A clear model of change"
    TARGETING = "TARGETING", "Selection of offenders"
    DYNAMIC_RISK = "DYNAMIC_RISK", "Targets dynamic risk factors"
    EFFECTIVE_METHODS = "EFFECTIVE_METHODS", "Effective methods"
    SKILLS = "SKILLS", "Skills oriented"
    SEQUENCING = "SEQUENCING", "Sequencing, intensity and duration"
    ENGAGEMENT = "ENGAGEMENT", "Engagement and motivation"


class PartnerContactMethod(models.TextChoices):
    PHONE = "PHONE", "Telephone"
    IN_PERSON = "IN_PERSON", "In person"
    LETTER = "LETTER", "Letter"
    EMAIL = "EMAIL", "Email"
    ATTEMPTED = "ATTEMPTED", "Attempted, no contact made"
