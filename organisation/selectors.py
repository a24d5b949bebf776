"""Reads of geography reference data. Reference data is not personal data, so
everyone with VIEW_ORGANISATION sees all of it; case scoping lives elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import geography_filter
from organisation.models import ExternalOrganisation, Office, PccArea, Pdu, Region, Staff, Team


def regions_with_counts() -> QuerySet[Region]:
    return Region.objects.annotate(
        pdu_count=Count("pdus", filter=Q(pdus__retired_at__isnull=True), distinct=True),
        pcc_count=Count("pcc_areas", distinct=True),
    ).order_by("name")


def region_detail(region_id: str) -> Region:
    return get_object_or_404(Region.objects.prefetch_related("pcc_areas"), pk=region_id.upper())


def pdus_in_region(region: Region) -> QuerySet[Pdu]:
    return region.pdus.annotate(
        office_count=Count("offices", filter=Q(offices__retired_at__isnull=True), distinct=True),
        team_count=Count("teams", filter=Q(teams__retired_at__isnull=True), distinct=True),
    ).order_by("retired_at", "name")


def pdu_detail(pdu_id: int) -> Pdu:
    return get_object_or_404(Pdu.objects.select_related("region"), pk=pdu_id)


def office_detail(office_id: int) -> Office:
    return get_object_or_404(Office.objects.select_related("pdu__region"), pk=office_id)


def active_pdus() -> QuerySet[Pdu]:
    return Pdu.objects.active().select_related("region").order_by("region__name", "name")


def team_detail(team_id: int) -> Team:
    return get_object_or_404(Team.objects.select_related("pdu__region"), pk=team_id)


def team_staff(team: Team) -> QuerySet[Staff]:
    return team.staff.filter(left_at__isnull=True).order_by("surname", "forename")


def teams_in_pdu(pdu: Pdu) -> QuerySet[Team]:
    return (
        pdu.teams.active()
        .annotate(staff_count=Count("staff", filter=Q(staff__left_at__isnull=True), distinct=True))
        .order_by("name")
    )


def staff_detail(staff_id: int) -> Staff:
    return get_object_or_404(Staff.objects.select_related("pdu__region", "team"), pk=staff_id)


# --- Scoped choices for writes ---------------------------------------------------------
# Reading reference data is open to everyone with VIEW_ORGANISATION, but a write that
# *names* a PDU, office, team or member of staff (booking an appointment, setting up a
# project, choosing supervisors) may only name one inside the user's geography. Forms
# use these as ModelChoiceField querysets (out of scope is "not a valid choice") and API
# handlers resolve ids through them with get_object_or_404 (out of scope answers 404,
# exactly like a read). A team-scoped user may name anything in their team's PDU:
# offices and colleagues are shared across a PDU's teams.


def pdus_in_scope(user: Any) -> QuerySet[Pdu]:
    """PDUs in use within the user's geography."""
    return (
        Pdu.objects.active()
        .filter(geography_filter(user, region_path="region_id", pdu_path="pk", team_path="teams__id"))
        .distinct()
    )


def offices_in_scope(user: Any) -> QuerySet[Office]:
    """Offices in use in the PDUs within the user's geography."""
    return Office.objects.active().filter(pdu__in=pdus_in_scope(user))


def teams_in_scope(user: Any) -> QuerySet[Team]:
    """Teams in use within the user's geography (a team-scoped user: their own team)."""
    return Team.objects.active().filter(
        geography_filter(user, region_path="pdu__region_id", pdu_path="pdu_id", team_path="pk")
    )


def staff_in_scope(user: Any) -> QuerySet[Staff]:
    """Current staff of the PDUs within the user's geography."""
    return Staff.objects.filter(left_at__isnull=True, pdu__in=pdus_in_scope(user))


# --- National reference data ------------------------------------------------------------
# Open to everyone who may see the organisation; not scoped to a geography.


def regions() -> QuerySet[Region]:
    """The probation regions, by name."""
    return Region.objects.order_by("name")


def pdus(*, include_retired: bool = False, region_id: str | None = None) -> QuerySet[Pdu]:
    """PDUs (in use unless include_retired), optionally of one region, by name."""
    found = Pdu.objects.all() if include_retired else Pdu.objects.active()
    if region_id:
        found = found.filter(region_id=region_id.upper())
    return found.order_by("name")


def offices(*, include_retired: bool = False, pdu_id: int | None = None) -> QuerySet[Office]:
    """Offices (in use unless include_retired), optionally of one PDU, by name."""
    found = Office.objects.all() if include_retired else Office.objects.active()
    if pdu_id is not None:
        found = found.filter(pdu_id=pdu_id)
    return found.order_by("name")


def teams(*, pdu_id: int | None = None) -> QuerySet[Team]:
    """Teams in use, optionally of one PDU, by name."""
    found = Team.objects.active()
    if pdu_id is not None:
        found = found.filter(pdu_id=pdu_id)
    return found.order_by("name")


def current_staff(*, pdu_id: int | None = None, team_id: int | None = None) -> QuerySet[Staff]:
    """Staff who have not left, optionally of one PDU or team, by surname."""
    found = Staff.objects.filter(left_at__isnull=True)
    if pdu_id is not None:
        found = found.filter(pdu_id=pdu_id)
    if team_id is not None:
        found = found.filter(team_id=team_id)
    return found.order_by("surname", "forename")


def every_staff_record() -> QuerySet[Staff]:
    """Every staff record, including those who have left (their history still names them)."""
    return Staff.objects.all()


def staff_with_code(code: str) -> Staff | None:
    """The staff record with this staff code, if any (codes are national and unique)."""
    return Staff.objects.filter(staff_code=code).first()


def external_organisations() -> QuerySet[ExternalOrganisation]:
    """Providers, PCCs, local authorities and police, by name."""
    return ExternalOrganisation.objects.order_by("name")


def team_in_use_with_code(code: str) -> Team | None:
    """The team in use with this code, anywhere: a transfer may name a team in any PDU."""
    return Team.objects.active().filter(code=code).first()


def team_in_use_with_id(team_id: int) -> Team | None:
    """The team in use with this id, anywhere, with its PDU."""
    return Team.objects.active().filter(pk=team_id).select_related("pdu").first()


def pcc_areas() -> QuerySet[PccArea]:
    """The Police and Crime Commissioner areas, by name."""
    return PccArea.objects.all()


def regions_with_ids(ids: list[str]) -> QuerySet[Region]:
    """The regions among these ids (unknown ids are left out)."""
    return Region.objects.filter(pk__in=ids)


def pcc_areas_with_ids(ids: list[str]) -> QuerySet[PccArea]:
    """The PCC areas among these ids (unknown ids are left out)."""
    return PccArea.objects.filter(pk__in=ids)
