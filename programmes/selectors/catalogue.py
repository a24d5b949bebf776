"""Reads of the catalogue, the delivery suite, rooms and the panel's decisions.

The catalogue is national reference data (no personal data): everyone who may see the
organisation reads all of it. The delivery suite and rooms belong to a region: a user
sees their own region's (the region of their staff record's PDU), a user with national
scope any region's; missing and out of sight both answer 404. Writes name PDUs, offices
and rooms only inside the user's scope (``organisation.selectors``), so a coordinator in
one region cannot change another's suite.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from core.roles import Capability, ScopeLevel
from core.scoping import geography_of
from organisation.models import Office, Pdu, Region
from organisation.selectors import offices_in_scope, pdus_in_scope
from programmes.constants import ApprovalStatus, ProgrammeKind
from programmes.models import DeliveryOffer, PanelDecision, Programme, Room, SessionTemplate, SuiteReview
from programmes.rules import catalogue as catalogue_rules

# --- The catalogue ---------------------------------------------------------------------


def programmes(*, kind: str = "", need_area: str = "", status: str = "") -> QuerySet[Programme]:
    """The catalogue, optionally of one kind, need area or standing, by kind then name."""
    found = Programme.objects.select_related("region").prefetch_related("replaces", "replaced_by")
    if kind:
        found = found.filter(kind=kind)
    if need_area:
        found = found.filter(need_area=need_area)
    if status:
        found = found.filter(status=status)
    return found.order_by("kind", "name")


def get_programme(code: str) -> Programme:
    """One programme by its code (404 when there is none)."""
    found = programmes().filter(code=code).first()
    if found is None:
        raise Http404("No such programme")
    return found


def templates_of(programme: Programme) -> list[SessionTemplate]:
    """Every version of the programme's template, newest first (the version history)."""
    return list(SessionTemplate.objects.filter(programme=programme).order_by("-effective_from"))


def template_in_force(programme: Programme, day: date) -> SessionTemplate | None:
    """The template a group of this programme starting on ``day`` uses (None before the first)."""
    return catalogue_rules.template_in_force(templates_of(programme), day)


def accepts_new_referrals(programme: Programme, day: date) -> bool:
    """Whether a referral to the programme may be made on ``day`` (approved, available,
    not rolled down): the one test the referral and group slices ask."""
    return catalogue_rules.accepts_new_referrals(programme, day)


def programmes_accepting_referrals(day: date) -> QuerySet[Programme]:
    """The programmes a person may be referred to on ``day``: the same rule as a query."""
    return programmes().filter(
        Q(status=ApprovalStatus.APPROVED)
        | Q(status=ApprovalStatus.WITHDRAWN, available_from__isnull=False, withdrawn_on__isnull=False),
        Q(available_from__isnull=True) | Q(available_from__lte=day),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
    )


def decisions_of(programme: Programme) -> list[PanelDecision]:
    """The panel's decisions on a Structured Intervention, oldest first (its history)."""
    return list(
        PanelDecision.objects.filter(programme=programme)
        .select_related("decided_by")
        .order_by("decided_on", "id")
    )


def offers_of(programme: Programme) -> QuerySet[DeliveryOffer]:
    """Where the programme is, was or will be delivered."""
    return (
        DeliveryOffer.objects.filter(programme=programme)
        .select_related("programme", "pdu__region", "office")
        .order_by("pdu__region__name", "pdu__name", "-starts_on")
    )


def interventions_decidable_by(user: Any) -> QuerySet[Programme]:
    """Structured Interventions a user may act on: the national panel any; a region's
    proposers those of their own region (to withdraw one they submitted)."""
    found = programmes(kind=ProgrammeKind.STRUCTURED)
    if user.has_capability(Capability.APPROVE_INTERVENTIONS):
        return found
    return found.filter(region__in=regions_visible_to(user))


def get_intervention_for(user: Any, code: str) -> Programme:
    found = interventions_decidable_by(user).filter(code=code).first()
    if found is None:
        raise Http404("No such intervention")
    return found


# --- Regions and the delivery suite -----------------------------------------------------


def home_region_id(user: Any) -> str | None:
    """The region of the user's staff record, if they have one."""
    staff = getattr(user, "staff", None)
    return staff.pdu.region_id if staff is not None else None


def regions_visible_to(user: Any) -> QuerySet[Region]:
    """The regions whose suite and rooms the user sees: any with national scope,
    otherwise their own region only (none without a staff record)."""
    if geography_of(user).level is ScopeLevel.NATIONAL:
        return Region.objects.order_by("name")
    region_id = home_region_id(user)
    return Region.objects.filter(pk=region_id).order_by("name") if region_id else Region.objects.none()


def get_region_for(user: Any, region_id: str) -> Region:
    found = regions_visible_to(user).filter(pk=region_id.upper()).first()
    if found is None:
        raise Http404("No such region")
    return found


def region_pdus(region: Region) -> QuerySet[Pdu]:
    return Pdu.objects.active().filter(region=region).order_by("name")


def offers_in_region(region: Region) -> QuerySet[DeliveryOffer]:
    """Every offer in the region's PDUs, current and past."""
    return (
        DeliveryOffer.objects.filter(pdu__region=region)
        .select_related("programme", "pdu", "office")
        .order_by("pdu__name", "programme__name", "-starts_on")
    )


def current_offers_in_region(region: Region, day: date) -> QuerySet[DeliveryOffer]:
    return offers_in_region(region).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def suite_gaps(region: Region, day: date) -> list[catalogue_rules.SuiteGap]:
    """The gaps in the region's suite on ``day``, from the pure rule."""
    offers = [
        catalogue_rules.SuiteOffer(o.programme.code, o.pdu.name, o.starts_on, o.ends_on)
        for o in offers_in_region(region)
    ]
    return catalogue_rules.suite_gaps(suite_programmes(), offers, day)


def suite_programmes() -> dict[str, catalogue_rules.SuiteProgramme]:
    """Every programme as the suite rule sees it, by code."""
    return {
        p.code: catalogue_rules.SuiteProgramme(
            code=p.code,
            name=p.name,
            kind=p.kind,
            need_area=p.need_area,
            status=p.status,
            available_from=p.available_from,
            withdrawn_on=p.withdrawn_on,
            replaces=frozenset(r.code for r in p.replaces.all()),
        )
        for p in Programme.objects.prefetch_related("replaces")
    }


def reviews_of(region: Region) -> QuerySet[SuiteReview]:
    return (
        SuiteReview.objects.filter(region=region)
        .select_related("reviewed_by")
        .order_by("-reviewed_on", "-id")
    )


def offers_manageable_by(user: Any) -> QuerySet[DeliveryOffer]:
    """Offers in PDUs within the user's scope (the ones they may end)."""
    return DeliveryOffer.objects.filter(pdu__in=pdus_in_scope(user)).select_related("programme", "pdu")


def get_offer_for(user: Any, offer_id: int) -> DeliveryOffer:
    found = offers_manageable_by(user).filter(pk=offer_id).first()
    if found is None:
        raise Http404("No such offer")
    return found


def offerable_programmes(day: date) -> QuerySet[Programme]:
    """Programmes a PDU may add to its suite: those taking referrals on the day or later
    (approved and not withdrawn by then)."""
    return programmes(status=ApprovalStatus.APPROVED).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


def pdus_for_offers(user: Any) -> QuerySet[Pdu]:
    return pdus_in_scope(user).order_by("name")


def offices_for_offers(user: Any) -> QuerySet[Office]:
    return offices_in_scope(user).select_related("pdu").order_by("pdu__name", "name")


# --- Rooms -------------------------------------------------------------------------------


def rooms_visible_to(user: Any, *, include_retired: bool = False) -> QuerySet[Room]:
    """Rooms at offices in the regions the user sees."""
    found = Room.objects.filter(office__pdu__region__in=regions_visible_to(user)).select_related(
        "office__pdu__region"
    )
    if not include_retired:
        found = found.filter(retired_at__isnull=True)
    return found.order_by("office__pdu__name", "office__name", "name")


def rooms_manageable_by(user: Any) -> QuerySet[Room]:
    """Rooms at offices within the user's scope (the ones they may change)."""
    return Room.objects.filter(office__in=offices_in_scope(user)).select_related("office__pdu")


def get_room_for(user: Any, room_id: int) -> Room:
    found = rooms_manageable_by(user).filter(pk=room_id).first()
    if found is None:
        raise Http404("No such room")
    return found


def get_visible_room_for(user: Any, room_id: int) -> Room:
    found = rooms_visible_to(user, include_retired=True).filter(pk=room_id).first()
    if found is None:
        raise Http404("No such room")
    return found


def offices_for_rooms(user: Any) -> QuerySet[Office]:
    return offices_in_scope(user).select_related("pdu").order_by("pdu__name", "name")


def visible_offices(user: Any) -> QuerySet[Office]:
    """Offices in the regions the user sees (the rooms list's filter)."""
    return (
        Office.objects.active()
        .filter(pdu__region__in=regions_visible_to(user))
        .select_related("pdu")
        .order_by("pdu__name", "name")
    )


def visible_pdus(user: Any) -> QuerySet[Pdu]:
    return Pdu.objects.active().filter(region__in=regions_visible_to(user)).order_by("name")
