"""The programmes API: the catalogue, template versions, the region's delivery suite and
its reviews, rooms, and Structured Interventions through the Effective Interventions Panel.

The same capabilities and scoped selectors as the pages: the catalogue is open to anyone
who may see the organisation; a suite or room outside the user's region answers 404; a
panel step the intervention's lifecycle does not offer the caller answers 404, and one
it offers but the intervention's state refuses answers 409. Bad input answers 422 with a
problem document naming the field (``modules.2.sessions.0.minutes``).
"""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from core.api import ShortText, Text, api_requires, api_user
from core.roles import Capability
from programmes.constants import (
    SI_NEED_AREAS,
    ApprovalStatus,
    NeedArea,
    PanelPrinciple,
    ProgrammeKind,
    SessionKind,
)
from programmes.lifecycle import INTERVENTION
from programmes.models import DeliveryOffer, PanelDecision, Programme, Room, SessionTemplate, SuiteReview
from programmes.rules import catalogue as rules
from programmes.selectors import catalogue as selectors
from programmes.services import catalogue as services

router = Router(tags=["Programmes"])


# --- Schemas -------------------------------------------------------------------------------


class SessionSchema(Schema):
    name: ShortText = Field(min_length=1)
    kind: SessionKind
    minutes: int = Field(ge=1, le=rules.MAXIMUM_SESSION_MINUTES)


class ModuleSchema(Schema):
    name: ShortText = Field(min_length=1)
    sessions: list[SessionSchema] = Field(min_length=1)


class TotalsOut(Schema):
    group_sessions: int
    one_to_ones: int
    group_minutes: int
    one_to_one_minutes: int


class TemplateOut(Schema):
    effective_from: date
    published: bool = Field(
        description="False where no template is published: modules empty, note says what is known"
    )
    modules: list[ModuleSchema]
    note: str
    totals: TotalsOut | None


class ProgrammeOut(Schema):
    id: int = Field(description="What a referral or suitability assessment names it by")
    code: str
    name: str
    kind: ProgrammeKind
    intensity: str = Field(
        description="HIGH, HIGH_MODERATE, MODERATE, or empty for a structured intervention"
    )
    need_area: NeedArea
    audience: str
    eligibility: str
    men: bool
    women: bool
    region: str | None = Field(description="The region that submitted a Structured Intervention")
    status: ApprovalStatus
    typical_weeks: int | None
    source: str
    available_from: date | None
    withdrawn_on: date | None
    replaces: list[str] = Field(description="Codes of the programmes it replaces from its available_from")
    accepts_new_referrals: bool = Field(description="Whether a referral may be made to it today")
    version: int = Field(description="Moves on at each panel decision")


class OfferOut(Schema):
    id: int
    programme: str = Field(description="The programme's code")
    pdu_id: int
    pdu: str
    office_id: int | None
    starts_on: date
    ends_on: date | None


class DecisionOut(Schema):
    status: str = Field(description="SUBMITTED, APPROVED, REJECTED or WITHDRAWN")
    decided_on: date
    decided_by: str
    principles_not_met: list[PanelPrinciple]
    reasons: str


class ProgrammeDetailOut(ProgrammeOut):
    template_in_force: TemplateOut | None = Field(description="The template a group starting today would use")
    templates: list[TemplateOut] = Field(description="Every version, newest first")
    offers: list[OfferOut]
    decisions: list[DecisionOut] = Field(description="The panel's decisions, oldest first")
    next_steps: list[str] = Field(
        description="Panel steps the caller may take now (the INTERVENTION lifecycle)"
    )


class GapOut(Schema):
    kind: str = Field(description="PROGRAMME or SI_NEED_AREA")
    key: str = Field(description="The required programme's code, or the need area")
    message: str


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    reviewed_by: str
    summary: str
    gaps: list[GapOut] = Field(description="The gaps as they stood on the day of the review")


class SuiteOut(Schema):
    region: str
    name: str
    as_of: date
    offers: list[OfferOut]
    gaps: list[GapOut]
    reviews: list[ReviewOut]


class TemplateIn(Schema):
    effective_from: date = Field(description="A future date: groups starting on or after it use it")
    modules: list[ModuleSchema] = Field(min_length=1)
    note: ShortText = ""


class OfferIn(Schema):
    programme: str = Field(min_length=1, max_length=40, description="The programme's code")
    pdu_id: int
    office_id: int | None = None
    starts_on: date
    ends_on: date | None = None


class EndOfferIn(Schema):
    ends_on: date = Field(description="The last day it runs")


class ReviewIn(Schema):
    summary: Text = Field(min_length=1)


class RoomOut(Schema):
    id: int
    office_id: int
    office: str
    pdu: str
    name: str
    capacity: int
    accredited: bool
    retired: bool
    version: int


class RoomIn(Schema):
    office_id: int
    name: ShortText = Field(min_length=1, max_length=80)
    capacity: int = Field(ge=1, le=100)
    accredited: bool = True


class RoomPatch(Schema):
    version: int = Field(ge=1, description="The version you last read (optimistic locking)")
    name: ShortText | None = Field(None, min_length=1, max_length=80)
    capacity: int | None = Field(None, ge=1, le=100)
    accredited: bool | None = None


class RoomRetireIn(Schema):
    version: int = Field(ge=1)


class InterventionIn(Schema):
    name: ShortText = Field(min_length=1, max_length=120)
    need_area: NeedArea = Field(description="One of ATB, DA, EM")
    audience: ShortText = Field(min_length=1, max_length=200)
    men: bool = True
    women: bool = True
    typical_weeks: int | None = Field(None, ge=1, le=104)
    summary: Text = ""
    modules: list[ModuleSchema] = Field(
        min_length=1, description=f"At least {rules.MINIMUM_SI_SESSIONS} sessions in all"
    )


class PanelDecisionIn(Schema):
    step: str = Field(description="approve, reject or withdraw")
    principles_not_met: list[PanelPrinciple] = Field(
        default_factory=list, description="A rejection names at least one"
    )
    reasons: Text = ""


# --- Converters ------------------------------------------------------------------------------


def _template_out(template: SessionTemplate) -> TemplateOut:
    modules = template.modules or []
    return TemplateOut(
        effective_from=template.effective_from,
        published=template.published,
        modules=modules,
        note=template.note,
        totals=TotalsOut(**rules.totals(modules).__dict__) if template.published and modules else None,
    )


def _programme_fields(programme: Programme, today: date) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "code": programme.code,
        "name": programme.name,
        "kind": programme.kind,
        "intensity": programme.intensity,
        "need_area": programme.need_area,
        "audience": programme.audience,
        "eligibility": programme.eligibility,
        "men": programme.men,
        "women": programme.women,
        "region": programme.region_id,
        "status": programme.status,
        "typical_weeks": programme.typical_weeks,
        "source": programme.source,
        "available_from": programme.available_from,
        "withdrawn_on": programme.withdrawn_on,
        "replaces": sorted(r.code for r in programme.replaces.all()),
        "accepts_new_referrals": selectors.accepts_new_referrals(programme, today),
        "version": programme.version,
    }


def _offer_out(offer: DeliveryOffer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        programme=offer.programme.code,
        pdu_id=offer.pdu_id,
        pdu=offer.pdu.name,
        office_id=offer.office_id,
        starts_on=offer.starts_on,
        ends_on=offer.ends_on,
    )


def _decision_out(decision: PanelDecision) -> DecisionOut:
    return DecisionOut(
        status=decision.status,
        decided_on=decision.decided_on,
        decided_by=decision.decided_by.get_full_name() or decision.decided_by.username,
        principles_not_met=decision.principles_not_met,
        reasons=decision.reasons,
    )


def _review_out(review: SuiteReview) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        reviewed_on=review.reviewed_on,
        reviewed_by=review.reviewed_by.get_full_name() or review.reviewed_by.username,
        summary=review.summary,
        gaps=review.gaps,
    )


def _room_out(room: Room) -> RoomOut:
    return RoomOut(
        id=room.pk,
        office_id=room.office_id,
        office=room.office.name,
        pdu=room.office.pdu.name,
        name=room.name,
        capacity=room.capacity,
        accredited=room.accredited,
        retired=room.retired_at is not None,
        version=room.version,
    )


def _detail(programme: Programme, user: Any) -> ProgrammeDetailOut:
    today = timezone.localdate()
    templates = selectors.templates_of(programme)
    in_force = rules.template_in_force(templates, today)
    decidable = (
        programme.kind == ProgrammeKind.STRUCTURED
        and selectors.interventions_decidable_by(user).filter(pk=programme.pk).exists()
    )
    return ProgrammeDetailOut(
        **_programme_fields(programme, today),
        template_in_force=_template_out(in_force) if in_force else None,
        templates=[_template_out(t) for t in templates],
        offers=[_offer_out(o) for o in selectors.offers_of(programme)],
        decisions=[_decision_out(d) for d in selectors.decisions_of(programme)],
        next_steps=[t.name for t in INTERVENTION.allowed(programme, user)] if decidable else [],
    )


# --- The catalogue ---------------------------------------------------------------------------


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    summary="The catalogue of accredited programmes and Structured Interventions",
    description="Filter by `kind`, `need_area` and `status`. National reference data: no personal data.",
)
@api_requires(Capability.VIEW_ORGANISATION)
def list_programmes(
    request: HttpRequest,
    kind: ProgrammeKind | None = None,
    need_area: NeedArea | None = None,
    status: ApprovalStatus | None = None,
) -> list[ProgrammeOut]:
    today = timezone.localdate()
    found = selectors.programmes(kind=kind or "", need_area=need_area or "", status=status or "")
    return [ProgrammeOut(**_programme_fields(p, today)) for p in found]


@router.get(
    "/programmes/{code}",
    response=ProgrammeDetailOut,
    summary="One programme: its templates (in force and every version), where it is delivered, the panel's decisions",
)
@api_requires(Capability.VIEW_ORGANISATION)
def get_programme(request: HttpRequest, code: str) -> ProgrammeDetailOut:
    return _detail(selectors.get_programme(code), api_user(request))


@router.post(
    "/programmes/{code}/templates",
    response={201: TemplateOut},
    summary="Add a template version from a future date (groups already formed keep theirs)",
)
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def add_template(request: HttpRequest, code: str, payload: TemplateIn) -> tuple[int, TemplateOut]:
    template = services.add_template_version(
        acting_user=api_user(request),
        programme_code=selectors.get_programme(code).code,
        effective_from=payload.effective_from,
        modules=[m.dict() for m in payload.modules],
        note=payload.note,
    )
    return 201, _template_out(template)


# --- The delivery suite -----------------------------------------------------------------------


@router.get(
    "/delivery-suite/{region_id}",
    response=SuiteOut,
    summary="A region's delivery suite: its offers, the gaps in the required suite today, and its reviews",
    description="`region_id` is the region's letter (`F` for the East Midlands). Your own region, or any with national scope.",
)
@api_requires(Capability.VIEW_ORGANISATION)
def get_suite(request: HttpRequest, region_id: str) -> SuiteOut:
    region = selectors.get_region_for(api_user(request), region_id)
    today = timezone.localdate()
    return SuiteOut(
        region=region.pk,
        name=region.name,
        as_of=today,
        offers=[_offer_out(o) for o in selectors.offers_in_region(region)],
        gaps=[GapOut(**g.as_dict()) for g in selectors.suite_gaps(region, today)],
        reviews=[_review_out(r) for r in selectors.reviews_of(region)],
    )


@router.post(
    "/delivery-suite/{region_id}/offers",
    response={201: OfferOut},
    summary="A PDU in your area delivers a programme (at an office) from a date",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def add_offer(request: HttpRequest, region_id: str, payload: OfferIn) -> tuple[int, OfferOut]:
    user = api_user(request)
    region = selectors.get_region_for(user, region_id)
    if not selectors.pdus_for_offers(user).filter(pk=payload.pdu_id, region=region).exists():
        raise Http404("No such PDU")
    offer = services.add_offer(
        acting_user=user,
        programme_code=payload.programme,
        pdu_id=payload.pdu_id,
        office_id=payload.office_id,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return 201, _offer_out(offer)


@router.post(
    "/delivery-offers/{offer_id}/end",
    response=OfferOut,
    summary="End an offer: the last day the PDU delivers the programme",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def end_offer(request: HttpRequest, offer_id: int, payload: EndOfferIn) -> OfferOut:
    user = api_user(request)
    offer = selectors.get_offer_for(user, offer_id)
    return _offer_out(services.end_offer(acting_user=user, offer_id=offer.pk, ends_on=payload.ends_on))


@router.post(
    "/delivery-suite/{region_id}/reviews",
    response={201: ReviewOut},
    summary="The Regional Probation Director's review of the suite today, keeping today's gaps",
)
@api_requires(Capability.REVIEW_DELIVERY_SUITE)
def add_review(request: HttpRequest, region_id: str, payload: ReviewIn) -> tuple[int, ReviewOut]:
    review = services.record_review(
        acting_user=api_user(request), region_id=region_id, summary=payload.summary
    )
    return 201, _review_out(review)


# --- Rooms ---------------------------------------------------------------------------------------


@router.get("/rooms", response=list[RoomOut], summary="Rooms in use at offices in your region")
@api_requires(Capability.VIEW_ORGANISATION)
def list_rooms(
    request: HttpRequest, office_id: int | None = None, pdu_id: int | None = None
) -> list[RoomOut]:
    found = selectors.rooms_visible_to(api_user(request))
    if office_id is not None:
        found = found.filter(office_id=office_id)
    if pdu_id is not None:
        found = found.filter(office__pdu_id=pdu_id)
    return [_room_out(r) for r in found]


@router.post("/rooms", response={201: RoomOut}, summary="Add a room at an office in your area")
@api_requires(Capability.MANAGE_PROGRAMMES)
def add_room(request: HttpRequest, payload: RoomIn) -> tuple[int, RoomOut]:
    user = api_user(request)
    if not selectors.offices_for_rooms(user).filter(pk=payload.office_id).exists():
        raise Http404("No such office")
    room = services.add_room(
        acting_user=user,
        office_id=payload.office_id,
        name=payload.name,
        capacity=payload.capacity,
        accredited=payload.accredited,
    )
    return 201, _room_out(room)


@router.patch("/rooms/{room_id}", response=RoomOut, summary="Change a room (send the version you read)")
@api_requires(Capability.MANAGE_PROGRAMMES)
def edit_room(request: HttpRequest, room_id: int, payload: RoomPatch) -> RoomOut:
    user = api_user(request)
    room = selectors.get_room_for(user, room_id)
    edited = services.edit_room(
        acting_user=user,
        room_id=room.pk,
        expected_version=payload.version,
        name=payload.name if payload.name is not None else room.name,
        capacity=payload.capacity if payload.capacity is not None else room.capacity,
        accredited=payload.accredited if payload.accredited is not None else room.accredited,
    )
    return _room_out(edited)


@router.post(
    "/rooms/{room_id}/retire", response=RoomOut, summary="Retire a room: no new group is booked into it"
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def retire_room(request: HttpRequest, room_id: int, payload: RoomRetireIn) -> RoomOut:
    user = api_user(request)
    room = selectors.get_room_for(user, room_id)
    return _room_out(
        services.retire_room(acting_user=user, room_id=room.pk, expected_version=payload.version)
    )


# --- Structured Interventions and the panel ------------------------------------------------------


@router.post(
    "/interventions",
    response={201: ProgrammeDetailOut},
    summary="Submit your region's Structured Intervention to the Effective Interventions Panel",
    description=(
        f"In one of the need areas {', '.join(a.value for a in SI_NEED_AREAS)}, with at least "
        f"{rules.MINIMUM_SI_SESSIONS} sessions. The intervention belongs to your region."
    ),
)
@api_requires(Capability.PROPOSE_INTERVENTIONS)
def submit_intervention(request: HttpRequest, payload: InterventionIn) -> tuple[int, ProgrammeDetailOut]:
    user = api_user(request)
    programme = services.submit_intervention(
        acting_user=user,
        proposal=services.InterventionProposal(
            name=payload.name,
            need_area=payload.need_area,
            audience=payload.audience,
            modules=[m.dict() for m in payload.modules],
            men=payload.men,
            women=payload.women,
            typical_weeks=payload.typical_weeks,
            summary=payload.summary,
        ),
    )
    return 201, _detail(programme, user)


@router.post(
    "/interventions/{code}/decisions",
    response={201: ProgrammeDetailOut},
    summary="The panel approves or rejects a submitted intervention; the panel or its region withdraws one",
    description=(
        "`step` is approve, reject or withdraw. A rejection names at least one accreditation principle "
        "not met, with reasons. 404 when the step is not one you may take on this intervention; 409 "
        "when it is, but not from the intervention's current standing."
    ),
)
@api_requires(None)
def decide(request: HttpRequest, code: str, payload: PanelDecisionIn) -> tuple[int, ProgrammeDetailOut]:
    user = api_user(request)
    if not (
        user.has_capability(Capability.APPROVE_INTERVENTIONS)
        or user.has_capability(Capability.PROPOSE_INTERVENTIONS)
    ):
        raise Http404("No such intervention")
    programme = selectors.get_intervention_for(user, code)
    if payload.step in INTERVENTION.by_name and not INTERVENTION[payload.step].permits(user, programme):
        raise Http404("No such step")
    decided = services.decide_intervention(
        acting_user=user,
        code=programme.code,
        step=payload.step,
        principles_not_met=[str(p) for p in payload.principles_not_met],
        reasons=payload.reasons,
    )
    return 201, _detail(decided, user)
