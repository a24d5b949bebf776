from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.forms import AuditSearchForm
from audit.models import AuditEvent
from audit.selectors import search_events
from core.access import requires
from core.roles import Capability
from core.selectors import none_of

PAGE_SIZE = 50


@requires(Capability.VIEW_AUDIT)
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = none_of(AuditEvent)
    if form.is_bound and form.is_valid():
        events = search_events(**form.cleaned_data)
    elif not form.is_bound:
        events = search_events()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )
