from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from audit import services as audit
from core.api import PageNumberPagination, api_requires, api_user
from core.roles import Capability
from people import selectors, services
from people.caseload import CaseloadFilter, caseload
from people.constants import Disability, Ethnicity, GenderIdentity, Religion, Sex, SexualOrientation
from people.models import Person
from people.rules import normalise_pnc

router = Router(tags=["People on probation"])


class PersonOut(Schema):
    crn: str
    first_name: str
    middle_names: str
    last_name: str
    date_of_birth: date
    pnc_number: str
    sex: str
    pdu_id: int
    team_id: int | None
    practitioner_id: int | None
    is_restricted: bool
    tier: str
    tier_provisional: bool
    legacy_tier: str
    rosh: str
    version: int


class CaseloadOut(PersonOut):
    next_appointment: datetime | None
    overdue: int = Field(description="Past appointments without an outcome")
    action_needed: int = Field(description="Failures to comply still awaiting a warning or breach decision")


class CaseloadQuery(Schema):
    q: str = Field("", max_length=100, description="CRN, PNC number, date of birth (dd/mm/yyyy) or name")
    mine: bool = False
    tier: str = ""
    rosh: str = ""
    sort: str = Field("name", pattern="^(name|tier|rosh|next|overdue|action)$")
    desc: bool = False
    action: bool = Field(False, description="Only people with a failure awaiting a warning or breach")


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=80)
    middle_names: str = Field("", max_length=120)
    last_name: str = Field(min_length=1, max_length=80)
    date_of_birth: date
    pnc_number: str = Field("", max_length=13)
    sex: Sex
    gender_identity: GenderIdentity = GenderIdentity.NOT_RECORDED
    ethnicity: Ethnicity = Ethnicity.NOT_RECORDED
    disability: Disability = Disability.NOT_RECORDED
    religion: Religion = Religion.NOT_RECORDED
    sexual_orientation: SexualOrientation = SexualOrientation.NOT_RECORDED
    phone: str = Field("", max_length=20)
    confirm_not_duplicate: bool = Field(
        False, description="Set after checking the likely duplicates a 409 listed"
    )


@router.get("", response=list[CaseloadOut], summary="People within your scope: caseload, search and filters")
@api_requires(Capability.VIEW_CASES)
@paginate(PageNumberPagination, page_size=50)
def list_people(request: HttpRequest, filters: Query[CaseloadQuery]) -> QuerySet[Person]:
    found = caseload(
        api_user(request),
        CaseloadFilter(
            query=filters.q,
            mine_only=filters.mine,
            tier=filters.tier,
            rosh=filters.rosh,
            sort=filters.sort,
            descending=filters.desc,
            only=frozenset({"action"} if filters.action else ()),
        ),
    )
    audit.record_read("caseload", actor=api_user(request), **audit.listed(found), search=filters.q or None)
    return found


@router.post(
    "", response={201: PersonOut}, summary="Add a person on probation (warns about likely duplicates)"
)
@api_requires(Capability.MANAGE_CASES)
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    user = api_user(request)
    if user.staff_id is None:
        raise HttpError(422, "Only staff with a PDU can add people")
    if payload.date_of_birth >= date.today():
        raise HttpError(422, "date_of_birth: the date of birth must be in the past")
    pnc = ""
    if payload.pnc_number:
        try:
            pnc = normalise_pnc(payload.pnc_number)
        except ValueError as error:
            raise HttpError(422, f"pnc_number: {error}") from error
    duplicates = selectors.likely_duplicates(
        first_name=payload.first_name,
        last_name=payload.last_name,
        date_of_birth=payload.date_of_birth,
        pnc_number=pnc,
    )
    if duplicates.exists() and not payload.confirm_not_duplicate:
        crns = ", ".join(duplicates.values_list("crn", flat=True)[:10])
        audit.record_read("likely duplicates", actor=user, people=crns.split(", "))
        raise HttpError(
            409, f"Likely duplicates: {crns}. Check them, then resend with confirm_not_duplicate true."
        )
    fields = payload.dict(exclude={"confirm_not_duplicate"}) | {"pnc_number": pnc}
    staff = user.staff
    return 201, services.create_person(acting_user=user, pdu=staff.pdu, team=staff.team, **fields)


@router.get("/{crn}", response=PersonOut, summary="One person's record (the view is audited)")
@api_requires(Capability.VIEW_CASES)
def get_person(request: HttpRequest, crn: str) -> Person:
    person = selectors.get_person_for(api_user(request), crn)
    audit.record_read("person record", actor=api_user(request), person=person)
    return person


class AliasSchema(Schema):
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    date_of_birth: date | None = None


class AddressIn(Schema):
    line_1: str = Field(min_length=1, max_length=120)
    line_2: str = Field("", max_length=120)
    town: str = Field(min_length=1, max_length=80)
    postcode: str = Field(min_length=5, max_length=8)
    moved_on: date
    version: int = Field(
        description="The person's version (from GET /people/{crn}) when the move was entered"
    )


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    is_main: bool
    start_date: date
    end_date: date | None


@router.get("/{crn}/aliases", response=list[AliasSchema])
@api_requires(Capability.VIEW_CASES)
def list_aliases(request: HttpRequest, crn: str) -> list[Any]:
    person = selectors.get_person_for(api_user(request), crn)
    audit.record_read("aliases", actor=api_user(request), person=person)
    return list(person.aliases.all())


@router.post("/{crn}/aliases", response={201: AliasSchema})
@api_requires(Capability.MANAGE_CASES)
def add_alias(request: HttpRequest, crn: str, payload: AliasSchema) -> tuple[int, Any]:
    person = selectors.get_person_for(api_user(request), crn)
    return 201, services.add_alias(acting_user=api_user(request), person=person, **payload.dict())


@router.get("/{crn}/addresses", response=list[AddressOut], summary="Address history, newest first")
@api_requires(Capability.VIEW_CASES)
def list_addresses(request: HttpRequest, crn: str) -> list[Any]:
    person = selectors.get_person_for(api_user(request), crn)
    audit.record_read("addresses", actor=api_user(request), person=person)
    return list(person.addresses.all())


@router.post("/{crn}/addresses", response={201: AddressOut}, summary="Record a move to a new main address")
@api_requires(Capability.MANAGE_CASES)
def change_address(request: HttpRequest, crn: str, payload: AddressIn) -> tuple[int, Any]:
    person = selectors.get_person_for(api_user(request), crn)
    fields = payload.dict(exclude={"version"})
    return 201, services.change_address(
        acting_user=api_user(request), person=person, expected_version=payload.version, **fields
    )
