from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.selectors import history_of
from core.access import requires
from core.forms import VersionedForm, run_service
from core.pages import form_page
from core.roles import Capability
from organisation import selectors, services
from organisation.forms import (
    NewOfficeForm,
    NewPduForm,
    NewStaffForm,
    OfficeForm,
    PduForm,
    StaffForm,
    TeamForm,
)
from organisation.models import Office, Pdu

VIEW = requires(Capability.VIEW_ORGANISATION)
MANAGE = requires(Capability.MANAGE_REFERENCE_DATA)


@VIEW
def regions(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_capability(Capability.MANAGE_REFERENCE_DATA)  # type: ignore[union-attr]
    return render(
        request,
        "organisation/regions.html",
        {"regions": selectors.regions_with_counts(), "can_manage": can_manage},
    )


@VIEW
def region(request: HttpRequest, region_id: str) -> HttpResponse:
    found = selectors.region_detail(region_id)
    return render(
        request,
        "organisation/region.html",
        {"region": found, "pdus": selectors.pdus_in_region(found)},
    )


@VIEW
def pdu(request: HttpRequest, pdu_id: int) -> HttpResponse:
    found = selectors.pdu_detail(pdu_id)
    context = {
        "pdu": found,
        "offices": found.offices.order_by("retired_at", "name"),
        "teams": selectors.teams_in_pdu(found),
        "can_manage": request.user.has_capability(Capability.MANAGE_REFERENCE_DATA),  # type: ignore[union-attr]
    }
    if context["can_manage"]:
        context["history"] = history_of("organisation.pdu", found.pk)[:50]
    return render(request, "organisation/pdu.html", context)


@MANAGE
@require_http_methods(["GET", "POST"])
def pdu_new(request: HttpRequest) -> HttpResponse:
    form = NewPduForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: services.create_pdu(
                acting_user=request.user,
                name=form.cleaned_data["name"],
                region=form.cleaned_data["region"],
            ),
        )
        if created:
            messages.success(request, f"{created.name} PDU added")
            return redirect("organisation:pdu", pdu_id=created.pk)
    return form_page(request, form, "Add a PDU", "Add PDU", reverse("organisation:regions"))


@MANAGE
@require_http_methods(["GET", "POST"])
def pdu_rename(request: HttpRequest, pdu_id: int) -> HttpResponse:
    found = selectors.pdu_detail(pdu_id)
    form = PduForm(request.POST or None, initial={"name": found.name, "version": found.version})
    if request.method == "POST" and form.is_valid():
        renamed = run_service(
            form,
            lambda: services.rename_pdu(
                acting_user=request.user,
                pdu_id=found.pk,
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if renamed:
            messages.success(request, f"PDU renamed to {renamed.name}")
            return redirect("organisation:pdu", pdu_id=found.pk)
    return form_page(
        request, form, f"Rename {found.name}", "Save", reverse("organisation:pdu", args=[found.pk])
    )


def _retire_or_reinstate(
    request: HttpRequest,
    *,
    record: Pdu | Office,
    kind: str,
    retire: Callable[..., Any],
    reinstate: Callable[..., Any],
    detail_url: str,
) -> HttpResponse:
    """One confirm-and-submit page for retiring (soft delete) or reinstating a record."""
    reinstating = not record.is_active
    form = VersionedForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        service = reinstate if reinstating else retire
        done = run_service(
            form,
            lambda: service(
                acting_user=request.user, pk=record.pk, expected_version=form.cleaned_data["version"]
            ),
        )
        if done:
            messages.success(request, f"{done.name} {'reinstated' if reinstating else 'retired'}")
            return redirect(detail_url)
    context = {
        "form": form,
        "record": record,
        "reinstating": reinstating,
        "kind": kind,
        "cancel_url": detail_url,
    }
    return render(request, "organisation/confirm.html", context, status=400 if form.errors else 200)


@MANAGE
@require_http_methods(["GET", "POST"])
def pdu_retire(request: HttpRequest, pdu_id: int) -> HttpResponse:
    found = selectors.pdu_detail(pdu_id)
    return _retire_or_reinstate(
        request,
        record=found,
        kind="PDU",
        retire=services.retire_pdu,
        reinstate=services.reinstate_pdu,
        detail_url=reverse("organisation:pdu", args=[found.pk]),
    )


@VIEW
def office(request: HttpRequest, office_id: int) -> HttpResponse:
    found = selectors.office_detail(office_id)
    can_manage = request.user.has_capability(Capability.MANAGE_REFERENCE_DATA)  # type: ignore[union-attr]
    history = history_of("organisation.office", found.pk)[:50] if can_manage else None
    return render(
        request, "organisation/office.html", {"office": found, "can_manage": can_manage, "history": history}
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def office_new(request: HttpRequest) -> HttpResponse:
    form = NewOfficeForm(
        request.POST or None, initial={"pdu": request.GET.get("pdu"), "is_reporting_office": True}
    )
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form, lambda: services.create_office(acting_user=request.user, **form.office_fields())
        )
        if created:
            messages.success(request, f"{created.name} added")
            return redirect("organisation:office", office_id=created.pk)
    return form_page(request, form, "Add an office", "Add office", reverse("organisation:regions"))


@MANAGE
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, office_id: int) -> HttpResponse:
    found = selectors.office_detail(office_id)
    form = OfficeForm(request.POST) if request.method == "POST" else OfficeForm.for_office(found)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form,
            lambda: services.update_office(
                acting_user=request.user,
                office_id=found.pk,
                expected_version=form.cleaned_data["version"],
                **form.office_fields(),
            ),
        )
        if updated:
            messages.success(request, f"{updated.name} updated")
            return redirect("organisation:office", office_id=found.pk)
    return form_page(
        request, form, f"Change {found.name}", "Save", reverse("organisation:office", args=[found.pk])
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def office_retire(request: HttpRequest, office_id: int) -> HttpResponse:
    found = selectors.office_detail(office_id)
    return _retire_or_reinstate(
        request,
        record=found,
        kind="office",
        retire=services.retire_office,
        reinstate=services.reinstate_office,
        detail_url=reverse("organisation:office", args=[found.pk]),
    )


@VIEW
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    found = selectors.team_detail(team_id)
    can_manage = request.user.has_capability(Capability.MANAGE_REFERENCE_DATA)  # type: ignore[union-attr]
    return render(
        request,
        "organisation/team.html",
        {"team": found, "staff": selectors.team_staff(found), "can_manage": can_manage},
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest, pdu_id: int) -> HttpResponse:
    found = selectors.pdu_detail(pdu_id)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: services.create_team(
                acting_user=request.user,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                pdu=found,
            ),
        )
        if created:
            messages.success(request, f"{created.name} added")
            return redirect("organisation:team", team_id=created.pk)
    return form_page(
        request, form, f"Add a team to {found.name}", "Add team", reverse("organisation:pdu", args=[found.pk])
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, pdu_id: int) -> HttpResponse:
    found = selectors.pdu_detail(pdu_id)
    form = NewStaffForm(
        request.POST or None, pdu=found, initial={"contracted_hours": "37.0", "team": request.GET.get("team")}
    )
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: services.create_staff(
                acting_user=request.user,
                staff_code=form.cleaned_data["staff_code"],
                pdu=found,
                **form.staff_fields(),
            ),
        )
        if created:
            messages.success(request, f"{created} added")
            return redirect("organisation:staff", staff_id=created.pk)
    return form_page(
        request,
        form,
        f"Add a member of staff in {found.name}",
        "Add member of staff",
        reverse("organisation:pdu", args=[found.pk]),
    )


@VIEW
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    found = selectors.staff_detail(staff_id)
    can_manage = request.user.has_capability(Capability.MANAGE_REFERENCE_DATA)  # type: ignore[union-attr]
    if request.method == "POST" and not can_manage:
        raise Http404
    initial = {k: getattr(found, k) for k in ("forename", "surname", "grade", "contracted_hours")} | {
        "team": found.team_id,
        "version": found.version,
    }
    form = StaffForm(request.POST or None, pdu=found.pdu, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form,
            lambda: services.update_staff(
                acting_user=request.user,
                staff_id=found.pk,
                expected_version=form.cleaned_data["version"],
                **form.staff_fields(),
            ),
        )
        if updated:
            messages.success(request, f"{updated} updated")
            return redirect("organisation:staff", staff_id=found.pk)
    history = history_of("organisation.staff", found.pk)[:50] if can_manage else None
    return render(
        request,
        "organisation/staff.html",
        {"member": found, "form": form if can_manage else None, "history": history},
        status=400 if form.errors else 200,
    )
