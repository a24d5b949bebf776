from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api import PageNumberPagination, api_requires, api_user
from core.roles import Capability
from organisation import selectors, services
from organisation.constants import Grade
from organisation.models import Office, Pdu, Region, Staff, Team

router = Router(tags=["Organisation"])


class RegionOut(Schema):
    id: str
    provider_code: str
    name: str


class PduOut(Schema):
    id: int
    name: str
    region_id: str
    retired_at: datetime | None
    version: int


class PduIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    region_id: str = Field(min_length=1, max_length=1)


class PduRenameIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    version: int


class VersionIn(Schema):
    version: int


class OfficeOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    pdu_id: int
    is_reporting_office: bool
    is_delivery_office: bool
    retired_at: datetime | None
    version: int


class OfficeIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    address: str = Field(min_length=1, max_length=300)
    postcode: str = Field(min_length=5, max_length=8)
    pdu_id: int
    is_reporting_office: bool = True
    is_delivery_office: bool = False


class OfficeUpdateIn(OfficeIn):
    version: int


@router.get("/regions", response=list[RegionOut], summary="The 12 probation regions")
@api_requires(Capability.VIEW_ORGANISATION)
def list_regions(request: HttpRequest) -> list[Region]:
    return list(selectors.regions())


@router.get("/pdus", response=list[PduOut], summary="Probation Delivery Units")
@api_requires(Capability.VIEW_ORGANISATION)
def list_pdus(request: HttpRequest, region_id: str | None = None, include_retired: bool = False) -> list[Pdu]:
    return list(selectors.pdus(include_retired=include_retired, region_id=region_id))


@router.get("/pdus/{pdu_id}", response=PduOut)
@api_requires(Capability.VIEW_ORGANISATION)
def get_pdu(request: HttpRequest, pdu_id: int) -> Pdu:
    return get_object_or_404(selectors.pdus(include_retired=True), pk=pdu_id)


@router.post("/pdus", response={201: PduOut}, summary="Add a PDU")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def create_pdu(request: HttpRequest, payload: PduIn) -> tuple[int, Pdu]:
    region = get_object_or_404(selectors.regions(), pk=payload.region_id.upper())
    return 201, services.create_pdu(acting_user=api_user(request), name=payload.name, region=region)


@router.patch("/pdus/{pdu_id}", response=PduOut, summary="Rename a PDU")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def rename_pdu(request: HttpRequest, pdu_id: int, payload: PduRenameIn) -> Pdu:
    get_object_or_404(selectors.pdus(include_retired=True), pk=pdu_id)
    return services.rename_pdu(
        acting_user=api_user(request), pdu_id=pdu_id, name=payload.name, expected_version=payload.version
    )


@router.post("/pdus/{pdu_id}/retire", response=PduOut, summary="Retire a PDU (soft delete)")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def retire_pdu(request: HttpRequest, pdu_id: int, payload: VersionIn) -> Pdu:
    get_object_or_404(selectors.pdus(include_retired=True), pk=pdu_id)
    return services.retire_pdu(acting_user=api_user(request), pk=pdu_id, expected_version=payload.version)


@router.post("/pdus/{pdu_id}/reinstate", response=PduOut, summary="Bring a retired PDU back into use")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def reinstate_pdu(request: HttpRequest, pdu_id: int, payload: VersionIn) -> Pdu:
    get_object_or_404(selectors.pdus(include_retired=True), pk=pdu_id)
    return services.reinstate_pdu(acting_user=api_user(request), pk=pdu_id, expected_version=payload.version)


@router.get("/offices", response=list[OfficeOut], summary="Offices and reporting centres")
@api_requires(Capability.VIEW_ORGANISATION)
def list_offices(
    request: HttpRequest, pdu_id: int | None = None, include_retired: bool = False
) -> list[Office]:
    return list(selectors.offices(include_retired=include_retired, pdu_id=pdu_id))


@router.get("/offices/{office_id}", response=OfficeOut)
@api_requires(Capability.VIEW_ORGANISATION)
def get_office(request: HttpRequest, office_id: int) -> Office:
    return get_object_or_404(selectors.offices(include_retired=True), pk=office_id)


def _office_fields(payload: OfficeIn) -> dict[str, object]:
    fields = payload.dict(exclude={"version"})
    fields["pdu"] = get_object_or_404(selectors.pdus(include_retired=True), pk=fields.pop("pdu_id"))
    return fields


@router.post("/offices", response={201: OfficeOut}, summary="Add an office")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def create_office(request: HttpRequest, payload: OfficeIn) -> tuple[int, Office]:
    return 201, services.create_office(acting_user=api_user(request), **_office_fields(payload))


@router.put("/offices/{office_id}", response=OfficeOut, summary="Change an office")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def update_office(request: HttpRequest, office_id: int, payload: OfficeUpdateIn) -> Office:
    get_object_or_404(selectors.offices(include_retired=True), pk=office_id)
    return services.update_office(
        acting_user=api_user(request),
        office_id=office_id,
        expected_version=payload.version,
        **_office_fields(payload),
    )


@router.post("/offices/{office_id}/retire", response=OfficeOut, summary="Retire an office (soft delete)")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def retire_office(request: HttpRequest, office_id: int, payload: VersionIn) -> Office:
    get_object_or_404(selectors.offices(include_retired=True), pk=office_id)
    return services.retire_office(
        acting_user=api_user(request), pk=office_id, expected_version=payload.version
    )


@router.post(
    "/offices/{office_id}/reinstate", response=OfficeOut, summary="Bring a retired office back into use"
)
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def reinstate_office(request: HttpRequest, office_id: int, payload: VersionIn) -> Office:
    get_object_or_404(selectors.offices(include_retired=True), pk=office_id)
    return services.reinstate_office(
        acting_user=api_user(request), pk=office_id, expected_version=payload.version
    )


class TeamOut(Schema):
    id: int
    code: str
    name: str
    pdu_id: int
    version: int


class TeamIn(Schema):
    code: str = Field(min_length=1, max_length=12)
    name: str = Field(min_length=1, max_length=120)
    pdu_id: int


class StaffOut(Schema):
    id: int
    staff_code: str
    forename: str
    surname: str
    grade: Grade
    contracted_hours: Decimal
    pdu_id: int
    team_id: int | None
    version: int


class StaffChangeIn(Schema):
    forename: str = Field(min_length=1, max_length=80)
    surname: str = Field(min_length=1, max_length=80)
    grade: Grade
    contracted_hours: Decimal = Field(ge=1, le=48, decimal_places=1)
    team_id: int | None = None


class StaffUpdateIn(StaffChangeIn):
    version: int


class StaffIn(StaffChangeIn):
    staff_code: str = Field(min_length=1, max_length=12)
    pdu_id: int


@router.get("/teams", response=list[TeamOut], summary="Teams in use")
@api_requires(Capability.VIEW_ORGANISATION)
def list_teams(request: HttpRequest, pdu_id: int | None = None) -> list[Team]:
    return list(selectors.teams(pdu_id=pdu_id))


@router.post("/teams", response={201: TeamOut}, summary="Add a team to a PDU")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def create_team(request: HttpRequest, payload: TeamIn) -> tuple[int, Team]:
    pdu = get_object_or_404(selectors.pdus(include_retired=True), pk=payload.pdu_id)
    return 201, services.create_team(
        acting_user=api_user(request), code=payload.code, name=payload.name, pdu=pdu
    )


@router.get("/staff", response=list[StaffOut], summary="Staff, by PDU or team")
@api_requires(Capability.VIEW_ORGANISATION)
@paginate(PageNumberPagination, page_size=100)
def list_staff(
    request: HttpRequest, pdu_id: int | None = None, team_id: int | None = None
) -> QuerySet[Staff]:
    return selectors.current_staff(pdu_id=pdu_id, team_id=team_id)


@router.get("/staff/{staff_id}", response=StaffOut)
@api_requires(Capability.VIEW_ORGANISATION)
def get_staff(request: HttpRequest, staff_id: int) -> Staff:
    return get_object_or_404(selectors.every_staff_record(), pk=staff_id)


def _team_for(team_id: int | None) -> Team | None:
    return get_object_or_404(selectors.teams(), pk=team_id) if team_id is not None else None


@router.post("/staff", response={201: StaffOut}, summary="Add a member of staff")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def create_staff(request: HttpRequest, payload: StaffIn) -> tuple[int, Staff]:
    pdu = get_object_or_404(selectors.pdus(include_retired=True), pk=payload.pdu_id)
    fields = payload.dict(exclude={"pdu_id", "team_id"}) | {"team": _team_for(payload.team_id), "pdu": pdu}
    return 201, services.create_staff(acting_user=api_user(request), **fields)


@router.put("/staff/{staff_id}", response=StaffOut, summary="Change a member of staff's grade, hours or team")
@api_requires(Capability.MANAGE_REFERENCE_DATA)
def update_staff(request: HttpRequest, staff_id: int, payload: StaffUpdateIn) -> Staff:
    get_object_or_404(selectors.every_staff_record(), pk=staff_id)
    fields = payload.dict(exclude={"team_id", "version"}) | {"team": _team_for(payload.team_id)}
    return services.update_staff(
        acting_user=api_user(request), staff_id=staff_id, expected_version=payload.version, **fields
    )
