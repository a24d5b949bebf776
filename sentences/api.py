from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from audit import services as audit
from core.api import api_requires, api_user
from core.limits import INT_MAX, SMALL_INT_MAX
from core.roles import Capability
from people.selectors import get_person_for
from sentences import selectors, services
from sentences.constants import DisposalType, OffenceCategory, RequirementType, TerminationReason
from sentences.models import Event, Requirement, Sentence

router = Router(tags=["Sentences"])


class OffenceSchema(Schema):
    description: str = Field(min_length=1, max_length=200)
    category: OffenceCategory
    committed_on: date
    is_main: bool = False
    is_violent: bool = False
    is_sexual: bool = False


class RequirementIn(Schema):
    type: RequirementType
    amount: int | None = Field(
        None, ge=0, description="Hours (unpaid work, attendance centre), RAR days or months"
    )
    details: dict[str, Any] = Field(
        default_factory=dict, description='Curfew: {"daily_hours": [7 numbers], "months": n}'
    )


class SentenceIn(Schema):
    disposal_type: DisposalType
    length_months: int | None = Field(None, ge=0, le=SMALL_INT_MAX)
    custodial_days: int | None = Field(None, ge=0, le=INT_MAX)
    operational_months: int | None = Field(None, ge=0, le=SMALL_INT_MAX)
    supervision_months: int | None = Field(None, ge=0, le=SMALL_INT_MAX)
    released_on: date | None = None
    licence_ends_on: date | None = None


class EventIn(Schema):
    court: str = Field(min_length=1, max_length=120)
    convicted_on: date
    sentenced_on: date
    offences: list[OffenceSchema] = Field(min_length=1)
    sentence: SentenceIn
    requirements: list[RequirementIn] = []
    additional_licence_conditions: list[str] = []
    programme_licence_condition: bool = Field(
        False,
        description=(
            "Custodial sentences: add the licence condition to attend and take part in an accredited "
            "programme (a programme referral is opened from it)"
        ),
    )


class RequirementOut(Schema):
    id: int
    type: str
    amount: int | None
    details: dict[str, Any]
    starts_on: date
    expected_end_on: date
    progress: int
    status: str
    ended_on: date | None
    termination_reason: str
    version: int


class SentenceOut(Schema):
    id: int
    disposal_type: str
    length_months: int | None
    custodial_days: int | None
    operational_months: int | None
    supervision_months: int | None
    released_on: date | None
    licence_ends_on: date | None
    pss_ends_on: date | None
    starts_on: date
    expected_end_on: date
    status: str
    ended_on: date | None
    termination_reason: str
    version: int
    requirements: list[RequirementOut]
    licence_conditions: list[str]
    programme_licence_condition: bool = Field(
        description="Whether a licence condition requires an accredited programme"
    )

    @staticmethod
    def resolve_requirements(obj: Sentence) -> list[Requirement]:
        return list(obj.requirements.all())

    @staticmethod
    def resolve_licence_conditions(obj: Sentence) -> list[str]:
        return [str(c) for c in obj.licence_conditions.all()]

    @staticmethod
    def resolve_programme_licence_condition(obj: Sentence) -> bool:
        return any(c.requires_programme for c in obj.licence_conditions.all())


class EventOut(Schema):
    id: int
    number: int
    court: str
    convicted_on: date
    sentenced_on: date
    is_active: bool
    offences: list[OffenceSchema]
    sentence: SentenceOut

    @staticmethod
    def resolve_offences(obj: Event) -> list[Any]:
        return list(obj.offences.all())


class EndIn(Schema):
    ended_on: date
    reason: TerminationReason
    note: str = ""
    version: int


@router.get(
    "/people/{crn}/events", response=list[EventOut], summary="A person's events, sentences and requirements"
)
@api_requires(Capability.VIEW_CASES)
def list_events(request: HttpRequest, crn: str) -> list[Event]:
    person = get_person_for(api_user(request), crn)
    audit.record_read("events, sentences and requirements", actor=api_user(request), person=person)
    return selectors.events_of(person)


@router.post("/people/{crn}/events", response={201: EventOut}, summary="Record a conviction and its sentence")
@api_requires(Capability.MANAGE_CASES)
def create_event(request: HttpRequest, crn: str, payload: EventIn) -> tuple[int, Event]:
    person = get_person_for(api_user(request), crn)
    event = services.record_event(
        acting_user=api_user(request),
        person=person,
        court=payload.court,
        convicted_on=payload.convicted_on,
        sentenced_on=payload.sentenced_on,
        offences=[services.OffenceInput(**o.dict()) for o in payload.offences],
        sentence=services.SentenceInput(**payload.sentence.dict()),
        requirements=[services.RequirementInput(**r.dict()) for r in payload.requirements],
        additional_licence_conditions=payload.additional_licence_conditions,
        programme_licence_condition=payload.programme_licence_condition,
    )
    return 201, next(e for e in selectors.events_of(person) if e.pk == event.pk)


@router.post(
    "/people/{crn}/sentences/{sentence_id}/end",
    response=SentenceOut,
    summary="Complete or terminate a sentence",
)
@api_requires(Capability.MANAGE_CASES)
def end_sentence(request: HttpRequest, crn: str, sentence_id: int, payload: EndIn) -> Sentence:
    person = get_person_for(api_user(request), crn)
    selectors.sentence_of(person, sentence_id)
    return services.end_sentence(
        acting_user=api_user(request),
        sentence_id=sentence_id,
        ended_on=payload.ended_on,
        reason=payload.reason,
        note=payload.note,
        expected_version=payload.version,
    )


@router.post(
    "/people/{crn}/requirements/{requirement_id}/end",
    response=RequirementOut,
    summary="Complete or terminate a requirement",
)
@api_requires(Capability.MANAGE_CASES)
def end_requirement(request: HttpRequest, crn: str, requirement_id: int, payload: EndIn) -> Requirement:
    person = get_person_for(api_user(request), crn)
    selectors.requirement_of(person, requirement_id)
    return services.end_requirement(
        acting_user=api_user(request),
        requirement_id=requirement_id,
        ended_on=payload.ended_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
