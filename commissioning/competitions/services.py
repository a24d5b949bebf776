"""Call-off competitions: commissioners (once they have signed the user agreement),
co-commissioning shares, publication to every qualified supplier and no other, sealed
bids, clarifications, independent scoring, moderation, the weighted ranking, the award
decision and standstill, then the contract; or, with no compliant bid, a re-run or a
direct award with its reason. Every write is atomic, guarded by the competition's
lifecycle (``lifecycle.COMPETITION``: each step names its transition there, which says
from which states, who and on what condition) and audited; the reads they rest on are
in ``selectors``."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User, holding
from audit import services as audit
from audit.constants import AuditAction
from commissioning.competitions import rules as crules
from commissioning.competitions.lifecycle import COMPETITION
from commissioning.competitions.selectors import (
    commissioner_for,
    invitees,
    ranking,
    supplier_for,
)
from commissioning.constants import CompetitionStatus, Criterion, GeographyLevel, SupplierStatus
from commissioning.models import (
    Bid,
    Clarification,
    Commissioner,
    Competition,
    CompetitionPartner,
    Contract,
    Invitation,
    ModeratedScore,
    Score,
    Supplier,
)
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from core.roles import Capability, Role


def _audit(
    action: AuditAction, actor: Any, obj: Any, competition: Competition, changes: dict[str, Any]
) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=str(competition)[:200], changes=changes)


def _rule(call: Any) -> Any:
    try:
        return call()
    except crules.CompetitionRuleError as error:
        raise ValidationError({error.field: error.message}) from error


# --- Agreement and drafting -----------------------------------------------------------


@transaction.atomic
def sign_user_agreement(*, acting_user: Any) -> Commissioner:
    commissioner = commissioner_for(acting_user)
    if commissioner is None:
        raise TransitionNotAllowed("You do not act for a commissioner that can use the framework.")
    if commissioner.agreement_signed_on is not None:
        raise TransitionNotAllowed("The user agreement is already signed.")
    commissioner.agreement_signed_on, commissioner.agreement_signed_by = timezone.localdate(), acting_user
    commissioner.save()
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=commissioner,
        object_repr=commissioner.name,
        changes={"agreement_signed_on": [None, commissioner.agreement_signed_on]},
    )
    return commissioner


def _signed(commissioner: Commissioner | None) -> Commissioner:
    if commissioner is None or commissioner.agreement_signed_on is None:
        raise TransitionNotAllowed("Sign the framework's user agreement before commissioning.")
    return commissioner


@transaction.atomic
def create_competition(
    *, acting_user: Any, partners: list[tuple[int, int]], evaluator_ids: list[int], **fields: Any
) -> Competition:
    """A draft for one category and geography. ``partners`` are (commissioner id, share
    percent) for co-commissioning; the lead funds the rest."""
    lead = _signed(commissioner_for(acting_user))
    _rule(
        lambda: crules.check_weights(
            fields["quality_weight"], fields["price_weight"], fields["social_value_weight"]
        )
    )
    _rule(lambda: crules.check_shares([share for _, share in partners]))
    _check_dates(fields)
    if fields.get("maximum_age") is not None and fields["maximum_age"] < fields.get("minimum_age", 18):
        raise ValidationError({"maximum_age": "The maximum age must be at least the minimum age"})
    if not fields.get("allows_female", True) and not fields.get("allows_male", True):
        raise ValidationError({"allows_female": "The service must be open to women, men or both"})
    _check_geography(fields)
    competition = Competition.objects.create(
        reference=f"CO-{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}",
        lead=lead,
        created_by=acting_user,
        **fields,
    )
    for commissioner_id, share in partners:
        partner = _signed(Commissioner.objects.filter(pk=commissioner_id).first())
        if partner == lead:
            raise ValidationError({"partners": "The lead commissioner cannot also be a partner"})
        CompetitionPartner.objects.create(competition=competition, commissioner=partner, share_percent=share)
    panel = list(User.objects.filter(holding(*EVALUATOR_ROLES), pk__in=evaluator_ids, is_active=True))
    if not panel or len(panel) != len(set(evaluator_ids)):
        raise ValidationError(
            {
                "evaluators": "Choose at least one evaluator from commissioners, commercial staff or regional directors"
            }
        )
    competition.evaluators.set(panel)
    _audit(
        AuditAction.CREATE, acting_user, competition, competition, {"status": [None, CompetitionStatus.DRAFT]}
    )
    return competition


EVALUATOR_ROLES = (Role.COMMISSIONER, Role.COMMERCIAL, Role.REGIONAL_DIRECTOR)  # never a bidder's staff


def _check_geography(fields: dict[str, Any]) -> None:
    """Each geography needs its place; a local authority also says its PCC area."""
    level = fields["geography_level"]
    needs = {
        GeographyLevel.REGION: [("region", "Choose the region")],
        GeographyLevel.PCC_AREA: [("pcc_area", "Choose the PCC area")],
        GeographyLevel.PDU: [("pdu", "Choose the PDU")],
        GeographyLevel.LOCAL_AUTHORITY: [
            ("local_authority", "Enter the local authority"),
            ("pcc_area", "Choose the PCC area the local authority is in"),
        ],
    }.get(level, [])
    for name, message in needs:
        value = fields.get(name) or fields.get(f"{name}_id")
        if not value or (isinstance(value, str) and not value.strip()):
            raise ValidationError({name: message})


def _check_dates(fields: dict[str, Any]) -> None:
    now = timezone.now()
    if fields["bid_deadline"] <= now:
        raise ValidationError({"bid_deadline": "The bid deadline must be in the future"})
    if not now < fields["clarification_deadline"] <= fields["bid_deadline"]:
        raise ValidationError({"clarification_deadline": "Clarifications must close before the bid deadline"})
    if fields["service_ends_on"] <= fields["service_starts_on"]:
        raise ValidationError({"service_ends_on": "The service must end after it starts"})


def _locked(competition_id: int, expected_version: int | None = None) -> Competition:
    """The competition, locked. Steps that move it on name the version the user saw; a
    supplier's question or bid adds to it without changing it, so names none."""
    if expected_version is None:
        return Competition.objects.select_for_update().get(pk=competition_id)
    return lock_at_version(Competition, competition_id, expected_version)


def _move(competition: Competition, step: str) -> None:
    """Moves the competition to the state the lifecycle's transition ends in."""
    target = COMPETITION[step].target
    assert target is not None
    competition.status = target
    competition.bump_version()
    competition.save()


@transaction.atomic
def publish(*, acting_user: Any, competition_id: int, expected_version: int) -> Competition:
    """Invites every appointed supplier qualified for the category and geography, and no other."""
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "publish", acting_user)
    if competition.bid_deadline <= timezone.now():
        raise ValidationError({"bid_deadline": "The bid deadline has passed: change it before publishing"})
    invited = list(invitees(competition))
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(competition=competition, supplier=s, invited_at=now) for s in invited
    )
    competition.published_at = now
    _move(competition, "publish")
    _audit(AuditAction.UPDATE, acting_user, competition, competition, {"invited": [None, len(invited)]})
    return competition


def _invited_supplier(acting_user: Any) -> Supplier:
    """The supplier acting, once the lifecycle's guard has found it invited."""
    supplier = supplier_for(acting_user)
    assert supplier is not None
    return supplier


@transaction.atomic
def ask(*, acting_user: Any, competition_id: int, question: str) -> Clarification:
    competition = _locked(competition_id)
    COMPETITION.guard(competition, "ask", acting_user)
    supplier = _invited_supplier(acting_user)
    if not question.strip():
        raise ValidationError({"question": "Enter your question"})
    clarification = Clarification.objects.create(
        competition=competition, asked_by=supplier, question=question.strip(), asked_at=timezone.now()
    )
    _audit(
        AuditAction.CREATE, acting_user, clarification, competition, {"question": [None, clarification.pk]}
    )
    return clarification


@transaction.atomic
def answer(*, acting_user: Any, clarification_id: int, text: str) -> Clarification:
    clarification = (
        Clarification.objects.select_for_update().select_related("competition").get(pk=clarification_id)
    )
    COMPETITION.guard(clarification.competition, "answer", acting_user)
    if clarification.answered_at is not None:
        raise TransitionNotAllowed("This question has been answered.")
    if not text.strip():
        raise ValidationError({"text": "Enter the answer"})
    clarification.answer, clarification.answered_at = text.strip(), timezone.now()
    clarification.save()
    _audit(
        AuditAction.UPDATE, acting_user, clarification, clarification.competition, {"answered": [None, True]}
    )
    return clarification


@transaction.atomic
def submit_bid(
    *,
    acting_user: Any,
    competition_id: int,
    price: Decimal,
    quality_response: str,
    social_value_response: str,
) -> Bid:
    """Before the deadline a bid can be replaced; after it, late bids are refused."""
    competition = _locked(competition_id)
    COMPETITION.guard(competition, "bid", acting_user)
    supplier = _invited_supplier(acting_user)
    if price <= 0:
        raise ValidationError({"price": "Enter a price above zero"})
    if not quality_response.strip() or not social_value_response.strip():
        raise ValidationError({"quality_response": "Answer the quality and social value questions"})
    bid, _ = Bid.objects.update_or_create(
        competition=competition,
        supplier=supplier,
        defaults={
            "price": price,
            "quality_response": quality_response.strip(),
            "social_value_response": social_value_response.strip(),
            "submitted_at": timezone.now(),
            "submitted_by": acting_user,
        },
    )
    _audit(AuditAction.UPDATE, acting_user, bid, competition, {"bid": [None, "submitted"]})
    return bid


# --- Evaluation ------------------------------------------------------------------------------


@transaction.atomic
def open_bids(*, acting_user: Any, competition_id: int, expected_version: int) -> Competition:
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "open-bids", acting_user)
    _move(competition, "open-bids")
    _audit(
        AuditAction.UPDATE, acting_user, competition, competition, {"bids": [None, competition.bids.count()]}
    )
    return competition


@transaction.atomic
def score(*, acting_user: Any, bid_id: int, criterion: Criterion, mark: int, comment: str) -> Score:
    bid = Bid.objects.select_related("competition").get(pk=bid_id)
    competition = bid.competition
    COMPETITION.guard(competition, "score", acting_user)
    if bid.moderated.filter(criterion=criterion).exists():
        raise TransitionNotAllowed("This mark has been moderated.")
    if not 0 <= mark <= 100:
        raise ValidationError({"mark": "A mark is between 0 and 100"})
    if not comment.strip():
        raise ValidationError({"comment": "Explain the mark"})
    found, _ = Score.objects.update_or_create(
        bid=bid,
        evaluator=acting_user,
        criterion=criterion,
        defaults={"mark": mark, "comment": comment.strip()},
    )
    _audit(AuditAction.UPDATE, acting_user, found, competition, {f"{criterion}": [None, mark]})
    return found


@transaction.atomic
def moderate(
    *, acting_user: Any, bid_id: int, criterion: Criterion, mark: int, rationale: str
) -> ModeratedScore:
    """The agreed mark, once every evaluator has scored the criterion independently."""
    bid = Bid.objects.select_related("competition").get(pk=bid_id)
    competition = bid.competition
    COMPETITION.guard(competition, "moderate", acting_user)
    panel = set(competition.evaluators.values_list("pk", flat=True))
    scored = set(bid.scores.filter(criterion=criterion).values_list("evaluator_id", flat=True))
    if not panel or panel - scored:
        raise TransitionNotAllowed("Every evaluator must score independently before moderation.")
    if not 0 <= mark <= 100:
        raise ValidationError({"mark": "A mark is between 0 and 100"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Record why the panel agreed this mark"})
    found, _ = ModeratedScore.objects.update_or_create(
        bid=bid,
        criterion=criterion,
        defaults={"mark": mark, "rationale": rationale.strip(), "moderated_by": acting_user},
    )
    _audit(AuditAction.UPDATE, acting_user, found, competition, {f"moderated_{criterion}": [None, mark]})
    return found


@transaction.atomic
def decide_award(*, acting_user: Any, competition_id: int, expected_version: int) -> Competition:
    """The highest-ranked compliant bid wins; the standstill period starts."""
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "award", acting_user)  # at least one compliant bid
    everything = ranking(competition)
    if any(r.reason == crules.NOT_MODERATED for r in everything):
        raise TransitionNotAllowed("Moderate every bid within budget before deciding the award.")
    ranked = [r for r in everything if r.compliant]
    competition.award_bid_id = ranked[0].bid
    competition.award_decided_on = timezone.localdate()
    competition.standstill_ends_on = crules.standstill_ends(competition.award_decided_on)
    _move(competition, "award")
    _audit(AuditAction.UPDATE, acting_user, competition, competition, {"award_bid": [None, ranked[0].bid]})
    return competition


def _contract_from(competition: Competition, supplier: Supplier, value: Decimal) -> Contract:
    contract = Contract.objects.create(
        reference=competition.reference,
        title=competition.title,
        contract_type=competition.category.name[:12].upper(),
        supplier=supplier,
        geography_level=competition.geography_level,
        region=competition.region,
        pcc_area=competition.pcc_area,
        pdu=competition.pdu,
        local_authority=competition.local_authority,
        allows_female=competition.allows_female,
        allows_male=competition.allows_male,
        minimum_age=competition.minimum_age,
        maximum_age=competition.maximum_age,
        starts_on=competition.service_starts_on,
        ends_on=competition.service_ends_on,
        value=value,
        expected_referrals_per_month=competition.expected_referrals_per_month,
        nationally_commissioned=False,
        description=competition.specification,
    )
    contract.categories.set([competition.category])
    return contract


@transaction.atomic
def make_contract(*, acting_user: Any, competition_id: int, expected_version: int) -> Contract:
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "contract", acting_user)
    assert competition.award_bid is not None
    bid = competition.award_bid
    competition.contract = _contract_from(competition, bid.supplier, bid.price)
    _move(competition, "contract")
    _audit(
        AuditAction.UPDATE,
        acting_user,
        competition,
        competition,
        {"contract": [None, competition.contract.reference]},
    )
    return competition.contract


def _rerun_reference(competition: Competition) -> str:
    """The first competition's reference with the run number: CO-2026-ABC123-R2."""
    base = competition.reference.split("-R")[0]
    runs = Competition.objects.filter(reference__startswith=f"{base}-R").count()
    return f"{base}-R{runs + 1}"


@transaction.atomic
def rerun(
    *,
    acting_user: Any,
    competition_id: int,
    reason: str,
    bid_deadline: datetime,
    clarification_deadline: datetime,
    expected_version: int,
) -> Competition:
    """Closes a competition with no compliant bid and drafts it again with new dates."""
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "rerun", acting_user)
    if not reason.strip():
        raise ValidationError({"reason": "Record why it is run again"})
    competition.closure_reason = reason.strip()
    _move(competition, "rerun")
    fields = {
        f.name: getattr(competition, f.name)
        for f in Competition._meta.concrete_fields
        if f.name
        not in {
            "id",
            "reference",
            "status",
            "published_at",
            "award_bid",
            "award_decided_on",
            "standstill_ends_on",
            "closure_reason",
            "contract",
            "rerun_of",
            "version",
            "created_by",
            "lead",
        }
    }
    fields |= {"bid_deadline": bid_deadline, "clarification_deadline": clarification_deadline}
    _check_dates(fields)
    again = Competition.objects.create(
        reference=_rerun_reference(competition),
        lead=competition.lead,
        created_by=acting_user,
        rerun_of=competition,
        **{k: v for k, v in fields.items() if not k.endswith("_id")},
    )
    again.evaluators.set(competition.evaluators.all())
    for partner in competition.partners.all():
        CompetitionPartner.objects.create(
            competition=again, commissioner=partner.commissioner, share_percent=partner.share_percent
        )
    _audit(AuditAction.UPDATE, acting_user, competition, competition, {"rerun_as": [None, again.reference]})
    return again


@transaction.atomic
def direct_award(
    *,
    acting_user: Any,
    competition_id: int,
    supplier_id: int,
    value: Decimal,
    reason: str,
    expected_version: int,
) -> Contract:
    """The contingency when no compliant bid came: a contract with an appointed supplier,
    the reason recorded."""
    competition = _locked(competition_id, expected_version)
    COMPETITION.guard(competition, "direct-award", acting_user)
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason for the direct award"})
    supplier = Supplier.objects.filter(pk=supplier_id, status=SupplierStatus.APPOINTED).first()
    if supplier is None:
        raise ValidationError({"supplier": "Choose a supplier appointed to the framework"})
    competition.closure_reason = reason.strip()
    competition.contract = _contract_from(competition, supplier, value)
    _move(competition, "direct-award")
    _audit(AuditAction.UPDATE, acting_user, competition, competition, {"direct_award": [None, supplier.code]})
    return competition.contract


@transaction.atomic
def add_commissioner(
    *, acting_user: Any, name: str, kind: str, organisation: Any = None, region: Any = None
) -> Commissioner:
    """Commercial staff register a body that may commission: an HMPPS region (by its
    region) or a PCC, local authority or police force (by the organisation its staff
    sign in through). It commissions once it has signed the user agreement."""
    if not acting_user.has_capability(Capability.MANAGE_FRAMEWORK):
        raise TransitionNotAllowed("Commercial staff register commissioners.")
    if kind == "HMPPS_REGION":
        if region is None:
            raise ValidationError({"region": "Choose the region"})
        if Commissioner.objects.filter(region=region).exists():
            raise ValidationError({"region": "That region is already a commissioner"})
        organisation = None
    else:
        if organisation is None:
            raise ValidationError({"organisation": "Choose the organisation its staff sign in through"})
        if Commissioner.objects.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": "That organisation is already a commissioner"})
        region = None
    if not name.strip():
        raise ValidationError({"name": "Enter the commissioner's name"})
    commissioner = Commissioner.objects.create(
        name=name.strip(), kind=kind, organisation=organisation, region=region
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=commissioner,
        object_repr=commissioner.name,
        changes={"kind": [None, kind]},
    )
    return commissioner
