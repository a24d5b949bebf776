"""The programmes context's API: the stateless Programme Needs Identifier calculator, and
the person's own PNI as last calculated from their risk assessment.

Every key of the request is required (``null`` where a value may be unknown) and unknown
keys are refused, so a caller who misspells a field hears about it instead of getting a
pathway computed without it. Numbers are strict: ``"50"`` or ``true`` is not a score.
"""

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict

from audit import services as audit
from core.api import api_requires, api_user
from core.roles import Capability
from people.rules import Sex
from people.selectors import get_person_for
from programmes import rules, selectors

router = Router(tags=["Calculations"])

Percent = Annotated[float | None, Field(ge=0, le=100, strict=True, description="A percentage, 0-100")]
Item = Annotated[int | None, Field(ge=0, le=2, strict=True, description="An OASys item score, 0-2")]
DomainScore = Annotated[int | None, Field(ge=0, le=2, description="0-2, or null when missing")]


class PniStrict(Schema):
    """Every key required, none unknown: a missing or misspelt key is a 422 naming it."""

    model_config = ConfigDict(extra="forbid")


class PniRiskIn(PniStrict):
    ogrs3: Percent
    ovp: Percent
    osp_dc: rules.OspDcBand | None
    osp_iic: rules.OspIicBand | None
    rsr: Percent
    sara_partner: rules.SaraLevel | None
    sara_others: rules.SaraLevel | None


class PniSexDomainIn(PniStrict):
    sexual_preoccupation: Item
    offence_related_sexual_interests: Item
    emotional_congruence: Item


class PniThinkingDomainIn(PniStrict):
    pro_criminal_attitudes: Item
    hostile_orientation: Item


class PniRelationshipsDomainIn(PniStrict):
    current_relationship_close_family: Item
    previous_close_relationships: Item
    easily_influenced: Item
    aggressive_controlling_behaviour: Item


class PniSelfManagementDomainIn(PniStrict):
    impulsivity: Item
    temper_control: Item
    problem_solving: Item
    difficulties_coping: Item


class PniNeedsIn(PniStrict):
    sex: PniSexDomainIn | None
    thinking: PniThinkingDomainIn | None
    relationships: PniRelationshipsDomainIn | None
    self_management: PniSelfManagementDomainIn | None


class PniRequest(PniStrict):
    sex: Sex
    risk: PniRiskIn
    needs: PniNeedsIn | None = Field(description="null: no needs assessment at all")


class PniDomainScoresOut(Schema):
    sex: DomainScore
    thinking: DomainScore
    relationships: DomainScore
    self_management: DomainScore


class PniResponse(Schema):
    risk_level: rules.PniLevel
    need_level: rules.PniLevel
    need_score: int | None = Field(ge=0, le=8, description="0-8, or null when the need is missing")
    domain_scores: PniDomainScoresOut | None = Field(description="null when no needs assessment was given")
    pathway: rules.Pathway
    reasons: list[str]


def _inputs(payload: PniRequest) -> rules.PniInputs:
    needs = payload.needs
    return rules.PniInputs(
        as_of=timezone.localdate(),
        sex=payload.sex,
        risk=rules.RiskScores(**payload.risk.dict()),
        needs=rules.Needs(
            sex=rules.SexDomain(**needs.sex.dict()) if needs.sex else None,
            thinking=rules.ThinkingDomain(**needs.thinking.dict()) if needs.thinking else None,
            relationships=rules.RelationshipsDomain(**needs.relationships.dict())
            if needs.relationships
            else None,
            self_management=rules.SelfManagementDomain(**needs.self_management.dict())
            if needs.self_management
            else None,
        )
        if needs is not None
        else None,
    )


@router.post(
    "/calculations/pni",
    response=PniResponse,
    summary="Identify the accredited programme pathway from the facts given (stateless; nothing is stored)",
    description=(
        "Applies the Programme Needs Identifier: a risk level from OGRS3, OVP, OSP, RSR and SARA, a "
        "need level from four domains of OASys items, and the pathway they give. Every key is "
        "required (null where unknown) and unknown keys are refused. An unanswered item is "
        "missing, never zero. `needs: null` means no needs assessment. Invalid input answers 422 "
        "with a problem document naming the field."
    ),
)
@api_requires(None)
def calculate_pni(request: HttpRequest, payload: PniRequest) -> PniResponse:
    try:
        result = rules.programme_needs(_inputs(payload))
    except rules.PniInputError as error:
        raise NinjaValidationError(
            [
                {
                    "loc": ("body", "payload", *error.field.split(".")),
                    "msg": error.message,
                    "type": "value_error",
                }
            ]
        ) from error
    return PniResponse(
        risk_level=result.risk_level,
        need_level=result.need_level,
        need_score=result.need_score,
        domain_scores=PniDomainScoresOut(**{d.value: s for d, s in result.domain_scores.items()})
        if result.domain_scores is not None
        else None,
        pathway=result.pathway,
        reasons=list(result.reasons),
    )


class PersonPniResponse(PniResponse):
    calculated_at: datetime = Field(
        description="When this result was calculated (it changes only when the result does)"
    )


@router.get(
    "/people/{crn}/programme-needs",
    response=PersonPniResponse,
    tags=["Programmes"],
    summary="The person's Programme Needs Identifier, as last calculated from their risk assessment",
    description=(
        "The same shape as `POST /api/v1/calculations/pni` plus `calculated_at`. Recalculated "
        "whenever a risk assessment is recorded. 404 when the person is not in your scope or "
        "has no PNI yet (no risk assessment recorded)."
    ),
)
@api_requires(Capability.VIEW_CASES)
def person_programme_needs(request: HttpRequest, crn: str) -> PersonPniResponse:
    person = get_person_for(api_user(request), crn)
    audit.record_read("programme needs", actor=api_user(request), person=person)
    pni = selectors.latest_programme_needs_of(person)
    if pni is None:
        raise Http404("No Programme Needs Identifier has been calculated for this person yet.")
    return PersonPniResponse(
        risk_level=rules.PniLevel(pni.risk_level),
        need_level=rules.PniLevel(pni.need_level),
        need_score=pni.need_score,
        domain_scores=PniDomainScoresOut(**pni.domain_scores) if pni.domain_scores is not None else None,
        pathway=rules.Pathway(pni.pathway),
        reasons=list(pni.reasons),
        calculated_at=pni.calculated_at,
    )
