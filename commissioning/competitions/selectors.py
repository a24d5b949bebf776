"""Who sees what in call-off competitions: who acts for a commissioner or a supplier,
which competitions, bids and invitations each may see, who is invited, and the reads
the decisions rest on (the weighted ranking, whether any bid is compliant, standstill)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User, holding
from commissioning.competitions import rules as crules
from commissioning.constants import CompetitionStatus, Criterion, GeographyLevel, SupplierStatus
from commissioning.models import (
    Bid,
    Clarification,
    Commissioner,
    Competition,
    Invitation,
    Qualification,
    Score,
    Supplier,
)
from commissioning.selectors import qualified_suppliers
from core.roles import Capability, Role
from organisation.models import Region

# --- Who acts for whom --------------------------------------------------------------------


def commissioner_for(user: Any) -> Commissioner | None:
    """The commissioner a user acts for: their organisation (PCC, local authority,
    police), or for a Regional Probation Director's team, their region."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.organisation_id and Role.COMMISSIONER in user.roles:
        return Commissioner.objects.filter(organisation_id=user.organisation_id).first()
    if Role.REGIONAL_DIRECTOR in user.roles and user.staff_id:
        return Commissioner.objects.filter(region_id=user.staff.pdu.region_id).first()
    return None


def supplier_for(user: Any) -> Supplier | None:
    """The appointed supplier a provider's user works for; a removed supplier takes no
    further part in competitions."""
    if getattr(user, "organisation_id", None) and user.has_capability(Capability.DELIVER_SERVICES):
        return Supplier.objects.filter(
            organisation_id=user.organisation_id, status=SupplierStatus.APPOINTED
        ).first()
    return None


def competitions_for(user: Any) -> QuerySet[Competition]:
    """Commercial staff see every competition; commissioners those they lead or part-fund;
    evaluators those they sit on; suppliers only those they were invited to."""
    if not getattr(user, "is_authenticated", False):
        return Competition.objects.none()
    if user.has_capability(Capability.MANAGE_FRAMEWORK):
        return Competition.objects.all()
    found = Q(evaluators=user)
    commissioner = commissioner_for(user)
    if commissioner is not None:
        found |= Q(lead=commissioner) | Q(partners__commissioner=commissioner)
    supplier = supplier_for(user)
    if supplier is not None:
        found |= Q(invitations__supplier=supplier, status__in=_OPEN_TO_SUPPLIERS)
    return Competition.objects.filter(found).distinct()


_OPEN_TO_SUPPLIERS = [s for s in CompetitionStatus.values if s != CompetitionStatus.DRAFT]


def get_competition_for(user: Any, competition_id: int) -> Competition:
    found = (
        competitions_for(user)
        .select_related("lead", "category", "region", "pcc_area")
        .filter(pk=competition_id)
    )
    competition = found.first()
    if competition is None:
        raise Http404
    return competition


def bids_visible_to(user: Any, competition: Competition) -> QuerySet[Bid]:
    """Sealed until the deadline: before it a supplier sees only its own bid and nobody
    else sees any; after it the panel and commercial staff see them all."""
    supplier = supplier_for(user)
    if supplier is not None:
        return competition.bids.filter(supplier=supplier)
    if competition.status in (CompetitionStatus.DRAFT, CompetitionStatus.PUBLISHED):
        return competition.bids.none()
    return competition.bids.select_related("supplier")


def invitations_visible_to(user: Any, competition: Competition) -> QuerySet[Invitation]:
    """Who was invited is the managers' business: a supplier must not learn which rivals
    it is competing against, so only those who may manage the competition see the list."""
    if not can_manage(user, competition):
        return competition.invitations.none()
    return competition.invitations.select_related("supplier")


def can_manage(user: Any, competition: Competition) -> bool:
    return user.has_capability(Capability.MANAGE_FRAMEWORK) or commissioner_for(user) == competition.lead


def invitees(competition: Competition) -> QuerySet[Supplier]:
    """Every appointed supplier qualified for the category where the service is bought:
    a region needs a qualification for the region; a PCC area, local authority or PDU is
    covered by one for its PCC area or its region; a national service needs every region."""
    category = competition.category_id
    level = competition.geography_level
    if level == GeographyLevel.NATIONAL:
        covering = (
            Qualification.objects.filter(category_id=category, region__isnull=False)
            .values("supplier")
            .annotate(regions=Count("region", distinct=True))
            .filter(regions=Region.objects.count())
            .values("supplier")
        )
        return Supplier.objects.filter(status=SupplierStatus.APPOINTED, pk__in=covering)
    if level == GeographyLevel.PDU and competition.pdu is not None:
        return qualified_suppliers(category, competition.pdu.region_id, competition.pdu.pcc_area_id)
    if level == GeographyLevel.REGION:
        return qualified_suppliers(category, competition.region_id, None)
    pcc = competition.pcc_area
    return qualified_suppliers(category, pcc.region_id if pcc else None, competition.pcc_area_id)


def ranking(competition: Competition) -> list[crules.Ranked]:
    marks = []
    for bid in competition.bids.prefetch_related("moderated"):
        moderated = {m.criterion: m.mark for m in bid.moderated.all()}
        marks.append(
            crules.BidMarks(
                bid.pk, bid.price, moderated.get(Criterion.QUALITY), moderated.get(Criterion.SOCIAL_VALUE)
            )
        )
    weights = (competition.quality_weight, competition.price_weight, competition.social_value_weight)
    return crules.rank(marks, budget=competition.budget, weights=weights)


def has_no_compliant_bid(competition: Competition) -> bool:
    if competition.status == CompetitionStatus.PUBLISHED:
        return timezone.now() >= competition.bid_deadline and not competition.bids.exists()
    if competition.status != CompetitionStatus.EVALUATION:
        return False
    # Every bid must be settled (moderated, or over budget) before "no compliant bid" is known.
    ranked = ranking(competition)
    return all(not r.compliant and r.reason != crules.NOT_MODERATED for r in ranked)


def standstill_over(competition: Competition, today: date) -> bool:
    return competition.standstill_ends_on is not None and today > competition.standstill_ends_on


# --- Reference reads for competition pages and the API --------------------------------------


def clarifications() -> QuerySet[Clarification]:
    """Every question asked; the caller then resolves its competition for the user's part
    in it (``get_competition_for``), so one from a competition they cannot see is a 404."""
    return Clarification.objects.all()


def bids() -> QuerySet[Bid]:
    """Every bid; the caller then resolves its competition for the user's part in it."""
    return Bid.objects.all()


def commissioners() -> QuerySet[Commissioner]:
    """Every commissioner (for framework managers)."""
    return Commissioner.objects.all()


def commissioners_listed() -> QuerySet[Commissioner]:
    """Every commissioner with its organisation and region, for the commissioners page."""
    return Commissioner.objects.select_related("organisation", "region")


def commissioners_with_agreements() -> QuerySet[Commissioner]:
    """Commissioners that have signed the user agreement, so may co-commission."""
    return Commissioner.objects.filter(agreement_signed_on__isnull=False)


def evaluator_panel() -> QuerySet[User]:
    """Active users one of whose roles lets them sit on an evaluation panel, by surname."""
    return (
        User.objects.filter(
            holding(Role.COMMISSIONER, Role.COMMERCIAL, Role.REGIONAL_DIRECTOR), is_active=True
        )
        .prefetch_related("role_grants")
        .order_by("last_name")
    )


def own_scores(user: Any, competition: Competition) -> QuerySet[Score]:
    """The scores this evaluator has given in this competition, with each bid's supplier."""
    return Score.objects.filter(bid__competition=competition, evaluator=user).select_related("bid__supplier")
