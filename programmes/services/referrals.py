"""Writes of a programme referral: opened from a sentence or by the practitioner, assessed
by the Programmes team, moved through its side states and closures, and the facts kept
with it (LDC score, availability, offices, non-associations, partner contacts).

Every state change goes through ``programmes.services.transitions.move_referral``, which
guards it with ``programmes.lifecycle.REFERRAL``; the services here check the facts the
table does not describe (the programme chosen, the requirement referred against) and
audit every write in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.constants import AuditAction
from core.exceptions import TransitionNotAllowed
from core.lifecycle import Transition
from core.locking import lock_at_version
from core.policy import value_on
from core.roles import Capability
from people.models import Person
from people.rules import Sex
from programmes.constants import (
    CLOSED_REFERRAL_STATUSES,
    DayPart,
    NeedArea,
    PartnerContactMethod,
    ProgrammeKind,
    ReferralSource,
    ReferralStatus,
    StatusReason,
    Suitability,
)
from programmes.lifecycle import REFERRAL
from programmes.models import (
    Availability,
    GroupMember,
    LdcScore,
    NonAssociation,
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ReferralStatusChange,
)
from programmes.rules import referrals as rules
from programmes.rules.catalogue import accepts_new_referrals
from programmes.selectors import referrals as selectors
from programmes.services.transitions import audit_referral, move_referral
from sentences.constants import (
    DisposalType,
    RequirementStatus,
    RequirementType,
    SentenceStatus,
    StandardLicenceCondition,
)
from sentences.models import Event, LicenceCondition, Requirement

# Where a suitability assessment leaves the referral.
SUITABILITY_ENDS: dict[str, str] = {
    Suitability.SUITABLE: ReferralStatus.AWAITING_ALLOCATION,
    Suitability.SUITABLE_NOT_READY: ReferralStatus.SUITABLE_NOT_READY,
    Suitability.NOT_SUITABLE: ReferralStatus.WITHDRAWN,
    Suitability.NOT_ELIGIBLE: ReferralStatus.WITHDRAWN,
}

# The steps a person takes with a coded reason and a note, built here. Assessment has a
# form of its own (``assess``); the group slice's steps (schedule, unschedule, start,
# complete, deselect) are taken by the group services.
REASONED_STEPS = ("ready", "deprioritise", "defer", "withdraw", "recall", "return_to_court", "breach")
# The steps that end the referral: the person leaves any group they are in.
CLOSING_STEPS = frozenset({"withdraw", "recall", "return_to_court", "breach"})

CLOSED_MESSAGE = "This referral is closed: nothing more can be recorded on it."


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _refuse_if_closed(referral: ProgrammeReferral) -> None:
    """Availability, offices, scores and contacts are kept while the referral is open."""
    if referral.closed_on is not None:
        raise TransitionNotAllowed(CLOSED_MESSAGE)


def _check_programme(programme: Programme | None, person: Person, field: str = "programme") -> Programme:
    """The programme must take new referrals and be open to the person's sex."""
    today = timezone.localdate()
    if programme is None or not accepts_new_referrals(programme, today):
        raise ValidationError({field: "Choose a programme that is taking new referrals"})
    if not rules.suits_sex(men=programme.men, women=programme.women, sex=person.sex):
        who = "men" if person.sex == Sex.MALE else "women"
        raise ValidationError({field: f"{programme.name} is not open to {who}"})
    return programme


def _read_ldc(referral: ProgrammeReferral, acting_user: Any) -> None:
    """Keeps the LDC score from the person's latest risk assessment when it is new: a
    score read once stays (and any override after it stays in force) until the
    assessment's score changes."""
    assessed = selectors.latest_ldc_assessed(referral.person)
    if assessed is None:
        return
    last_read = referral.ldc_scores.filter(is_override=False).order_by("-recorded_at", "-id").first()
    if last_read is not None and last_read.score == assessed:
        return
    LdcScore.objects.create(
        referral=referral,
        score=assessed,
        is_override=False,
        reason="Read from the latest risk assessment",
        recorded_at=timezone.now(),
        recorded_by=_user_or_none(acting_user),
    )
    referral.ldc_score = assessed


def _open(
    *,
    acting_user: Any,
    person: Person,
    event: Event,
    source: str,
    must_finish_by: date,
    referred_on: date,
    requirement: Requirement | None = None,
    licence_condition: LicenceCondition | None = None,
    programme: Programme | None = None,
) -> ProgrammeReferral:
    referral = ProgrammeReferral.objects.create(
        person=person,
        event=event,
        requirement=requirement,
        licence_condition=licence_condition,
        programme=programme,
        pdu_id=person.pdu_id,
        source=source,
        status=REFERRAL.initial,
        referred_on=referred_on,
        referred_by=_user_or_none(acting_user),
        must_finish_by=must_finish_by,
    )
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=referral.status,
        changed_at=timezone.now(),
        changed_by=_user_or_none(acting_user),
        note=ReferralSource(source).label,
    )
    _read_ldc(referral, acting_user)
    if referral.ldc_score is not None:
        referral.save(update_fields=["ldc_score"])
    audit_referral(
        AuditAction.CREATE,
        acting_user,
        referral,
        referral,
        {
            "source": [None, source],
            "programme": [None, programme.code if programme else None],
            "must_finish_by": [None, must_finish_by],
        },
    )
    return referral


def _licence_end(event: Event) -> date:
    sentence = event.sentence
    return sentence.licence_ends_on or sentence.expected_end_on


# --- Opened and closed by the sentence ----------------------------------------------------


@transaction.atomic
def open_referrals_for_event(*, acting_user: Any, event: Event) -> list[ProgrammeReferral]:
    """A recorded sentence opens one referral for each programme requirement (to finish
    by the requirement's end) and each licence condition that requires a programme (to
    finish by the licence end). The programme is chosen later. Idempotent: a requirement
    or condition that already has a referral gets no second one."""
    opened = []
    requirements = event.sentence.requirements.filter(
        type=RequirementType.PROGRAMME, status=RequirementStatus.ACTIVE
    )
    for requirement in requirements:
        if ProgrammeReferral.objects.filter(requirement=requirement).exists():
            continue
        opened.append(
            _open(
                acting_user=acting_user,
                person=event.person,
                event=event,
                source=ReferralSource.REQUIREMENT,
                requirement=requirement,
                must_finish_by=requirement.expected_end_on,
                referred_on=event.sentenced_on,
            )
        )
    for condition in event.sentence.licence_conditions.filter(requires_programme=True):
        if ProgrammeReferral.objects.filter(licence_condition=condition).exists():
            continue
        opened.append(
            _open(
                acting_user=acting_user,
                person=event.person,
                event=event,
                source=ReferralSource.LICENCE_CONDITION,
                licence_condition=condition,
                must_finish_by=_licence_end(event),
                referred_on=event.sentenced_on,
            )
        )
    return opened


def _leave_group(referral: ProgrammeReferral) -> None:
    """A referral that closes takes its person out of the group they are in."""
    GroupMember.objects.filter(referral=referral, left_on__isnull=True).update(left_on=timezone.localdate())


@transaction.atomic
def close_referrals_of_ended(*, event_id: int, what: str) -> list[ProgrammeReferral]:
    """When a requirement or the whole sentence ends, its open referrals are withdrawn by
    the system with the reason "the order or licence ended" (a completed programme is
    already closed and stays complete)."""
    closed = []
    rows = (
        ProgrammeReferral.objects.select_for_update(of=("self",))
        .select_related("person", "requirement", "event__sentence")
        .filter(event_id=event_id)
        .exclude(status__in=CLOSED_REFERRAL_STATUSES)
    )
    for referral in rows:
        sentence_ended = referral.event.sentence.status != SentenceStatus.ACTIVE
        requirement_ended = (
            referral.requirement is not None and referral.requirement.status != RequirementStatus.ACTIVE
        )
        if not (sentence_ended or requirement_ended):
            continue
        _leave_group(referral)
        closed.append(
            move_referral(
                acting_user=None,
                referral=referral,
                step="withdraw",
                reason=StatusReason.SENTENCE_ENDED,
                note=what,
                by_system=True,
            )
        )
    return closed


# --- Referred by the practitioner ----------------------------------------------------------


@transaction.atomic
def refer(
    *,
    acting_user: Any,
    person: Person,
    event_id: int,
    programme_id: int | None,
    requirement_id: int | None,
) -> ProgrammeReferral:
    """The practitioner refers a person (in their scope) to a programme taking referrals,
    against a live sentence: an accredited programme against a programme requirement, a
    Structured Intervention against a rehabilitation activity requirement; under a
    licence, against the licence (its programme condition, or else the condition to take
    part in agreed activities)."""
    event = selectors.event_of(person, event_id)
    if event is None or not event.is_active or event.sentence.status != SentenceStatus.ACTIVE:
        raise ValidationError({"event": "Choose one of the person's current sentences"})
    programme = _check_programme(selectors.programme(programme_id) if programme_id else None, person)
    requirement = None
    licence_condition = None
    if event.sentence.disposal_type == DisposalType.CUSTODY:
        if requirement_id:
            raise ValidationError(
                {"requirement": "A licence has conditions, not requirements: leave the requirement blank"}
            )
        conditions = selectors.licence_conditions_of(event)
        licence_condition = next(
            (c for c in conditions if c.requires_programme),
            next((c for c in conditions if c.standard == StandardLicenceCondition.ACTIVITIES), None),
        )
        if licence_condition is None:
            raise ValidationError(
                {"event": "This licence has no condition a programme can be delivered under"}
            )
        must_finish_by = _licence_end(event)
    else:
        requirement = selectors.requirement_of(event, requirement_id) if requirement_id else None
        if requirement is None or requirement.status != RequirementStatus.ACTIVE:
            raise ValidationError({"requirement": "Choose an active requirement of this sentence"})
        needed = (
            RequirementType.RAR if programme.kind == ProgrammeKind.STRUCTURED else RequirementType.PROGRAMME
        )
        if requirement.type != needed:
            raise ValidationError(
                {
                    "requirement": "A Structured Intervention is referred against a rehabilitation activity requirement"
                    if needed == RequirementType.RAR
                    else "An accredited programme is referred against a programme requirement"
                }
            )
        must_finish_by = requirement.expected_end_on
    if selectors.open_referral_exists(
        requirement_id=requirement.pk if requirement else None,
        licence_condition_id=licence_condition.pk if licence_condition else None,
        programme_id=programme.pk,
    ):
        raise ValidationError(
            {
                "requirement" if requirement else "event": (
                    "There is already an open referral for this; its programme is chosen at assessment"
                )
            }
        )
    return _open(
        acting_user=acting_user,
        person=person,
        event=event,
        source=ReferralSource.PRACTITIONER,
        requirement=requirement,
        licence_condition=licence_condition,
        programme=programme,
        must_finish_by=must_finish_by,
        referred_on=timezone.localdate(),
    )


# --- The lifecycle's person-taken steps -----------------------------------------------------


def _locked(referral_id: int, expected_version: int) -> ProgrammeReferral:
    return lock_at_version(selectors.for_update(referral_id), referral_id, expected_version)


def reasoned_step(name: str) -> Transition:
    """One of the steps built here (``KeyError`` for any other: the caller answers 404)."""
    if name not in REASONED_STEPS:
        raise KeyError(name)
    return REFERRAL[name]


@transaction.atomic
def take_step(
    *,
    acting_user: Any,
    referral_id: int,
    step: str,
    reason: str = "",
    note: str = "",
    expected_version: int,
) -> ProgrammeReferral:
    """Ready, deprioritise, defer, withdraw, recall, return to court or breach: guarded by
    the lifecycle (who, from which state), with a coded reason where the step needs one
    ("Other" with a note). A closing step takes the person out of their group."""
    reasoned_step(step)
    referral = _locked(referral_id, expected_version)
    REFERRAL.guard(referral, step, acting_user)
    if step in CLOSING_STEPS:
        _leave_group(referral)
    return move_referral(acting_user=acting_user, referral=referral, step=step, reason=reason, note=note)


@dataclass(frozen=True)
class SuitabilityInput:
    suitability: str
    reasons: str
    programme_id: int | None = None
    reason: str = ""
    note: str = ""


@transaction.atomic
def assess(
    *, acting_user: Any, referral_id: int, outcome: SuitabilityInput, expected_version: int
) -> ProgrammeReferral:
    """The Programmes team's suitability assessment: suitable goes to awaiting allocation,
    suitable but not ready waits, not suitable and not eligible withdraw the referral.
    Each outcome gives its reasons; any but "suitable" also a coded reason. The programme
    (taking referrals, open to the person's sex) is required unless the referral closes.
    The LDC score is read again from the latest risk assessment."""
    referral = _locked(referral_id, expected_version)
    REFERRAL.guard(referral, "assess", acting_user)
    if outcome.suitability not in SUITABILITY_ENDS:
        raise ValidationError({"suitability": "Choose the outcome of the assessment"})
    if not outcome.reasons.strip():
        raise ValidationError({"suitability_reasons": "Give the reasons for the outcome"})
    target = SUITABILITY_ENDS[outcome.suitability]
    if outcome.programme_id:
        referral.programme = _check_programme(selectors.programme(outcome.programme_id), referral.person)
    elif target != ReferralStatus.WITHDRAWN:
        raise ValidationError({"programme": "Choose the programme"})
    reason = "" if outcome.suitability == Suitability.SUITABLE else outcome.reason
    if outcome.suitability != Suitability.SUITABLE and not reason:
        raise ValidationError({"reason": "Choose a reason"})
    referral.suitability = outcome.suitability
    referral.suitability_reasons = outcome.reasons.strip()
    referral.assessed_on = timezone.localdate()
    referral.assessed_by = acting_user
    _read_ldc(referral, acting_user)
    return move_referral(
        acting_user=acting_user,
        referral=referral,
        step="assess",
        target=target,
        reason=reason,
        note=outcome.note,
    )


# --- Kept with the referral -------------------------------------------------------------------


@transaction.atomic
def override_ldc(
    *, acting_user: Any, referral_id: int, score: int, reason: str, expected_version: int
) -> ProgrammeReferral:
    """A manual LDC score with its reason; the newest score is the one in force."""
    referral = _locked(referral_id, expected_version)
    _refuse_if_closed(referral)
    highest = int(value_on("ldc_score_max", timezone.localdate()))
    if not 0 <= score <= highest:
        raise ValidationError({"score": f"Enter a score from 0 to {highest}"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the score is overridden"})
    before = referral.ldc_score
    LdcScore.objects.create(
        referral=referral,
        score=score,
        is_override=True,
        reason=reason.strip()[:500],
        recorded_at=timezone.now(),
        recorded_by=acting_user,
    )
    referral.ldc_score = score
    referral.bump_version()
    referral.save()
    audit_referral(AuditAction.UPDATE, acting_user, referral, referral, {"ldc_score": [before, score]})
    return referral


@transaction.atomic
def set_availability(
    *,
    acting_user: Any,
    referral_id: int,
    slots: list[tuple[int, str]],
    preferred_office_ids: list[int],
    impossible_office_ids: list[int],
    expected_version: int,
) -> ProgrammeReferral:
    """When the person can attend (weekday by daytime or evening) and where they would
    rather, or cannot, go (offices in the region of the referral's PDU). Replaces what
    was there."""
    referral = _locked(referral_id, expected_version)
    _refuse_if_closed(referral)
    wanted = sorted(set(slots))
    for weekday, part in wanted:
        if not 0 <= weekday <= 6 or part not in DayPart.values:
            raise ValidationError({"availability": "Choose days from Monday to Sunday, daytime or evening"})
    offices = {o.pk: o for o in selectors.delivery_offices_for(referral)}
    preferred, impossible = set(preferred_office_ids), set(impossible_office_ids)
    if not preferred <= offices.keys():
        raise ValidationError({"preferred_offices": "Choose offices in the region"})
    if not impossible <= offices.keys():
        raise ValidationError({"impossible_offices": "Choose offices in the region"})
    if preferred & impossible:
        raise ValidationError({"impossible_offices": "An office cannot be both preferred and impossible"})
    before = selectors.availability_of(referral)
    referral.availability.all().delete()
    Availability.objects.bulk_create(
        Availability(referral=referral, weekday=weekday, part=part) for weekday, part in wanted
    )
    referral.preferred_offices.set([offices[pk] for pk in preferred])
    referral.impossible_offices.set([offices[pk] for pk in impossible])
    referral.bump_version()
    referral.save()
    audit_referral(
        AuditAction.UPDATE,
        acting_user,
        referral,
        referral,
        {
            "availability": [[f"{d}:{p}" for d, p in before], [f"{d}:{p}" for d, p in wanted]],
            "preferred_offices": [None, sorted(preferred)],
            "impossible_offices": [None, sorted(impossible)],
        },
    )
    return referral


@transaction.atomic
def add_non_association(
    *, acting_user: Any, referral_id: int, other_person: Person | None, reason: str
) -> NonAssociation:
    """Two people who must never share a group. ``other_person`` was resolved through the
    user's scope (None when the CRN names no one they may see). Recorded once: it holds
    both ways, so the reverse of one already kept is refused too."""
    referral = selectors.for_update(referral_id).select_for_update(of=("self",)).get()
    _refuse_if_closed(referral)
    if other_person is None:
        raise ValidationError({"crn": "Enter the CRN of a person you can see"})
    if other_person.pk == referral.person_id:
        raise ValidationError({"crn": "Enter someone other than the person referred"})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason they must be kept apart"})
    person_id = referral.person_id
    if (
        NonAssociation.objects.filter(referral__person_id=person_id, other_person=other_person).exists()
        or NonAssociation.objects.filter(
            referral__person_id=other_person.pk, other_person_id=person_id
        ).exists()
    ):
        raise ValidationError({"crn": "This non-association is already recorded"})
    row = NonAssociation.objects.create(
        referral=referral,
        other_person=other_person,
        reason=reason.strip()[:300],
        recorded_at=timezone.now(),
        recorded_by=acting_user,
    )
    audit_referral(
        AuditAction.CREATE, acting_user, row, referral, {"non_association": [None, other_person.crn]}
    )
    return row


def has_partner_link_work(programme: Programme | None) -> bool:
    """Partner Link Work goes with Building Better Relationships: the accredited domestic
    abuse programme."""
    return (
        programme is not None
        and programme.kind == ProgrammeKind.ACCREDITED
        and programme.need_area == NeedArea.DOMESTIC_ABUSE
    )


@transaction.atomic
def record_partner_contact(
    *,
    acting_user: Any,
    referral_id: int,
    contacted_on: date,
    method: str,
    safety_concern: bool,
    notes: str,
) -> PartnerContact:
    """The Partner Link Worker's contact with the partner or ex-partner. Only users with
    PARTNER_SAFETY may record one (refused here too, not only by the page)."""
    if not acting_user.has_capability(Capability.PARTNER_SAFETY):
        raise PermissionDenied
    referral = selectors.for_update(referral_id).select_for_update(of=("self",)).get()
    _refuse_if_closed(referral)
    if not has_partner_link_work(referral.programme):
        raise TransitionNotAllowed("Partner Link Work is kept for Building Better Relationships referrals.")
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "The date of the contact must be today or in the past"})
    if method not in PartnerContactMethod.values:
        raise ValidationError({"method": "Choose how the contact was made"})
    if not notes.strip():
        raise ValidationError({"notes": "Write what was discussed"})
    contact = PartnerContact.objects.create(
        referral=referral,
        contacted_on=contacted_on,
        method=method,
        safety_concern=safety_concern,
        notes=notes.strip(),
        recorded_by=acting_user,
    )
    # The audit row says a contact was made, never what was said.
    audit_referral(
        AuditAction.CREATE,
        acting_user,
        contact,
        referral,
        {"partner_contact": [None, str(contacted_on)], "safety_concern": [None, safety_concern]},
    )
    return contact
