"""The programmes API: programme referrals, with the same permissions as the pages.

A referral is found only through its person's scope (404 otherwise, like a missing
one); a step the caller may not take at all is 404, one not possible in the referral's
state 409; bad input 422 naming the field. Partner Link Work contacts answer only to
users with PARTNER_SAFETY, and never appear in the referral itself.
"""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from audit import services as audit
from core.api import PageNumberPagination, ShortText, Text, api_requires, api_user
from core.roles import Capability
from people.selectors import get_person_for
from programmes.constants import (
    WAITLIST_STATUSES,
    DayPart,
    PartnerContactMethod,
    ReferralStatus,
    StatusReason,
    Suitability,
)
from programmes.lifecycle import REFERRAL
from programmes.models import PartnerContact, ProgrammeReferral
from programmes.rules import referrals as rules
from programmes.selectors import referrals as selectors
from programmes.services import referrals as services

router = Router(tags=["Programmes"])

API_STEPS = frozenset({"assess", *services.REASONED_STEPS})


class ProgrammeReferralMoveOut(Schema):
    from_status: str
    to_status: str
    reason: str
    note: str
    changed_at: datetime
    by_system: bool = Field(
        description="True when the service moved it as a result of something else (the sentence ended, "
        "the first session or the last one was attended), not a person taking the step"
    )


class ProgrammeLdcScoreOut(Schema):
    score: int
    is_override: bool
    reason: str
    recorded_at: datetime


class ProgrammeAvailabilitySlot(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday")
    part: DayPart


class ProgrammeNonAssociationOut(Schema):
    crn: str | None = Field(description="The other person, or null when they are outside your case access")
    reason: str
    recorded_at: datetime


class ProgrammeReferralOut(Schema):
    id: int
    crn: str
    event_id: int
    requirement_id: int | None
    licence_condition_id: int | None
    programme_id: int | None
    programme: str | None
    pdu_id: int
    source: str
    status: str
    status_reason: str
    status_note: str
    referred_on: date
    must_finish_by: date
    weeks_left: int = Field(description="Whole weeks from today to must_finish_by")
    cannot_finish_in_time: bool | None = Field(
        description="Fewer weeks left than the programme usually takes; null when not known (no programme chosen, or its length unknown)"
    )
    pni_pathway: str = Field(description="The person's current PNI pathway, or empty when never calculated")
    suitability: str
    suitability_reasons: str
    assessed_on: date | None
    ldc_score: int | None = Field(description="The LDC score in force: the newest of ldc_scores")
    ldc_scores: list[ProgrammeLdcScoreOut]
    availability: list[ProgrammeAvailabilitySlot]
    preferred_office_ids: list[int]
    impossible_office_ids: list[int]
    non_associations: list[ProgrammeNonAssociationOut]
    history: list[ProgrammeReferralMoveOut]
    group_id: int | None = Field(description="The group the referral is in now, if any")
    group_member_id: int | None = Field(description="Its place in that group (for the group's member steps)")
    version: int
    next_steps: list[str] = Field(
        description="The steps you may take on it now, by name (the referral lifecycle's transitions)"
    )


def _out(referral: ProgrammeReferral, user: Any) -> dict[str, Any]:
    programme = referral.programme
    left = rules.time_left(
        timezone.localdate(), referral.must_finish_by, programme.typical_weeks if programme else None
    )
    preferred, impossible = selectors.offices_of(referral)
    membership = selectors.current_membership_of(referral)
    return {
        "id": referral.pk,
        "group_id": membership.group_id if membership else None,
        "group_member_id": membership.pk if membership else None,
        "crn": referral.person.crn,
        "event_id": referral.event_id,
        "requirement_id": referral.requirement_id,
        "licence_condition_id": referral.licence_condition_id,
        "programme_id": referral.programme_id,
        "programme": programme.name if programme else None,
        "pdu_id": referral.pdu_id,
        "source": referral.source,
        "status": referral.status,
        "status_reason": referral.status_reason,
        "status_note": referral.status_note,
        "referred_on": referral.referred_on,
        "must_finish_by": referral.must_finish_by,
        "weeks_left": left.weeks_left,
        "cannot_finish_in_time": left.cannot_finish,
        "pni_pathway": selectors.latest_pathway_of(referral.person),
        "suitability": referral.suitability,
        "suitability_reasons": referral.suitability_reasons,
        "assessed_on": referral.assessed_on,
        "ldc_score": referral.ldc_score,
        "ldc_scores": [
            {"score": s.score, "is_override": s.is_override, "reason": s.reason, "recorded_at": s.recorded_at}
            for s in selectors.ldc_scores_of(referral)
        ],
        "availability": [{"weekday": d, "part": p} for d, p in selectors.availability_of(referral)],
        "preferred_office_ids": [o.pk for o in preferred],
        "impossible_office_ids": [o.pk for o in impossible],
        "non_associations": [
            {"crn": n["person"].crn if n["person"] else None, "reason": n["reason"], "recorded_at": n["at"]}
            for n in selectors.non_associations_of(referral, user)
        ],
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "reason": h.reason,
                "note": h.note,
                "changed_at": h.changed_at,
                "by_system": h.changed_by_id is None,
            }
            for h in selectors.history_of(referral)
        ],
        "version": referral.version,
        "next_steps": [t.name for t in REFERRAL.allowed(referral, user)],
    }


def _fresh(request: HttpRequest, referral_id: int) -> ProgrammeReferral:
    return selectors.get_referral_for(api_user(request), referral_id)


def _answer(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    return _out(_fresh(request, referral_id), api_user(request))


class ProgrammeReferralIn(Schema):
    event_id: int
    programme_id: int
    requirement_id: int | None = Field(
        None,
        description=(
            "An accredited programme: the programme requirement; a Structured Intervention: the "
            "RAR requirement; null under a licence"
        ),
    )


@router.post(
    "/people/{crn}/programme-referrals",
    response={201: ProgrammeReferralOut},
    summary="Refer a person to a programme taking new referrals",
)
@api_requires(Capability.MANAGE_CASES)
def refer(request: HttpRequest, crn: str, payload: ProgrammeReferralIn) -> tuple[int, dict[str, Any]]:
    user = api_user(request)
    person = get_person_for(user, crn)
    referral = services.refer(
        acting_user=user,
        person=person,
        event_id=payload.event_id,
        programme_id=payload.programme_id,
        requirement_id=payload.requirement_id,
    )
    return 201, _answer(request, referral.pk)


class ProgrammeWaitlistRowOut(Schema):
    id: int
    crn: str
    name: str
    pni_pathway: str
    programme_id: int | None
    programme: str | None
    status: str
    referred_on: date
    must_finish_by: date
    weeks_left: int
    weeks_waiting: int
    cannot_finish_in_time: bool | None

    @staticmethod
    def resolve_crn(obj: ProgrammeReferral) -> str:
        return obj.person.crn

    @staticmethod
    def resolve_name(obj: ProgrammeReferral) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_pni_pathway(obj: ProgrammeReferral) -> str:
        return getattr(obj, "pathway", None) or ""

    @staticmethod
    def resolve_programme(obj: ProgrammeReferral) -> str | None:
        return obj.programme.name if obj.programme else None

    @staticmethod
    def resolve_weeks_left(obj: ProgrammeReferral) -> int:
        return rules.weeks_between(timezone.localdate(), obj.must_finish_by)

    @staticmethod
    def resolve_weeks_waiting(obj: ProgrammeReferral) -> int:
        return rules.weeks_waiting(obj.referred_on, timezone.localdate())

    @staticmethod
    def resolve_cannot_finish_in_time(obj: ProgrammeReferral) -> bool | None:
        weeks = obj.programme.typical_weeks if obj.programme else None
        return rules.time_left(timezone.localdate(), obj.must_finish_by, weeks).cannot_finish


@router.get(
    "/programme-referrals",
    response=list[ProgrammeWaitlistRowOut],
    summary="A PDU's programme waitlist, least time left first",
    description=(
        "For the Programmes team and facilitators. `pdu` defaults to your own PDU; a PDU outside "
        "your case access is 404. `status` defaults to every waiting state (not yet in a group). "
        "People you may not see (restricted, excluded, out of scope) are never listed."
    ),
)
@api_requires(Capability.DELIVER_PROGRAMMES)
@paginate(PageNumberPagination, page_size=50)
def waitlist(
    request: HttpRequest,
    pdu: int | None = None,
    status: ReferralStatus | None = None,
    programme: int | None = None,
) -> Any:
    user = api_user(request)
    in_scope = set(selectors.waitlist_pdus(user).values_list("pk", flat=True))
    pdu_id = pdu if pdu is not None else (user.staff.pdu_id if user.staff else None)
    if pdu_id not in in_scope:
        raise Http404
    rows = selectors.waitlist(
        user,
        pdu_id=pdu_id,
        statuses=[status] if status else sorted(WAITLIST_STATUSES),
        programme_id=programme,
    )
    audit.record_read("programme waitlist", actor=user, **audit.listed(rows, crn_field="person__crn"))
    return rows


@router.get(
    "/programme-referrals/{programme_referral_id}",
    response=ProgrammeReferralOut,
    summary="A programme referral",
)
@api_requires(Capability.VIEW_CASES)
def get_referral(request: HttpRequest, programme_referral_id: int) -> dict[str, Any]:
    referral = _fresh(request, programme_referral_id)
    audit.record_read("programme referral", actor=api_user(request), person=referral.person, obj=referral)
    return _out(referral, api_user(request))


class PersonProgrammeReferralOut(Schema):
    id: int
    programme: str | None
    status: str
    referred_on: date
    must_finish_by: date
    next_session_at: datetime | None = Field(description="The next session of their group or their own")


@router.get(
    "/people/{crn}/programme-referrals",
    response=list[PersonProgrammeReferralOut],
    summary="A person's programme referrals, newest first (the ones a sentence opened included)",
)
@api_requires(Capability.VIEW_CASES)
def person_referrals(request: HttpRequest, crn: str) -> list[dict[str, Any]]:
    user = api_user(request)
    person = get_person_for(user, crn)
    audit.record_read("programme referrals", actor=user, person=person)
    return [
        {
            "id": r.pk,
            "programme": r.programme.name if r.programme else None,
            "status": r.status,
            "referred_on": r.referred_on,
            "must_finish_by": r.must_finish_by,
            "next_session_at": getattr(r, "next_session_at", None),
        }
        for r in selectors.referrals_of(person)
    ]


class ProgrammeReferralStepIn(Schema):
    reason: StatusReason | None = Field(None, description="A coded reason; required for every step but ready")
    note: Text = Field("", description="Required when the reason is OTHER")
    version: int = Field(description="The referral's version the step was taken on")
    suitability: Suitability | None = Field(None, description="assess only: the outcome")
    suitability_reasons: Text = Field("", description="assess only: the reasons for the outcome")
    programme_id: int | None = Field(None, description="assess only: the programme chosen")


class ProgrammeSuitabilityIn(Schema):
    suitability: Suitability
    suitability_reasons: Text = Field(min_length=1)
    programme_id: int | None = Field(None, description="Required unless not suitable or not eligible")
    reason: StatusReason | None = Field(None, description="Required unless suitable")
    note: Text = ""
    version: int = Field(description="The referral's version the assessment was made on")


def _assess(
    request: HttpRequest, referral_id: int, payload: ProgrammeReferralStepIn | ProgrammeSuitabilityIn
) -> None:
    services.assess(
        acting_user=api_user(request),
        referral_id=referral_id,
        outcome=services.SuitabilityInput(
            suitability=payload.suitability or "",
            reasons=payload.suitability_reasons,
            programme_id=payload.programme_id,
            reason=payload.reason or "",
            note=payload.note,
        ),
        expected_version=payload.version,
    )


@router.post(
    "/programme-referrals/{programme_referral_id}/steps/{step}",
    response=ProgrammeReferralOut,
    summary="Take a step on a referral: assess, ready, deprioritise, defer, withdraw, recall, return_to_court, breach",
    description=(
        "The steps offered now are the referral's `next_steps`. A step you may not take at all "
        "(or one taken on the group pages: schedule, unschedule, deselect) is 404; one not possible "
        "in the referral's state is 409."
    ),
)
@api_requires(Capability.VIEW_CASES)
def take_step(
    request: HttpRequest, programme_referral_id: int, step: str, payload: ProgrammeReferralStepIn
) -> dict[str, Any]:
    user = api_user(request)
    referral = _fresh(request, programme_referral_id)
    if step not in API_STEPS or not REFERRAL[step].permits(user, referral):
        raise Http404
    if step == "assess":
        _assess(request, referral.pk, payload)
    else:
        services.take_step(
            acting_user=user,
            referral_id=referral.pk,
            step=step,
            reason=payload.reason or "",
            note=payload.note,
            expected_version=payload.version,
        )
    return _answer(request, referral.pk)


@router.post(
    "/programme-referrals/{programme_referral_id}/suitability",
    response=ProgrammeReferralOut,
    summary="Record the suitability assessment (the assess step)",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def suitability(
    request: HttpRequest, programme_referral_id: int, payload: ProgrammeSuitabilityIn
) -> dict[str, Any]:
    referral = _fresh(request, programme_referral_id)
    _assess(request, referral.pk, payload)
    return _answer(request, referral.pk)


class ProgrammeAvailabilityIn(Schema):
    slots: list[ProgrammeAvailabilitySlot] = Field(
        description="When the person can attend; replaces what was there"
    )
    preferred_office_ids: list[int] = []
    impossible_office_ids: list[int] = []
    version: int


@router.put(
    "/programme-referrals/{programme_referral_id}/availability",
    response=ProgrammeReferralOut,
    summary="Set the person's availability and preferred and impossible offices",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def availability(
    request: HttpRequest, programme_referral_id: int, payload: ProgrammeAvailabilityIn
) -> dict[str, Any]:
    referral = _fresh(request, programme_referral_id)
    services.set_availability(
        acting_user=api_user(request),
        referral_id=referral.pk,
        slots=[(s.weekday, s.part) for s in payload.slots],
        preferred_office_ids=payload.preferred_office_ids,
        impossible_office_ids=payload.impossible_office_ids,
        expected_version=payload.version,
    )
    return _answer(request, referral.pk)


class ProgrammeNonAssociationIn(Schema):
    crn: ShortText = Field(description="The other person, who must be in your case access (404 otherwise)")
    reason: str = Field(min_length=1, max_length=300)


@router.post(
    "/programme-referrals/{programme_referral_id}/non-associations",
    response={201: ProgrammeReferralOut},
    summary="Record that two people must never share a group (holds both ways)",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def non_association(
    request: HttpRequest, programme_referral_id: int, payload: ProgrammeNonAssociationIn
) -> tuple[int, dict[str, Any]]:
    user = api_user(request)
    referral = _fresh(request, programme_referral_id)
    services.add_non_association(
        acting_user=user,
        referral_id=referral.pk,
        other_person=get_person_for(user, payload.crn),
        reason=payload.reason,
    )
    return 201, _answer(request, referral.pk)


class ProgrammeLdcOverrideIn(Schema):
    score: int = Field(ge=0, le=100)
    reason: str = Field(min_length=1, max_length=500)
    version: int


@router.post(
    "/programme-referrals/{programme_referral_id}/ldc-overrides",
    response={201: ProgrammeReferralOut},
    summary="Override the LDC score with a reason (the newest score is in force)",
)
@api_requires(Capability.MANAGE_PROGRAMMES)
def ldc_override(
    request: HttpRequest, programme_referral_id: int, payload: ProgrammeLdcOverrideIn
) -> tuple[int, dict[str, Any]]:
    referral = _fresh(request, programme_referral_id)
    services.override_ldc(
        acting_user=api_user(request),
        referral_id=referral.pk,
        score=payload.score,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return 201, _answer(request, referral.pk)


class ProgrammePartnerContactOut(Schema):
    id: int
    contacted_on: date
    method: str
    safety_concern: bool
    notes: str


class ProgrammePartnerContactIn(Schema):
    contacted_on: date
    method: PartnerContactMethod
    safety_concern: bool = False
    notes: Text = Field(min_length=1)


@router.get(
    "/programme-referrals/{programme_referral_id}/partner-contacts",
    response=list[ProgrammePartnerContactOut],
    summary="Partner Link Work contacts (Partner Link Workers and treatment managers only)",
)
@api_requires(Capability.PARTNER_SAFETY)
def partner_contacts(request: HttpRequest, programme_referral_id: int) -> list[PartnerContact]:
    user = api_user(request)
    referral = _fresh(request, programme_referral_id)
    audit.record_read("partner link work contacts", actor=user, person=referral.person, obj=referral)
    return selectors.partner_contacts_of(referral, user)


@router.post(
    "/programme-referrals/{programme_referral_id}/partner-contacts",
    response={201: ProgrammePartnerContactOut},
    summary="Record a Partner Link Work contact (Building Better Relationships referrals)",
)
@api_requires(Capability.PARTNER_SAFETY)
def partner_contact_new(
    request: HttpRequest, programme_referral_id: int, payload: ProgrammePartnerContactIn
) -> tuple[int, PartnerContact]:
    referral = _fresh(request, programme_referral_id)
    return 201, services.record_partner_contact(
        acting_user=api_user(request),
        referral_id=referral.pk,
        contacted_on=payload.contacted_on,
        method=payload.method,
        safety_concern=payload.safety_concern,
        notes=payload.notes,
    )
