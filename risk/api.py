from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict

from audit import services as audit
from core.api import api_requires, api_user
from core.roles import Capability
from people.selectors import get_person_for
from risk import selectors as risk_selectors
from risk import services as risk_services
from risk import tiering
from risk.constants import PNI_ITEM_MAX
from risk.models import Registration, TierCalculation

router = Router(tags=["Calculations"])

Level = Literal["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
OspIicBand = Literal["LOW", "MEDIUM", "HIGH", "NOT_APPLICABLE"]
Item = Annotated[
    int | None, Field(None, ge=0, le=PNI_ITEM_MAX, strict=True, description="0-2, or null: unknown")
]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class MappaIn(Strict):
    category: int = Field(ge=1, le=4)
    level: int = Field(ge=1, le=3)


class Ogrs4In(Strict):
    score: float = Field(ge=0, le=100)
    type: tiering.PredictorType


class DcSrpIn(Strict):
    score: float = Field(ge=0, le=100)
    band: tiering.DcSrpBand


class PredictorsIn(Strict):
    arp: Ogrs4In | None = None
    csrp: Ogrs4In | None = None
    dc_srp: DcSrpIn | None = None
    rsr: float | None = Field(default=None, ge=0, le=100)
    ogrs3: float | None = Field(default=None, ge=0, le=100)


class WomenIn(Strict):
    parenting_responsibilities: bool = False
    impulsivity_or_temper_control: bool = False


class TierRequest(Strict):
    as_of: date
    has_active_event: bool
    sex: tiering.Sex
    rosh: tiering.Rosh | None = None
    mappa: MappaIn | None = None
    predictors: PredictorsIn = PredictorsIn()
    registrations: list[tiering.Registration] = []
    latest_release_date: date | None = None
    ever_sexual_offence: bool = False
    needs: dict[tiering.Need, tiering.NeedSeverity] | None = None
    women: WomenIn | None = None
    breach_or_recall_within_year: bool = False
    mandate_for_change: bool = False


class TierResponse(Schema):
    tier: str = Field(description='"A".."G", "NOT_SUPERVISED" or "MISSING"')
    provisional: bool
    legacy_tier: str = Field(description="The V2 tier, A3..D0")
    protect_level: str
    protect_points: int
    change_level: int
    change_points: int
    reasons: list[str]


def _inputs(payload: TierRequest) -> tiering.TierInputs:
    p = payload.predictors

    def ogrs4(value: Ogrs4In | None) -> tiering.Ogrs4Predictor | None:
        return tiering.Ogrs4Predictor(score=value.score, type=value.type) if value else None

    return tiering.TierInputs(
        as_of=payload.as_of,
        has_active_event=payload.has_active_event,
        sex=payload.sex,
        rosh=payload.rosh,
        mappa=tiering.Mappa(category=payload.mappa.category, level=payload.mappa.level)
        if payload.mappa
        else None,
        predictors=tiering.Predictors(
            arp=ogrs4(p.arp),
            csrp=ogrs4(p.csrp),
            dc_srp=tiering.DcSrp(score=p.dc_srp.score, band=p.dc_srp.band) if p.dc_srp else None,
            rsr=p.rsr,
            ogrs3=p.ogrs3,
        ),
        registrations=frozenset(payload.registrations),
        latest_release_date=payload.latest_release_date,
        ever_sexual_offence=payload.ever_sexual_offence,
        needs=dict(payload.needs) if payload.needs is not None else None,
        womens_factors=tiering.WomensFactors(
            parenting_responsibilities=payload.women.parenting_responsibilities,
            impulsivity_or_temper_control=payload.women.impulsivity_or_temper_control,
        )
        if payload.women
        else None,
        breach_or_recall_within_year=payload.breach_or_recall_within_year,
        mandate_for_change=payload.mandate_for_change,
    )


@router.post(
    "/calculations/tier",
    response=TierResponse,
    summary="Calculate a tier from the facts given (stateless; nothing is stored)",
    description=(
        "Applies the HMPPS tiering rules: the current single-axis model (A-G, with the provisional "
        "flag) and the legacy protect x change model (A3-D0). `needs: null` means no valid assessment. "
        "Invalid input answers 422 with a problem document naming the field."
    ),
)
@api_requires(None)
def calculate_tier(request: HttpRequest, payload: TierRequest) -> TierResponse:
    try:
        result = tiering.calculate_tier(_inputs(payload))
    except tiering.TierInputError as error:
        raise NinjaValidationError(
            [
                {
                    "loc": ("body", "payload", *error.field.split(".")),
                    "msg": error.message,
                    "type": "value_error",
                }
            ]
        ) from error
    return TierResponse(
        tier=result.tier,
        provisional=result.provisional,
        legacy_tier=result.legacy_tier,
        protect_level=result.protect_level,
        protect_points=result.protect_points,
        change_level=result.change_level,
        change_points=result.change_points,
        reasons=list(result.reasons),
    )


class TierCalculationOut(Schema):
    calculated_at: datetime
    tier: str
    provisional: bool
    legacy_tier: str
    protect_level: str
    protect_points: int
    change_level: int
    change_points: int
    reasons: list[str]
    trigger: str


class RiskAssessmentIn(Schema):
    completed_on: date
    rosh: tiering.Rosh | None = None
    arp_score: Decimal | None = Field(None, ge=0, le=100)
    arp_type: tiering.PredictorType | None = None
    csrp_score: Decimal | None = Field(None, ge=0, le=100)
    csrp_type: tiering.PredictorType | None = None
    dc_srp_score: Decimal | None = Field(None, ge=0, le=100)
    dc_srp_band: tiering.DcSrpBand | None = Field(None, description="The OSP-DC band")
    osp_iic_band: OspIicBand | None = None
    sara_partner: Level | None = None
    sara_others: Level | None = None
    rsr: Decimal | None = Field(None, ge=0, le=100)
    ogrs3: Decimal | None = Field(None, ge=0, le=100)
    ovp: Decimal | None = Field(None, ge=0, le=100)
    ogp: Decimal | None = Field(None, ge=0, le=100)
    need_scores: dict[tiering.Need, int] = {}
    parenting_responsibilities: bool = False
    impulsivity_or_temper_control: bool = False
    # The Programme Needs Identifier's need items (risk.constants.PNI_NEED_ITEMS): null is unknown.
    sexual_preoccupation: Item = None
    offence_related_sexual_interests: Item = None
    emotional_congruence: Item = None
    pro_criminal_attitudes: Item = None
    hostile_orientation: Item = None
    current_relationship_close_family: Item = None
    previous_close_relationships: Item = None
    easily_influenced: Item = None
    aggressive_controlling_behaviour: Item = None
    impulsivity: Item = None
    temper_control: Item = None
    problem_solving: Item = None
    difficulties_coping: Item = None
    ldc_score: int | None = Field(
        None,
        ge=0,
        strict=True,
        description="Learning disabilities and challenges score; its maximum is a policy value",
    )


class RegistrationIn(Schema):
    type: tiering.Registration
    starts_on: date
    notes: str = ""


class RegistrationOut(Schema):
    id: int
    type: str
    starts_on: date
    ends_on: date | None
    notes: str


class EndRegistrationIn(Schema):
    ends_on: date


class MappaRecordIn(Schema):
    category: int = Field(ge=1, le=4)
    level: int = Field(ge=1, le=3)
    starts_on: date


@router.get(
    "/people/{crn}/tier",
    response=list[TierCalculationOut],
    tags=["Risk and tier"],
    summary="Tier history, newest first, with reasons",
)
@api_requires(Capability.VIEW_CASES)
def tier_history(request: HttpRequest, crn: str) -> list[TierCalculation]:
    person = get_person_for(api_user(request), crn)
    audit.record_read("tier history", actor=api_user(request), person=person)
    return risk_selectors.tier_history_of(person)


@router.post(
    "/people/{crn}/risk-assessments",
    response={201: TierCalculationOut},
    tags=["Risk and tier"],
    summary="Record a risk assessment; answers the new tier",
)
@api_requires(Capability.MANAGE_CASES)
def record_assessment(
    request: HttpRequest, crn: str, payload: RiskAssessmentIn
) -> tuple[int, TierCalculation]:
    person = get_person_for(api_user(request), crn)
    fields = payload.dict()
    fields["need_scores"] = {
        str(k.value if hasattr(k, "value") else k): v for k, v in payload.need_scores.items()
    }
    for key in ("rosh", "arp_type", "csrp_type", "dc_srp_band"):
        fields[key] = fields[key].value if fields[key] is not None else ""
    for key in ("osp_iic_band", "sara_partner", "sara_others"):
        fields[key] = fields[key] or ""
    risk_services.record_assessment(acting_user=api_user(request), person=person, **fields)
    return 201, risk_selectors.latest_tier_of(person)  # type: ignore[return-value]


@router.get("/people/{crn}/registrations", response=list[RegistrationOut], tags=["Risk and tier"])
@api_requires(Capability.VIEW_CASES)
def list_registrations(request: HttpRequest, crn: str) -> list[Registration]:
    person = get_person_for(api_user(request), crn)
    audit.record_read("registrations", actor=api_user(request), person=person)
    return list(person.registrations.all())


@router.post("/people/{crn}/registrations", response={201: RegistrationOut}, tags=["Risk and tier"])
@api_requires(Capability.MANAGE_CASES)
def add_registration(request: HttpRequest, crn: str, payload: RegistrationIn) -> tuple[int, Registration]:
    person = get_person_for(api_user(request), crn)
    return 201, risk_services.add_registration(
        acting_user=api_user(request),
        person=person,
        type=payload.type.value,
        starts_on=payload.starts_on,
        notes=payload.notes,
    )


@router.post(
    "/people/{crn}/registrations/{registration_id}/end", response=RegistrationOut, tags=["Risk and tier"]
)
@api_requires(Capability.MANAGE_CASES)
def end_registration(
    request: HttpRequest, crn: str, registration_id: int, payload: EndRegistrationIn
) -> Registration:
    person = get_person_for(api_user(request), crn)
    risk_selectors.registration_of(person, registration_id)
    return risk_services.end_registration(
        acting_user=api_user(request), registration_id=registration_id, ends_on=payload.ends_on
    )


@router.post(
    "/people/{crn}/mappa",
    response={201: TierCalculationOut},
    tags=["Risk and tier"],
    summary="Record MAPPA category and level; answers the new tier",
)
@api_requires(Capability.MANAGE_CASES)
def set_mappa(request: HttpRequest, crn: str, payload: MappaRecordIn) -> tuple[int, TierCalculation]:
    person = get_person_for(api_user(request), crn)
    risk_services.set_mappa(
        acting_user=api_user(request),
        person=person,
        category=payload.category,
        level=payload.level,
        starts_on=payload.starts_on,
    )
    return 201, risk_selectors.latest_tier_of(person)  # type: ignore[return-value]
