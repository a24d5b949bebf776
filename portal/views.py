from __future__ import annotations

import logging
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from core.access import public, signed_in
from core.roles import (
    CAPABILITY_DESCRIPTIONS,
    ROLE_DESCRIPTIONS,
    SCOPE_LABELS,
    Capability,
    Role,
    ScopeLevel,
)
from core.scoping import geography_of
from people.selectors import people_visible_to
from portal.navigation import nav_items_for

logger = logging.getLogger(__name__)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Each role's landing page: what they can do here and how far they see."""

    user: Any = request.user
    role = user.role_enum
    geography = geography_of(user)
    context: dict[str, Any] = {
        "role_description": ROLE_DESCRIPTIONS.get(role, "") if role else "",
        "scope_label": SCOPE_LABELS[geography.level],
        "capabilities": [CAPABILITY_DESCRIPTIONS[c] for c in Capability if user.has_capability(c)],
        "sections": [item for item in nav_items_for(user, request.path) if item["label"] != "Home"],
        "staff": user.staff,
        "organisation": user.organisation,
    }
    if user.has_capability(Capability.VIEW_CASES) and geography.level is not ScopeLevel.NONE:
        people = people_visible_to(user)
        context["cases_in_scope"] = people.count()
        if user.staff_id:
            context["own_caseload"] = people.filter(practitioner_id=user.staff_id).count()
        if role in {Role.SENIOR_PROBATION_OFFICER, Role.REGIONAL_DIRECTOR}:
            context["unallocated"] = people.filter(practitioner__isnull=True).count()
    return render(request, "portal/home.html", context)


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check failed")
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
