"""Gathering a person's tier inputs from their records (the pure rules do the rest)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.http import Http404

from people.models import Person
from risk import tiering
from risk.models import EnforcementRecord, MappaRecord, Registration, RiskAssessment, TierCalculation
from sentences.constants import DisposalType, RequirementStatus, RequirementType
from sentences.models import Event, Offence, Requirement

# Requirements that restrict rather than change behaviour. A case whose only requirements
# are these (or unpaid work) has no "mandate for change" (hmpps-tier MandateForChange.kt:
# no custodial sentence and no non-restrictive requirement other than unpaid work).
RESTRICTIVE_REQUIREMENTS = frozenset(
    {
        RequirementType.CURFEW,
        RequirementType.EXCLUSION,
        RequirementType.PROHIBITED_ACTIVITY,
        RequirementType.FOREIGN_TRAVEL,
        RequirementType.RESIDENCE,
        RequirementType.ALCOHOL_ABSTINENCE,
    }
)
NO_MANDATE_REQUIREMENTS = RESTRICTIVE_REQUIREMENTS | {RequirementType.UNPAID_WORK}
# Breach or recall on an active conviction in the last year counts for women (docs/domain/risk.md).
ENFORCEMENT_LOOKBACK_MONTHS = 12


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _predictors(assessment: RiskAssessment | None) -> tiering.Predictors:
    if assessment is None:
        return tiering.Predictors(arp=None, csrp=None, dc_srp=None, rsr=None, ogrs3=None)
    a = assessment

    def ogrs4(score: Decimal | None, kind: str) -> tiering.Ogrs4Predictor | None:
        if score is None or not kind:
            return None
        return tiering.Ogrs4Predictor(score=float(score), type=tiering.PredictorType(kind))

    dc = (
        tiering.DcSrp(score=float(a.dc_srp_score), band=tiering.DcSrpBand(a.dc_srp_band))
        if a.dc_srp_score is not None and a.dc_srp_band
        else None
    )
    return tiering.Predictors(
        arp=ogrs4(a.arp_score, a.arp_type),
        csrp=ogrs4(a.csrp_score, a.csrp_type),
        dc_srp=dc,
        rsr=_float(a.rsr),
        ogrs3=_float(a.ogrs3),
    )


def _needs(assessment: RiskAssessment | None) -> dict[tiering.Need, tiering.NeedSeverity] | None:
    if assessment is None:
        return None
    needs: dict[tiering.Need, tiering.NeedSeverity] = {}
    for key, score in assessment.need_scores.items():
        section = tiering.Need(key)
        if section in tiering.NEED_THRESHOLDS:
            needs[section] = tiering.need_severity(section, int(score))
    return needs


def tier_inputs_for(person: Person, as_of: date) -> tiering.TierInputs:
    """Everything the tier rules need, read in a fixed, small number of queries."""
    active_events = Event.objects.filter(person=person, is_active=True)
    assessment = RiskAssessment.objects.filter(person=person).order_by("-completed_on", "-id").first()
    open_on = Q(ends_on__isnull=True) | Q(ends_on__gt=as_of)
    registrations = frozenset(
        tiering.Registration(code)
        for code in Registration.objects.filter(open_on, person=person, starts_on__lte=as_of).values_list(
            "type", flat=True
        )
    )
    mappa = (
        MappaRecord.objects.filter(open_on, person=person, starts_on__lte=as_of)
        .order_by("-starts_on")
        .first()
    )
    custodial = active_events.filter(sentence__disposal_type=DisposalType.CUSTODY).exists()
    changing_requirement = (
        Requirement.objects.filter(sentence__event__in=active_events, status=RequirementStatus.ACTIVE)
        .exclude(type__in=NO_MANDATE_REQUIREMENTS)
        .exists()
    )
    latest_release = (
        Event.objects.filter(person=person, sentence__released_on__isnull=False)
        .order_by("-sentence__released_on")
        .values_list("sentence__released_on", flat=True)
        .first()
    )
    since = as_of - relativedelta(months=ENFORCEMENT_LOOKBACK_MONTHS)
    recent_enforcement = EnforcementRecord.objects.filter(
        person=person, event__is_active=True, occurred_on__gte=since
    ).exists()
    female = person.sex == tiering.Sex.FEMALE
    return tiering.TierInputs(
        as_of=as_of,
        has_active_event=active_events.exists(),
        sex=tiering.Sex(person.sex),
        rosh=tiering.Rosh(assessment.rosh) if assessment and assessment.rosh else None,
        mappa=tiering.Mappa(category=mappa.category, level=mappa.level) if mappa else None,
        predictors=_predictors(assessment),
        registrations=registrations,
        latest_release_date=latest_release,
        ever_sexual_offence=Offence.objects.filter(event__person=person, is_sexual=True).exists(),
        needs=_needs(assessment),
        womens_factors=tiering.WomensFactors(
            parenting_responsibilities=assessment.parenting_responsibilities,
            impulsivity_or_temper_control=assessment.impulsivity_or_temper_control,
        )
        if female and assessment
        else None,
        breach_or_recall_within_year=recent_enforcement,
        mandate_for_change=custodial or changing_requirement,
    )


# --- Reads for pages and the API (the person comes from people.selectors.get_person_for) ---


def tier_history_of(person: Person, limit: int = 100) -> list[TierCalculation]:
    """The person's tier calculations, newest first."""
    return list(TierCalculation.objects.filter(person=person).order_by("-calculated_at", "-id")[:limit])


def latest_tier_of(person: Person) -> TierCalculation | None:
    """The person's most recent tier calculation, if any."""
    return TierCalculation.objects.filter(person=person).order_by("-calculated_at", "-id").first()


def registration_of(person: Person, registration_id: int) -> Registration:
    """One of the person's registrations; Http404 if it is missing or someone else's."""
    registration = Registration.objects.filter(pk=registration_id, person=person).first()
    if registration is None:
        raise Http404
    return registration


def people_to_retier(pdu_id: int | None = None) -> QuerySet[Person]:
    """Everyone with an active event (whose tier can change with the date alone), in id
    order so a nightly run can resume after the last batch it finished."""
    people = Person.objects.filter(events__is_active=True).distinct().order_by("pk")
    return people.filter(pdu_id=pdu_id) if pdu_id else people


def latest_assessment_of(person: Person) -> RiskAssessment | None:
    """The assessment that counts: the latest completed (the newest id breaks a same-day tie).
    The Programme Needs Identifier reads its inputs from it, as the tier does."""
    return RiskAssessment.objects.filter(person=person).order_by("-completed_on", "-id").first()
