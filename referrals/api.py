from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from audit import services as audit
from commissioning.constants import Complexity
from commissioning.selectors import contracts_near
from core.api import PageNumberPagination, api_requires, api_user
from core.roles import Capability
from people import selectors as people_selectors
from referrals import rules, selectors, services
from referrals.constants import Attendance, DeliveryMethod, OutcomeRating, ReferralStatus, WithdrawalReason
from referrals.lifecycle import REFERRAL
from referrals.models import Referral

router = Router(tags=["Referrals (refer and monitor)"])


class ReferralSessionOut(Schema):
    number: int
    happened_at: datetime
    method: str
    attendance: str
    absence_acceptable: bool | None
    enforceable: bool
    progress_notes: str
    behaviour_notes: str


class ActionPlanOut(Schema):
    number_of_sessions: int
    activities: str
    submitted_at: datetime
    approved_at: datetime | None
    returned_at: datetime | None
    return_comments: str


class OutcomeOut(Schema):
    id: int
    description: str


class ReferralOut(Schema):
    id: int
    reference: str
    crn: str
    contract_id: int
    contract: str
    supplier: str
    category: int
    complexity: str
    desired_outcomes: list[OutcomeOut]
    max_rar_days: int
    completion_deadline: date
    risk_information: str
    status: str
    sent_at: datetime
    caseworker_id: int | None
    assessment_at: datetime | None
    assessed_on: date | None
    action_plans: list[ActionPlanOut]
    sessions: list[ReferralSessionOut]
    ratings: dict[int, str]
    achievement_score: float | None = Field(
        description="The end-of-service report's score: achieved 1, partly 0.5, not achieved 0 per outcome"
    )
    withdrawal_reason: str
    version: int
    next_steps: list[str] = Field(
        description="The steps you may take on it now, by name (the referral lifecycle's transitions)"
    )

    @staticmethod
    def resolve_next_steps(obj: Referral, context: dict[str, Any]) -> list[str]:
        return [t.name for t in REFERRAL.allowed(obj, api_user(context["request"]))]

    @staticmethod
    def resolve_crn(obj: Referral) -> str:
        return obj.person.crn

    @staticmethod
    def resolve_contract(obj: Referral) -> str:
        return obj.contract.title

    @staticmethod
    def resolve_supplier(obj: Referral) -> str:
        return obj.contract.supplier.name

    @staticmethod
    def resolve_category(obj: Referral) -> int:
        return obj.category_id

    @staticmethod
    def resolve_desired_outcomes(obj: Referral) -> list[Any]:
        return list(obj.desired_outcomes.all())

    @staticmethod
    def resolve_action_plans(obj: Referral) -> list[Any]:
        return list(obj.action_plans.all())

    @staticmethod
    def resolve_sessions(obj: Referral) -> list[Any]:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_ratings(obj: Referral) -> dict[int, str]:
        report = getattr(obj, "end_of_service_report", None)
        return {r.outcome_id: r.rating for r in report.results.all()} if report else {}

    @staticmethod
    def resolve_achievement_score(obj: Referral) -> float | None:
        report = getattr(obj, "end_of_service_report", None)
        return float(rules.achievement_score(r.rating for r in report.results.all())) if report else None


class ReferralIn(Schema):
    crn: str
    contract_id: int
    category: int
    complexity: Complexity
    desired_outcome_ids: list[int]
    max_rar_days: int = Field(ge=1, le=365)
    completion_deadline: date
    risk_information: str = Field(min_length=1, max_length=4000)
    additional_information: str = Field("", max_length=4000)


class CaseworkerIn(Schema):
    caseworker_id: int
    version: int = Field(description="The referral's version the step was taken on")


class ReferralBookingIn(Schema):
    at: datetime
    version: int = Field(description="The referral's version the step was taken on")


class ReferralAssessmentIn(Schema):
    assessed_on: date
    notes: str = Field(min_length=1, max_length=4000)
    version: int = Field(description="The referral's version the step was taken on")


class ActionPlanIn(Schema):
    number_of_sessions: int = Field(ge=1, le=100)
    activities: str = Field(min_length=1, max_length=4000)
    version: int = Field(description="The referral's version the step was taken on")


class DecisionIn(Schema):
    approve: bool
    comments: str = ""
    version: int = Field(description="The referral's version the step was taken on")


class SessionIn(Schema):
    number: int = Field(ge=1)
    happened_at: datetime
    method: DeliveryMethod
    attendance: Attendance
    absence_acceptable: bool | None = None
    progress_notes: str = ""
    behaviour_notes: str = ""
    version: int = Field(description="The referral's version the step was taken on")


class ReportIn(Schema):
    ratings: dict[int, OutcomeRating]
    further_information: str = ""
    version: int = Field(description="The referral's version the step was taken on")


class WithdrawalIn(Schema):
    reason: WithdrawalReason
    comments: str = ""
    version: int = Field(description="The referral's version the step was taken on")


def _fresh(user: Any, referral_id: int) -> Referral:
    return selectors.get_referral_for(user, referral_id)


@router.get(
    "", response=list[ReferralOut], summary="Referrals the user may see (providers: their organisation's)"
)
@api_requires(None)
@paginate(PageNumberPagination, page_size=50)
def list_referrals(request: HttpRequest, status: ReferralStatus | None = None) -> Any:
    found = selectors.with_details(selectors.referrals_visible_to(api_user(request)))
    found = found.filter(status=status) if status else found
    audit.record_read("referrals", actor=api_user(request), **audit.listed(found, crn_field="person__crn"))
    return found


@router.post("", response={201: ReferralOut}, summary="Send a referral to a service open to the person")
@api_requires(Capability.MANAGE_CASES)
def send(request: HttpRequest, payload: ReferralIn) -> tuple[int, Referral]:
    user = api_user(request)
    person = people_selectors.get_person_for(user, payload.crn)
    contract = get_object_or_404(contracts_near(person), pk=payload.contract_id)
    referral = services.send_referral(
        acting_user=user,
        person=person,
        contract_id=contract.pk,
        category=payload.category,
        complexity=payload.complexity,
        desired_outcome_ids=payload.desired_outcome_ids,
        max_rar_days=payload.max_rar_days,
        completion_deadline=payload.completion_deadline,
        risk_information=payload.risk_information,
        additional_information=payload.additional_information,
    )
    return 201, _fresh(user, referral.pk)


@router.get("/{referral_id}", response=ReferralOut)
@api_requires(None)
def get_referral(request: HttpRequest, referral_id: int) -> Referral:
    found = _fresh(api_user(request), referral_id)
    audit.record_read("referral", actor=api_user(request), person=found.person, obj=found)
    return found


@router.post("/{referral_id}/caseworker", response=ReferralOut, summary="Assign a caseworker (provider)")
@api_requires(Capability.DELIVER_SERVICES)
def assign(request: HttpRequest, referral_id: int, payload: CaseworkerIn) -> Referral:
    user = api_user(request)
    referral = _fresh(user, referral_id)
    caseworker = get_object_or_404(selectors.caseworkers_for(referral), pk=payload.caseworker_id)
    services.assign_caseworker(
        acting_user=user,
        referral_id=referral.pk,
        caseworker_id=caseworker.pk,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)


@router.post("/{referral_id}/assessment-booking", response=ReferralOut, summary="Book the initial assessment")
@api_requires(Capability.DELIVER_SERVICES)
def book_assessment(request: HttpRequest, referral_id: int, payload: ReferralBookingIn) -> Referral:
    user = api_user(request)
    services.book_assessment(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        at=payload.at,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)


@router.post("/{referral_id}/assessment", response=ReferralOut, summary="Record the initial assessment")
@api_requires(Capability.DELIVER_SERVICES)
def record_assessment(request: HttpRequest, referral_id: int, payload: ReferralAssessmentIn) -> Referral:
    user = api_user(request)
    services.record_assessment(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        assessed_on=payload.assessed_on,
        notes=payload.notes,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)


@router.post("/{referral_id}/action-plans", response=ReferralOut, summary="Submit the action plan")
@api_requires(Capability.DELIVER_SERVICES)
def submit_action_plan(request: HttpRequest, referral_id: int, payload: ActionPlanIn) -> Referral:
    user = api_user(request)
    services.submit_action_plan(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        number_of_sessions=payload.number_of_sessions,
        activities=payload.activities,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)


@router.post(
    "/{referral_id}/action-plan-decision",
    response=ReferralOut,
    summary="Approve or send back the action plan",
)
@api_requires(Capability.MANAGE_CASES)
def decide(request: HttpRequest, referral_id: int, payload: DecisionIn) -> Referral:
    user = api_user(request)
    services.decide_action_plan(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        approve=payload.approve,
        comments=payload.comments,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)


@router.post("/{referral_id}/sessions", response={201: ReferralOut}, summary="Record a delivered session")
@api_requires(Capability.DELIVER_SERVICES)
def record_session(request: HttpRequest, referral_id: int, payload: SessionIn) -> tuple[int, Referral]:
    user = api_user(request)
    services.record_session(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        expected_version=payload.version,
        **payload.dict(exclude={"version"}),
    )
    return 201, _fresh(user, referral_id)


@router.post("/{referral_id}/end-of-service-report", response={201: ReferralOut}, summary="Submit the report")
@api_requires(Capability.DELIVER_SERVICES)
def submit_report(request: HttpRequest, referral_id: int, payload: ReportIn) -> tuple[int, Referral]:
    user = api_user(request)
    services.submit_report(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        ratings={k: v.value for k, v in payload.ratings.items()},
        further_information=payload.further_information,
        expected_version=payload.version,
    )
    return 201, _fresh(user, referral_id)


@router.post("/{referral_id}/withdrawal", response=ReferralOut, summary="Withdraw with a coded reason")
@api_requires(Capability.MANAGE_CASES)
def withdraw(request: HttpRequest, referral_id: int, payload: WithdrawalIn) -> Referral:
    user = api_user(request)
    services.withdraw(
        acting_user=user,
        referral_id=_fresh(user, referral_id).pk,
        reason=payload.reason,
        comments=payload.comments,
        expected_version=payload.version,
    )
    return _fresh(user, referral_id)
