"""The call-off competitions API: the user agreement, drafting, publication, clarifications,
bids, scoring and moderation, the award, re-runs and direct awards, and commissioners."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from commissioning.competitions import selectors as comp_selectors
from commissioning.competitions import services as comp
from commissioning.competitions.lifecycle import COMPETITION
from commissioning.constants import CommissionerKind, CompetitionStatus, Criterion
from commissioning.models import Bid, Commissioner, Competition
from core.api import api_requires, api_user
from core.roles import Capability
from organisation import selectors as organisation_selectors

router = Router(tags=["Commissioned services"])


class CompetitionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    category: int
    geography_level: str = Field(pattern="^(REGION|PCC_AREA)$")
    region_id: str | None = None
    pcc_area_id: str | None = None
    specification: str = Field(min_length=1)
    allows_female: bool = True
    allows_male: bool = True
    minimum_age: int = Field(18, ge=18, le=120)
    maximum_age: int | None = Field(None, ge=18, le=120)
    sentence_types: list[str] = Field(min_length=1)
    expected_referrals_per_month: int = Field(ge=1)
    budget: Decimal = Field(gt=0)
    quality_weight: int = Field(ge=0, le=100)
    price_weight: int = Field(ge=0, le=100)
    social_value_weight: int = Field(ge=0, le=100)
    clarification_deadline: datetime
    bid_deadline: datetime
    service_starts_on: date
    service_ends_on: date
    partners: list[tuple[int, int]] = Field(
        default_factory=list, description="(commissioner id, funding share %)"
    )
    evaluator_ids: list[int] = Field(default_factory=list)


class CompetitionOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    lead: str
    category_id: int
    region_id: str | None
    pcc_area_id: str | None
    budget: Decimal
    quality_weight: int
    price_weight: int
    social_value_weight: int
    bid_deadline: datetime
    invited: list[str]
    partners: dict[str, int]
    award_bid_id: int | None
    standstill_ends_on: date | None
    contract_id: int | None
    closure_reason: str
    version: int

    @staticmethod
    def resolve_lead(obj: Competition) -> str:
        return obj.lead.name

    @staticmethod
    def resolve_invited(obj: Competition, context: dict[str, Any]) -> list[str]:
        """Empty for anyone who may not manage the competition (suppliers above all)."""
        user = api_user(context["request"])
        return [i.supplier.name for i in comp_selectors.invitations_visible_to(user, obj)]

    @staticmethod
    def resolve_partners(obj: Competition) -> dict[str, int]:
        return {p.commissioner.name: p.share_percent for p in obj.partners.select_related("commissioner")}


class CompetitionDetailOut(CompetitionOut):
    next_steps: list[str] = Field(
        description="The steps you may take on it now, by name (the competition lifecycle's transitions)"
    )

    @staticmethod
    def resolve_next_steps(obj: Competition, context: dict[str, Any]) -> list[str]:
        return [t.name for t in COMPETITION.allowed(obj, api_user(context["request"]))]


class BidIn(Schema):
    price: Decimal = Field(gt=0)
    quality_response: str = Field(min_length=1)
    social_value_response: str = Field(min_length=1)


class BidOut(Schema):
    id: int
    supplier: str
    price: Decimal
    submitted_at: datetime

    @staticmethod
    def resolve_supplier(obj: Bid) -> str:
        return obj.supplier.name


class QuestionIn(Schema):
    question: str = Field(min_length=1)


class AnswerIn(Schema):
    text: str = Field(min_length=1)


class MarkIn(Schema):
    criterion: Criterion
    mark: int = Field(ge=0, le=100)
    comment: str = Field(min_length=1)


class RankedOut(Schema):
    bid: int
    compliant: bool
    quality_points: Decimal
    price_points: Decimal
    social_value_points: Decimal
    total: Decimal
    reason: str


class DirectAwardIn(Schema):
    supplier_id: int
    value: Decimal = Field(gt=0)
    reason: str = Field(min_length=1)
    version: int = Field(description="The competition's version the decision was made on")


class RerunIn(Schema):
    reason: str = Field(min_length=1)
    clarification_deadline: datetime
    bid_deadline: datetime
    version: int = Field(description="The competition's version the decision was made on")


class CompetitionStepIn(Schema):
    version: int = Field(description="The competition's version the step was taken on")


def _competition(user: Any, competition_id: int, *, role: str = "any") -> Competition:
    """The competition if the user may see it and (by ``role``) act on it: forbidden
    answers 404 like missing; a step at the wrong moment answers 409 from the service."""
    competition = comp_selectors.get_competition_for(user, competition_id)
    supplier = comp_selectors.supplier_for(user)
    allowed = {
        "any": True,
        "manager": comp_selectors.can_manage(user, competition),
        "supplier": supplier is not None and competition.invitations.filter(supplier=supplier).exists(),
        "evaluator": competition.evaluators.filter(pk=user.pk).exists(),
    }[role]
    if not allowed:
        raise Http404
    return competition


@router.post("/agreement", summary="Sign the framework's user agreement for your commissioner")
@api_requires(None)
def sign_agreement(request: HttpRequest) -> dict[str, Any]:
    if comp_selectors.commissioner_for(api_user(request)) is None:
        raise Http404  # only people who act for a commissioner
    signed = comp.sign_user_agreement(acting_user=api_user(request))
    return {"commissioner": signed.name, "signed_on": signed.agreement_signed_on}


@router.get(
    "/competitions",
    response=list[CompetitionOut],
    summary="Competitions you lead, fund, evaluate or were invited to",
)
@api_requires(None)
def list_competitions(request: HttpRequest) -> Any:
    return comp_selectors.competitions_for(api_user(request)).select_related("lead")


@router.post("/competitions", response={201: CompetitionOut}, summary="Draft a call-off competition")
@api_requires(None)
def create_competition(request: HttpRequest, payload: CompetitionIn) -> tuple[int, Competition]:
    if comp_selectors.commissioner_for(api_user(request)) is None:
        raise Http404
    fields = payload.dict(exclude={"partners", "evaluator_ids", "category"})
    fields["category_id"] = payload.category
    created = comp.create_competition(
        acting_user=api_user(request),
        partners=payload.partners,
        evaluator_ids=payload.evaluator_ids,
        **fields,
    )
    return 201, created


@router.get("/competitions/{competition_id}", response=CompetitionDetailOut)
@api_requires(None)
def get_competition(request: HttpRequest, competition_id: int) -> Competition:
    return _competition(api_user(request), competition_id)


@router.get(
    "/competitions/{competition_id}/bids", response=list[BidOut], summary="Bids (sealed until the deadline)"
)
@api_requires(None)
def list_bids(request: HttpRequest, competition_id: int) -> Any:
    user = api_user(request)
    return comp_selectors.bids_visible_to(user, _competition(user, competition_id))


@router.get(
    "/competitions/{competition_id}/ranking", response=list[RankedOut], summary="The weighted ranking"
)
@api_requires(None)
def get_ranking(request: HttpRequest, competition_id: int) -> Any:
    user = api_user(request)
    competition = _competition(user, competition_id)
    if not comp_selectors.can_manage(user, competition) or competition.status in (
        CompetitionStatus.DRAFT,
        CompetitionStatus.PUBLISHED,
    ):
        raise Http404
    return comp_selectors.ranking(competition)


def _step(name: str, summary: str) -> Any:
    """A POST step on a competition that returns the competition."""

    def decorate(func: Any) -> Any:
        return router.post(
            f"/competitions/{{competition_id}}/{name}", response=CompetitionOut, summary=summary
        )(api_requires(None)(func))

    return decorate


@_step("publish", "Publish: invite every qualified supplier")
def publish(request: HttpRequest, competition_id: int, payload: CompetitionStepIn) -> Competition:
    user = api_user(request)
    return comp.publish(
        acting_user=user,
        competition_id=_competition(user, competition_id, role="manager").pk,
        expected_version=payload.version,
    )


@_step("clarifications", "Ask a clarification question (invited suppliers)")
def ask(request: HttpRequest, competition_id: int, payload: QuestionIn) -> Competition:
    user = api_user(request)
    competition = _competition(user, competition_id, role="supplier")
    comp.ask(acting_user=user, competition_id=competition.pk, question=payload.question)
    return competition


@router.post(
    "/clarifications/{clarification_id}/answer", response=CompetitionOut, summary="Answer a question"
)
@api_requires(None)
def answer(request: HttpRequest, clarification_id: int, payload: AnswerIn) -> Competition:
    user = api_user(request)
    clarification = get_object_or_404(comp_selectors.clarifications(), pk=clarification_id)
    competition = _competition(user, clarification.competition_id, role="manager")
    comp.answer(acting_user=user, clarification_id=clarification.pk, text=payload.text)
    return competition


@_step("bids", "Submit or replace your bid before the deadline")
def bid(request: HttpRequest, competition_id: int, payload: BidIn) -> Competition:
    user = api_user(request)
    competition = _competition(user, competition_id, role="supplier")
    comp.submit_bid(acting_user=user, competition_id=competition.pk, **payload.dict())
    return competition


@_step("open-bids", "Open the bids after the deadline")
def open_bids(request: HttpRequest, competition_id: int, payload: CompetitionStepIn) -> Competition:
    user = api_user(request)
    return comp.open_bids(
        acting_user=user,
        competition_id=_competition(user, competition_id, role="manager").pk,
        expected_version=payload.version,
    )


@router.post("/bids/{bid_id}/scores", response=CompetitionOut, summary="An evaluator's independent mark")
@api_requires(None)
def score(request: HttpRequest, bid_id: int, payload: MarkIn) -> Competition:
    user = api_user(request)
    found = get_object_or_404(comp_selectors.bids(), pk=bid_id)
    competition = _competition(user, found.competition_id, role="evaluator")
    comp.score(
        acting_user=user,
        bid_id=found.pk,
        criterion=payload.criterion,
        mark=payload.mark,
        comment=payload.comment,
    )
    return competition


@router.post("/bids/{bid_id}/moderation", response=CompetitionOut, summary="The panel's agreed mark")
@api_requires(None)
def moderate(request: HttpRequest, bid_id: int, payload: MarkIn) -> Competition:
    user = api_user(request)
    found = get_object_or_404(comp_selectors.bids(), pk=bid_id)
    competition = _competition(user, found.competition_id, role="manager")
    comp.moderate(
        acting_user=user,
        bid_id=found.pk,
        criterion=payload.criterion,
        mark=payload.mark,
        rationale=payload.comment,
    )
    return competition


@_step("award", "Decide the award and start the standstill period")
def award(request: HttpRequest, competition_id: int, payload: CompetitionStepIn) -> Competition:
    user = api_user(request)
    return comp.decide_award(
        acting_user=user,
        competition_id=_competition(user, competition_id, role="manager").pk,
        expected_version=payload.version,
    )


@_step("contract", "Make the contract once standstill has ended")
def make_contract(request: HttpRequest, competition_id: int, payload: CompetitionStepIn) -> Competition:
    user = api_user(request)
    competition = _competition(user, competition_id, role="manager")
    comp.make_contract(acting_user=user, competition_id=competition.pk, expected_version=payload.version)
    return _competition(user, competition_id)


@_step("rerun", "Close a competition with no compliant bid and draft it again")
def rerun(request: HttpRequest, competition_id: int, payload: RerunIn) -> Competition:
    user = api_user(request)
    return comp.rerun(
        acting_user=user,
        competition_id=_competition(user, competition_id, role="manager").pk,
        expected_version=payload.version,
        **payload.dict(exclude={"version"}),
    )


@_step("direct-award", "Close a competition with no compliant bid with a direct award")
def direct_award(request: HttpRequest, competition_id: int, payload: DirectAwardIn) -> Competition:
    user = api_user(request)
    competition = _competition(user, competition_id, role="manager")
    comp.direct_award(
        acting_user=user,
        competition_id=competition.pk,
        expected_version=payload.version,
        **payload.dict(exclude={"version"}),
    )
    return _competition(user, competition_id)


class CommissionerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: CommissionerKind
    organisation_id: int | None = None
    region_id: str | None = None


class CommissionerOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int | None
    region_id: str | None
    agreement_signed_on: date | None


@router.get(
    "/commissioners", response=list[CommissionerOut], summary="Who may commission, and their user agreements"
)
@api_requires(Capability.MANAGE_FRAMEWORK)
def list_commissioners(request: HttpRequest) -> Any:
    return comp_selectors.commissioners()


@router.post(
    "/commissioners", response={201: CommissionerOut}, summary="Register a commissioner (commercial staff)"
)
@api_requires(Capability.MANAGE_FRAMEWORK)
def add_commissioner(request: HttpRequest, payload: CommissionerIn) -> tuple[int, Commissioner]:
    organisation = (
        get_object_or_404(organisation_selectors.external_organisations(), pk=payload.organisation_id)
        if payload.organisation_id
        else None
    )
    region = (
        get_object_or_404(organisation_selectors.regions(), pk=payload.region_id)
        if payload.region_id
        else None
    )
    return 201, comp.add_commissioner(
        acting_user=api_user(request),
        name=payload.name,
        kind=payload.kind,
        organisation=organisation,
        region=region,
    )
