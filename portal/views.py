from __future__ import annotations

import logging
import sys
from typing import Any

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.http import require_http_methods

from core import jobs
from core.access import public, signed_in
from core.exceptions import TransitionNotAllowed
from core.outages import response_for_exception
from core.roles import (
    CAPABILITY_DESCRIPTIONS,
    ROLE_CAPABILITIES,
    ROLE_DESCRIPTIONS,
    ROLE_LABELS,
    SCOPE_LABELS,
    Capability,
    Role,
    ScopeLevel,
    in_table_order,
)
from core.scoping import geography_of
from portal import selectors
from portal import services as portal_services
from portal.navigation import nav_items_for, nav_items_for_capabilities

logger = logging.getLogger(__name__)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """The user's landing page: each of their roles' work, what their roles together let
    them do here, and how far they see. Someone with two jobs sees both on one page."""

    user: Any = request.user
    roles = in_table_order(user.roles)
    geography = geography_of(user)
    context: dict[str, Any] = {
        "roles": [
            {
                "value": role.value,
                "label": ROLE_LABELS[role],
                "description": ROLE_DESCRIPTIONS[role],
                "sections": _work_of(role, request.path) if user.is_active else [],
            }
            for role in roles
        ],
        "scope_label": SCOPE_LABELS[geography.level],
        "capabilities": [CAPABILITY_DESCRIPTIONS[c] for c in Capability if user.has_capability(c)],
        "sections": [item for item in nav_items_for(user, request.path) if item["label"] != "Home"],
        "staff": user.staff,
        "organisation": user.organisation,
    }
    if user.has_capability(Capability.VIEW_CASES) and geography.level is not ScopeLevel.NONE:
        counts = selectors.case_counts_for(user)
        context["cases_in_scope"] = counts.in_scope
        if counts.own_caseload is not None:
            context["own_caseload"] = counts.own_caseload
        if counts.unallocated is not None:
            context["unallocated"] = counts.unallocated
    return render(request, "portal/home.html", context)


def _work_of(role: Role, path: str) -> list[dict[str, Any]]:
    """The pages one role's capabilities open, without Home: that role's share of the work."""
    items = nav_items_for_capabilities(ROLE_CAPABILITIES[role], path)
    return [item for item in items if item["label"] != "Home"]


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
    """The last answer for an exception no view handled. A database outage or refusal
    outside any view (loading the user, saving the session) is a 503 (ADR 22); Django
    calls this handler inside its ``except`` block, so the exception is at hand."""
    outage = response_for_exception(request, sys.exc_info()[1])
    if outage is not None:
        return outage
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


@signed_in
@require_http_methods(["GET", "POST"])
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A background job's progress: who started it, its stage and percentage, how long it
    has run, and when it is done its result, or its error and a retry button; its
    starter may cancel it while it runs. Only its starter, those who joined it and users
    who may manage jobs see it; anyone else gets 404, as for every record.

    Without JavaScript the page refreshes itself while the job is unfinished; with it,
    ``portal/jobs.mjs`` polls ``/api/v1/jobs/<id>`` and updates the page in place.
    It shows no case data: the result is a summary and a link to a page that audits its
    own read."""
    user: Any = request.user
    found = get_object_or_404(jobs.jobs_visible_to(user), pk=job_id)
    if request.method == "POST":
        try:
            if "retry" in request.POST:
                found = portal_services.retry_job(acting_user=user, job=found)
                messages.success(request, "The job is queued again")
            else:
                found = portal_services.cancel_job(acting_user=user, job=found)
                messages.success(
                    request,
                    "Job cancelled" if found.is_finished else "The job will stop at its next stage",
                )
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        return redirect("portal:job", job_id=found.pk)
    steps = {t.name for t in jobs.JOB.allowed(found, user)}
    result = found.result if isinstance(found.result, dict) else {}
    context = {
        "job": found,
        "elapsed": jobs.elapsed(found),
        "may_cancel": "cancel" in steps and not found.cancel_requested,
        "may_retry": "retry" in steps,
        "result_summary": result.get("summary", ""),
        "result_url": result.get("url", ""),
        "refresh_seconds": 3 if not found.is_finished else None,
    }
    return render(request, "portal/job.html", context)
