"""Scoped reads of people on probation: the only way pages and the API reach them.

``people_visible_to`` combines the role's capability, the user's geography
(``accounts.scoping``) and the case's limited-access lists. A person outside it
does not exist as far as the caller is concerned: ``get_person_for`` raises
``Http404`` for missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.roles import Capability
from accounts.scoping import geography_filter
from people.constants import AccessListKind
from people.models import CaseAccessEntry, Person


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


def search_people(user: Any, query: str) -> QuerySet[Person]:
    """CRN exact match, or name parts; always within the user's scope."""
    people = people_visible_to(user).select_related("pdu", "team", "practitioner")
    query = query.strip()
    if not query:
        return people
    if len(query) == 7 and query[0].isalpha() and query[1:].isdigit():
        return people.filter(crn=query.upper())
    for part in query.split():
        people = people.filter(Q(first_name__istartswith=part) | Q(last_name__istartswith=part))
    return people
