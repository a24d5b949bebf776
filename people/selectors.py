"""Scoped reads of people on probation: the only way pages and the API reach them.

``people_visible_to`` combines the role's capability, the user's geography
(``core.scoping``) and the case's limited-access lists. A person outside it
does not exist as far as the caller is concerned: ``get_person_for`` raises
``Http404`` for missing and forbidden alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.roles import Capability
from core.scoping import geography_filter
from people.constants import AccessListKind
from people.models import Alias, CaseAccessEntry, Person
from people.rules import is_valid_crn, normalise_pnc, soundex


def people_visible_to(user: Any) -> QuerySet[Person]:
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.VIEW_CASES):
        return Person.objects.none()
    entries = CaseAccessEntry.objects.filter(person=OuterRef("pk"), user=user)
    return (
        Person.objects.filter(geography_filter(user))
        .exclude(Exists(entries.filter(kind=AccessListKind.EXCLUDED)))
        .filter(Q(is_restricted=False) | Exists(entries.filter(kind=AccessListKind.PERMITTED)))
    )


def get_person_for(user: Any, crn: str) -> Person:
    person = (
        people_visible_to(user)
        .select_related("pdu__region", "team", "practitioner")
        .filter(crn=crn.upper())
        .first()
    )
    if person is None:
        raise Http404("No such person")
    return person


def _as_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def search_people(user: Any, query: str) -> QuerySet[Person]:
    """Search within the user's scope by CRN, PNC number, date of birth, or name.

    Names match on the start of each word given (partial), on how they sound
    (approximate: Soundex), so "Jon Smyth" finds John Smith, or on an alias.
    """
    people = people_visible_to(user).select_related("pdu", "team", "practitioner")
    query = " ".join(query.split())
    if not query:
        return people
    if is_valid_crn(query.upper()):
        return people.filter(crn=query.upper())
    try:
        return people.filter(pnc_number=normalise_pnc(query))
    except ValueError:
        pass
    day = _as_date(query)
    if day is not None:
        return people.filter(date_of_birth=day)
    for part in query.split():
        key = soundex(part)
        matches = Q(first_name__istartswith=part) | Q(last_name__istartswith=part)
        if key:
            matches |= Q(first_name_key=key) | Q(last_name_key=key)
        alias = Alias.objects.filter(person=OuterRef("pk")).filter(
            Q(first_name__istartswith=part) | Q(last_name__istartswith=part)
        )
        people = people.filter(matches | Exists(alias))
    return people


def likely_duplicates(
    *, first_name: str, last_name: str, date_of_birth: date, pnc_number: str
) -> QuerySet[Person]:
    """People who are probably the same person: same PNC, or same name and date of birth.

    Checked across the whole country (not only the user's scope) because a duplicate
    record anywhere splits a person's history; only the CRN is shown to the user.
    """
    same_name = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    match = same_name | Q(pnc_number=pnc_number) if pnc_number else same_name
    return Person.objects.filter(match).order_by("crn")
