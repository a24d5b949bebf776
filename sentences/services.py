"""Recording and ending sentences. Each write is atomic, guarded and audited, and
publishes a domain event (``core.events``) in the same transaction: risk re-tiers the
person because sentences feed the tier (mandate for change, active events, release
dates, sexual offences), and Unpaid Work opens an order for each hours requirement.
Both sit above this app, so they subscribe rather than being called."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from audit import services as audit
from audit.constants import AuditAction
from core import events
from core.dates import refuse_future
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from people.models import Person
from sentences import rules
from sentences.constants import (
    PROGRAMME_LICENCE_CONDITION,
    DisposalType,
    OffenceCategory,
    RequirementStatus,
    RequirementType,
    SentenceStatus,
    StandardLicenceCondition,
    TerminationReason,
)
from sentences.models import Event, LicenceCondition, Offence, Requirement, Sentence

# Requirements whose amount is a number of months the requirement runs for.
PERIOD_REQUIREMENTS = frozenset(
    {
        RequirementType.PROHIBITED_ACTIVITY,
        RequirementType.EXCLUSION,
        RequirementType.RESIDENCE,
        RequirementType.FOREIGN_TRAVEL,
        RequirementType.MENTAL_HEALTH_TREATMENT,
        RequirementType.DRUG_REHABILITATION,
        RequirementType.ALCOHOL_TREATMENT,
        RequirementType.ALCOHOL_ABSTINENCE,
    }
)


@dataclass(frozen=True)
class OffenceInput:
    description: str
    category: OffenceCategory
    committed_on: date
    is_main: bool = False
    is_violent: bool = False
    is_sexual: bool = False


@dataclass(frozen=True)
class SentenceInput:
    disposal_type: DisposalType
    length_months: int | None = None
    custodial_days: int | None = None
    operational_months: int | None = None
    supervision_months: int | None = None
    released_on: date | None = None
    licence_ends_on: date | None = None


@dataclass(frozen=True)
class RequirementInput:
    type: RequirementType
    amount: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _field_error(prefix: str, error: rules.LimitError) -> ValidationError:
    return ValidationError({f"{prefix}{error.field}": error.message})


def _sentence_dates(
    person: Person, sentenced_on: date, offence_on: date, spec: SentenceInput
) -> dict[str, Any]:
    """Checks the disposal's legal limits and works out its dates."""
    try:
        if spec.disposal_type == DisposalType.COMMUNITY_ORDER:
            rules.check_community_order_length(spec.length_months or 0)
            return {"expected_end_on": rules.end_of_period(sentenced_on, spec.length_months or 0)}
        if spec.disposal_type == DisposalType.SUSPENDED_SENTENCE_ORDER:
            rules.check_suspended_sentence(
                spec.custodial_days or 0, spec.operational_months or 0, spec.supervision_months, sentenced_on
            )
            return {"expected_end_on": rules.end_of_period(sentenced_on, spec.operational_months or 0)}
    except rules.LimitError as error:
        raise _field_error("sentence.", error) from error
    if not spec.custodial_days or spec.released_on is None or spec.licence_ends_on is None:
        raise ValidationError(
            {
                "sentence.released_on": "Enter the custodial term, release date and licence end date for a custodial sentence"
            }
        )
    if spec.licence_ends_on < spec.released_on:
        raise ValidationError(
            {"sentence.licence_ends_on": "The licence must end on or after the release date"}
        )
    pss = rules.pss_end(
        sentenced_on=sentenced_on,
        sentence_days=spec.custodial_days,
        offence_on=offence_on,
        date_of_birth=person.date_of_birth,
        released_on=spec.released_on,
    )
    return {"pss_ends_on": pss, "expected_end_on": max(filter(None, [spec.licence_ends_on, pss]))}


def _requirement_end(spec: RequirementInput, starts_on: date, sentence_end: date) -> date:
    if spec.type == RequirementType.UNPAID_WORK:
        return rules.end_of_period(starts_on, rules.UNPAID_WORK_PERIOD_MONTHS)
    if spec.type in PERIOD_REQUIREMENTS or spec.type == RequirementType.CURFEW:
        months = spec.amount if spec.type in PERIOD_REQUIREMENTS else int(spec.details.get("months", 0))
        return min(rules.end_of_period(starts_on, months or 1), sentence_end)
    return sentence_end


def _check_requirement(
    person: Person, convicted_on: date, spec: RequirementInput, index: int, other_upw_hours: list[int]
) -> None:
    try:
        if spec.type == RequirementType.UNPAID_WORK:
            rules.check_unpaid_work_hours(spec.amount or 0, other_upw_hours)
        elif spec.type == RequirementType.RAR:
            rules.check_rar_days(spec.amount or 0)
        elif spec.type == RequirementType.CURFEW:
            pattern = rules.CurfewPattern(
                daily_hours=tuple(float(h) for h in spec.details.get("daily_hours", ())),
                months=int(spec.details.get("months", 0)),
            )
            rules.check_curfew(pattern, convicted_on)
        elif spec.type == RequirementType.ATTENDANCE_CENTRE:
            rules.check_attendance_centre(person.date_of_birth, convicted_on, spec.amount or 0)
        elif spec.type in PERIOD_REQUIREMENTS and not (spec.amount and spec.amount >= 1):
            raise rules.LimitError("amount", "Enter how many months the requirement lasts")
    except rules.LimitError as error:
        raise _field_error(f"requirements.{index}.", error) from error


def _unpaid_work_hours_same_occasion(person: Person, sentenced_on: date) -> list[int]:
    return [
        hours or 0
        for hours in Requirement.objects.filter(
            sentence__event__person=person,
            sentence__event__sentenced_on=sentenced_on,
            type=RequirementType.UNPAID_WORK,
        ).values_list("amount", flat=True)
    ]


@transaction.atomic
def record_event(
    *,
    acting_user: Any,
    person: Person,
    court: str,
    convicted_on: date,
    sentenced_on: date,
    offences: list[OffenceInput],
    sentence: SentenceInput,
    requirements: list[RequirementInput],
    additional_licence_conditions: list[str] | None = None,
    programme_licence_condition: bool = False,
) -> Event:
    """Records a conviction, its offences, the sentence and its requirements, all or nothing.

    Conviction and sentence are court outcomes already given, so neither date is after today.
    ``programme_licence_condition`` adds the additional licence condition to attend an
    accredited programme (marked ``requires_programme``; programmes refers from it).
    """
    refuse_future("convicted_on", convicted_on, "The conviction date")
    refuse_future("sentenced_on", sentenced_on, "The sentence date")
    if sentenced_on < convicted_on:
        raise ValidationError(
            {"sentenced_on": "The sentence date must be the same as or after the conviction date"}
        )
    if sum(o.is_main for o in offences) != 1:
        raise ValidationError({"offences": "Choose exactly one main offence"})
    if sentence.disposal_type == DisposalType.COMMUNITY_ORDER and not requirements:
        raise ValidationError({"requirements": "A community order must have at least one requirement"})
    if sentence.disposal_type == DisposalType.CUSTODY and requirements:
        raise ValidationError(
            {"requirements": "Custodial sentences have licence conditions, not requirements"}
        )
    if programme_licence_condition and sentence.disposal_type != DisposalType.CUSTODY:
        raise ValidationError(
            {"programme_licence_condition": "Only a custodial sentence has licence conditions"}
        )
    main = next(o for o in offences if o.is_main)
    dates = _sentence_dates(person, sentenced_on, main.committed_on, sentence)
    upw_so_far = _unpaid_work_hours_same_occasion(person, sentenced_on)
    for index, spec in enumerate(requirements):
        _check_requirement(person, convicted_on, spec, index, upw_so_far)
        if spec.type == RequirementType.UNPAID_WORK:
            upw_so_far.append(spec.amount or 0)

    number = (person.events.aggregate(n=Max("number"))["n"] or 0) + 1
    event = Event.objects.create(
        person=person,
        number=number,
        court=court.strip(),
        convicted_on=convicted_on,
        sentenced_on=sentenced_on,
        practitioner=person.practitioner,
    )
    Offence.objects.bulk_create(Offence(event=event, **vars(o)) for o in offences)
    record = Sentence.objects.create(
        event=event, starts_on=sentenced_on, **{k: v for k, v in vars(sentence).items()}, **dates
    )
    Requirement.objects.bulk_create(
        Requirement(
            sentence=record,
            type=spec.type,
            amount=spec.amount,
            details=spec.details,
            starts_on=sentenced_on,
            expected_end_on=_requirement_end(spec, sentenced_on, record.expected_end_on),
        )
        for spec in requirements
    )
    if sentence.disposal_type == DisposalType.CUSTODY:
        LicenceCondition.objects.bulk_create(
            [LicenceCondition(sentence=record, standard=c) for c in StandardLicenceCondition]
            + [
                LicenceCondition(sentence=record, additional_text=t.strip())
                for t in additional_licence_conditions or []
                if t.strip()
            ]
            + (
                [
                    LicenceCondition(
                        sentence=record, additional_text=PROGRAMME_LICENCE_CONDITION, requires_programme=True
                    )
                ]
                if programme_licence_condition
                else []
            )
        )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=event,
        object_repr=f"{person.crn} event {number}",
        changes={
            "disposal": [None, sentence.disposal_type],
            "requirements": [None, [f"{r.type}:{r.amount}" for r in requirements]],
            **({"programme_licence_condition": [None, True]} if programme_licence_condition else {}),
        },
    )
    events.publish(events.SentenceRecorded(acting_user=acting_user, person_id=person.pk, event_id=event.pk))
    return event


def _locked_requirement(requirement_id: int, expected_version: int) -> Requirement:
    requirement = lock_at_version(
        Requirement.objects.select_related("sentence__event__person"), requirement_id, expected_version
    )
    if requirement.status != RequirementStatus.ACTIVE:
        raise TransitionNotAllowed(f"This requirement is already {requirement.get_status_display().lower()}.")
    return requirement


@transaction.atomic
def end_requirement(
    *,
    acting_user: Any,
    requirement_id: int,
    ended_on: date,
    reason: TerminationReason,
    expected_version: int,
) -> Requirement:
    """Completes (reason COMPLETED) or terminates an active requirement."""
    requirement = _locked_requirement(requirement_id, expected_version)
    if ended_on < requirement.starts_on:
        raise ValidationError({"ended_on": "The end date must be on or after the requirement started"})
    refuse_future("ended_on", ended_on, "The end date")
    requirement.status = (
        RequirementStatus.COMPLETED if reason == TerminationReason.COMPLETED else RequirementStatus.TERMINATED
    )
    requirement.ended_on = ended_on
    requirement.termination_reason = reason
    requirement.bump_version()
    requirement.save()
    person = requirement.sentence.event.person
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=requirement,
        object_repr=f"{person.crn} {requirement}",
        changes={"status": [RequirementStatus.ACTIVE, requirement.status], "reason": [None, reason]},
    )
    events.publish(
        events.SentenceChanged(
            acting_user=acting_user,
            person_id=person.pk,
            event_id=requirement.sentence.event_id,
            what="Requirement ended",
        )
    )
    return requirement


@transaction.atomic
def end_sentence(
    *,
    acting_user: Any,
    sentence_id: int,
    ended_on: date,
    reason: TerminationReason,
    note: str = "",
    expected_version: int,
) -> Sentence:
    """Ends a sentence (completed or terminated early) and every requirement still active on it."""
    sentence = lock_at_version(
        Sentence.objects.select_related("event__person"), sentence_id, expected_version
    )
    if sentence.status != SentenceStatus.ACTIVE:
        raise TransitionNotAllowed(f"This sentence is already {sentence.get_status_display().lower()}.")
    if reason == TerminationReason.OTHER and not note.strip():
        raise ValidationError({"note": "Explain why the sentence ended"})
    refuse_future("ended_on", ended_on, "The end date")
    completed = reason == TerminationReason.COMPLETED
    sentence.status = SentenceStatus.COMPLETED if completed else SentenceStatus.TERMINATED
    sentence.ended_on, sentence.termination_reason, sentence.termination_note = ended_on, reason, note.strip()
    sentence.bump_version()
    sentence.save()
    sentence.requirements.filter(status=RequirementStatus.ACTIVE).update(
        status=RequirementStatus.COMPLETED if completed else RequirementStatus.TERMINATED,
        ended_on=ended_on,
        termination_reason=reason,
        version=F("version") + 1,
    )
    Event.objects.filter(pk=sentence.event_id).update(is_active=False)
    person = sentence.event.person
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=sentence,
        object_repr=f"{person.crn} {sentence}",
        changes={"status": [SentenceStatus.ACTIVE, sentence.status], "reason": [None, reason]},
    )
    events.publish(
        events.SentenceChanged(
            acting_user=acting_user, person_id=person.pk, event_id=sentence.event_id, what="Sentence ended"
        )
    )
    return sentence
