from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from accounts.roles import Capability
from core.api import api_requires, api_user
from people import selectors, services
from people.models import Person

router = Router(tags=["People on probation"])


class PersonOut(Schema):
    crn: str
    first_name: str
    last_name: str
    date_of_birth: date
    pdu_id: int
    team_id: int | None
    practitioner_id: int | None
    is_restricted: bool


@router.get("", response=list[PersonOut], summary="People on probation within your scope")
@api_requires(Capability.VIEW_CASES)
@paginate(PageNumberPagination, page_size=50)
def list_people(request: HttpRequest, q: str = "") -> QuerySet[Person]:
    return selectors.search_people(api_user(request), q[:100]).order_by("last_name", "first_name", "crn")


@router.get("/{crn}", response=PersonOut, summary="One person's record (the view is audited)")
@api_requires(Capability.VIEW_CASES)
def get_person(request: HttpRequest, crn: str) -> Person:
    person = selectors.get_person_for(api_user(request), crn)
    services.record_person_viewed(acting_user=api_user(request), person=person)
    return person
