"""Writes to risk records and the tier. Every change that feeds the tier re-tiers the
person in the same transaction, keeps the history, and is audited."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core import events
from core.dates import refuse_future
from core.exceptions import TransitionNotAllowed
from core.policy import value_on
from people.models import Person
from risk import tiering
from risk.constants import EnforcementKind
from risk.models import EnforcementRecord, MappaRecord, Registration, RiskAssessment, TierCalculation
from risk.selectors import tier_inputs_for


def _as_json(inputs: tiering.TierInputs) -> dict[str, Any]:
    data = dataclasses.asdict(inputs)
    data["registrations"] = sorted(data["registrations"])
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


@transaction.atomic
def recalculate_tier(
    *, person: Person, acting_user: Any, trigger: str, as_of: date | None = None
) -> TierCalculation:
    """Recomputes the tier; stores a new history row only when the result changed, and
    audits that change."""
    calculation, changed, before = _retier(person, trigger, as_of)
    if changed:
        audit.record(
            AuditAction.UPDATE,
            actor=acting_user,
            obj=person,
            object_id=person.crn,
            object_repr=person.crn,
            changes={
                "tier": [before[0] if before else None, calculation.tier],
                "legacy_tier": [before[1] if before else None, calculation.legacy_tier],
                "trigger": [None, trigger],
            },
        )
    return calculation


@transaction.atomic
def recalculate_tiers(
    *, people: list[Person], acting_user: Any, trigger: str, as_of: date | None = None
) -> dict[str, list[str | None]]:
    """Re-tiers a batch of people (the nightly run) and writes one audit row for the
    batch naming each person whose tier changed, by CRN, with the change: a national
    run writes hundreds of rows, not hundreds of thousands. Returns those changes."""
    changed: dict[str, list[str | None]] = {}
    for person in people:
        calculation, was_changed, before = _retier(person, trigger, as_of)
        if was_changed:
            changed[person.crn] = [before[0] if before else None, calculation.tier]
    if people:
        audit.record(
            AuditAction.UPDATE,
            actor=acting_user,
            actor_username="" if acting_user else "scheduler",
            object_type="risk.tier_batch",
            object_id=f"{people[0].crn}..{people[-1].crn}",
            object_repr=f"{trigger}: {len(people)} people checked, {len(changed)} tiers changed"[:200],
            changes={"tiers": changed, "checked": [None, len(people)], "trigger": [None, trigger]},
        )
    return changed


def _retier(
    person: Person, trigger: str, as_of: date | None
) -> tuple[TierCalculation, bool, tuple[str, str] | None]:
    """Recomputes and stores the tier without auditing. Returns the calculation, whether
    it changed, and the (tier, legacy tier) it replaced (None for a first tier)."""
    inputs = tier_inputs_for(person, as_of or timezone.localdate())
    result = tiering.calculate_tier(inputs)
    latest = TierCalculation.objects.filter(person=person).order_by("-calculated_at", "-id").first()
    unchanged = latest is not None and (
        latest.tier,
        latest.provisional,
        latest.legacy_tier,
        list(latest.reasons),
    ) == (
        result.tier,
        result.provisional,
        result.legacy_tier,
        list(result.reasons),
    )
    if latest is not None and unchanged:
        return latest, False, (latest.tier, latest.legacy_tier)
    calculation = TierCalculation.objects.create(
        person=person,
        calculated_at=timezone.now(),
        tier=result.tier,
        provisional=result.provisional,
        legacy_tier=result.legacy_tier,
        protect_level=result.protect_level,
        protect_points=result.protect_points,
        change_level=result.change_level,
        change_points=result.change_points,
        reasons=list(result.reasons),
        inputs=_as_json(inputs),
        trigger=trigger[:120],
    )
    rosh = inputs.rosh.value if inputs.rosh else ""
    Person.objects.filter(pk=person.pk).update(
        tier=result.tier, tier_provisional=result.provisional, legacy_tier=result.legacy_tier, rosh=rosh
    )
    person.tier, person.tier_provisional, person.legacy_tier, person.rosh = (
        result.tier,
        result.provisional,
        result.legacy_tier,
        rosh,
    )
    return calculation, True, ((latest.tier, latest.legacy_tier) if latest else None)


@transaction.atomic
def record_assessment(*, acting_user: Any, person: Person, **fields: Any) -> RiskAssessment:
    """Records a completed risk assessment (RoSH, predictors, need scores, the Programme
    Needs Identifier's inputs), re-tiers, and publishes ``RiskAssessmentRecorded`` so the
    contexts that read assessments (programmes' PNI) recalculate in this transaction: a
    subscriber that fails rolls the assessment back.

    An assessment is recorded once completed, so its date is never after today.
    """
    refuse_future("completed_on", fields.get("completed_on"), "The date completed")
    assessment = RiskAssessment(person=person, **fields)
    assessment.full_clean()
    ldc_max = value_on("ldc_score_max", assessment.completed_on)
    if assessment.ldc_score is not None and assessment.ldc_score > ldc_max:
        raise ValidationError({"ldc_score": f"The LDC score must be from 0 to {ldc_max}"})
    for key in assessment.need_scores:
        if key not in {n.value for n in tiering.NEED_THRESHOLDS}:
            raise ValidationError({"need_scores": f"{key} is not a scored OASys need section"})
    assessment.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=assessment,
        object_repr=f"{person.crn} risk assessment",
        changes={"rosh": [None, assessment.rosh], "completed_on": [None, assessment.completed_on]},
    )
    try:
        recalculate_tier(person=person, acting_user=acting_user, trigger="Risk assessment completed")
    except tiering.TierInputError as error:
        # e.g. a Medium sexual predictor band with a score below 0.60: reject, never guess.
        raise ValidationError({"dc_srp_score": error.message}) from error
    events.publish(
        events.RiskAssessmentRecorded(
            acting_user=acting_user, person_id=person.pk, assessment_id=assessment.pk
        )
    )
    return assessment


@transaction.atomic
def add_registration(
    *, acting_user: Any, person: Person, type: str, starts_on: date, notes: str = ""
) -> Registration:
    if Registration.objects.filter(person=person, type=type, ends_on__isnull=True).exists():
        raise ValidationError({"type": "This registration is already open for the person"})
    registration = Registration(person=person, type=type, starts_on=starts_on, notes=notes.strip())
    registration.full_clean()
    registration.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=registration,
        object_repr=f"{person.crn} {registration}",
        changes={"type": [None, type], "starts_on": [None, starts_on]},
    )
    recalculate_tier(person=person, acting_user=acting_user, trigger=f"Registration added: {registration}")
    return registration


@transaction.atomic
def end_registration(*, acting_user: Any, registration_id: int, ends_on: date) -> Registration:
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("person").get(pk=registration_id)
    )
    if registration.ends_on is not None:
        raise TransitionNotAllowed("This registration has already ended.")
    if ends_on < registration.starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date"})
    registration.ends_on = ends_on
    registration.save(update_fields=["ends_on"])
    person = registration.person
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=registration,
        object_repr=f"{person.crn} {registration}",
        changes={"ends_on": [None, ends_on]},
    )
    recalculate_tier(person=person, acting_user=acting_user, trigger=f"Registration ended: {registration}")
    return registration


@transaction.atomic
def set_mappa(*, acting_user: Any, person: Person, category: int, level: int, starts_on: date) -> MappaRecord:
    """Opens a MAPPA record, closing any open one the day before."""
    current = MappaRecord.objects.select_for_update().filter(person=person, ends_on__isnull=True).first()
    record = MappaRecord(person=person, category=category, level=level, starts_on=starts_on)
    record.full_clean()
    if current is not None:
        if starts_on <= current.starts_on:
            raise ValidationError({"starts_on": "The new MAPPA record must start after the current one"})
        current.ends_on = starts_on
        current.save(update_fields=["ends_on"])
    record.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=record,
        object_repr=f"{person.crn} {record}",
        changes={
            "category": [current.category if current else None, category],
            "level": [current.level if current else None, level],
        },
    )
    recalculate_tier(person=person, acting_user=acting_user, trigger=f"MAPPA recorded: {record}")
    return record


@transaction.atomic
def record_enforcement(
    *,
    acting_user: Any,
    person: Person,
    event_id: int | None,
    kind: EnforcementKind,
    occurred_on: date,
    source: str,
    trigger: str,
) -> EnforcementRecord:
    """Keeps the tier's own record of a breach or recall and re-tiers the person.

    Called by the handler of the event the recording context publishes; recording the
    same ``source`` twice keeps the first row (an event delivered again changes nothing)."""
    record, created = EnforcementRecord.objects.get_or_create(
        source=source,
        defaults={"person": person, "event_id": event_id, "kind": kind, "occurred_on": occurred_on},
    )
    if created:
        audit.record(
            AuditAction.CREATE,
            actor=acting_user,
            obj=record,
            object_repr=f"{person.crn} {record}",
            changes={"kind": [None, kind], "occurred_on": [None, str(occurred_on)]},
        )
        recalculate_tier(person=person, acting_user=acting_user, trigger=trigger)
    return record
