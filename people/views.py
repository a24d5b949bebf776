from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Capability
from core.access import requires
from people import selectors, services

PAGE_SIZE = 50


@requires(Capability.VIEW_CASES)
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.search_people(request.user, query).order_by("last_name", "first_name", "crn")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/list.html",
        {
            "page_obj": page,
            "query": query,
            "query_string": f"q={query}" if query else "",
        },
    )


@requires(Capability.VIEW_CASES)
def person_detail(request: HttpRequest, crn: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, crn)
    services.record_person_viewed(acting_user=request.user, person=person)
    return render(request, "people/detail.html", {"person": person})
