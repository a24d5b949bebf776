from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit import services as audit
from core.access import requires
from core.forms import run_service
from core.roles import Capability, Role
from people import selectors, services
from people.caseload import CaseloadFilter, caseload
from people.forms import AddressForm, AliasForm, CaseloadForm, PersonForm
from people.overview import actions_for, overview_for
from people.pages import person_form_page

PAGE_SIZE = 50


@requires(Capability.VIEW_CASES)
def person_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = request.GET.copy()
    if not request.GET and Role.PRACTITIONER in user.roles and user.staff_id:
        data["mine"] = "on"  # practitioners land on their own caseload
    form = CaseloadForm(data)
    form.is_valid()
    cleaned = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    chosen = CaseloadFilter(
        query=cleaned.get("q", "")[:100],
        mine_only=bool(cleaned.get("mine")),
        tier=cleaned.get("tier", ""),
        rosh=cleaned.get("rosh", ""),
        sort=cleaned.get("sort") or "name",
        descending=bool(cleaned.get("desc")),
        only=frozenset({"action"} if cleaned.get("action") else ()),
    )
    page = Paginator(caseload(user, chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_read(
        "caseload",
        actor=user,
        people=page.object_list,
        count=page.paginator.count,
        search=chosen.query or None,
    )
    params = data.copy()
    params.pop("page", None)
    return render(
        request,
        "people/list.html",
        {
            "page_obj": page,
            "form": form,
            "chosen": chosen,
            "query_string": params.urlencode(),
            "can_create": user.has_capability(Capability.MANAGE_CASES),
        },
    )


@requires(Capability.VIEW_CASES)
def person_detail(request: HttpRequest, crn: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, crn)
    user: Any = request.user
    overview = overview_for(person)
    sensitive = sum(entry.sensitive for entry in overview.timeline)
    audit.record_read(
        "person overview", actor=user, person=person, details={"sensitive_notes_shown": sensitive}
    )
    return render(
        request,
        "people/detail.html",
        {
            "overview": overview,
            "person": person,
            "actions": actions_for(user),
            "can_manage": user.has_capability(Capability.MANAGE_CASES),
            "can_allocate": user.has_capability(Capability.ALLOCATE_CASES),
        },
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PersonForm(request.POST or None)
    duplicates: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = selectors.likely_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            pnc_number=data["pnc_number"],
        )
        duplicates = [
            f"CRN {p.crn}"
            + (
                " (same PNC number)"
                if data["pnc_number"] and p.pnc_number == data["pnc_number"]
                else " (same name and date of birth)"
            )
            for p in matches[:10]
        ]
        if duplicates and not data["confirm_not_duplicate"]:
            audit.record_read("likely duplicates", actor=user, people=[p.crn for p in matches[:10]])
            form.add_error(
                "confirm_not_duplicate", "Check the possible matches, then confirm this is a different person"
            )
        else:
            address = (
                {"line_1": data["address_line_1"], "town": data["town"], "postcode": data["postcode"].upper()}
                if data["address_line_1"]
                else None
            )
            fields = {
                k: data[k]
                for k in (
                    "first_name",
                    "middle_names",
                    "last_name",
                    "date_of_birth",
                    "pnc_number",
                    "sex",
                    "gender_identity",
                    "ethnicity",
                    "disability",
                    "religion",
                    "phone",
                )
            } | {"sexual_orientation": data["sexual_orientation"] or "NOT_RECORDED"}
            staff = user.staff
            created = run_service(
                form,
                lambda: services.create_person(
                    acting_user=user,
                    pdu=staff.pdu,
                    team=staff.team,
                    address=address,
                    **fields,
                ),
            )
            if created:
                messages.success(request, f"{created.full_name} created with CRN {created.crn}")
                return redirect("people:detail", crn=created.crn)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Add a person on probation",
            "back_url": reverse("people:list"),
            "submit": "Add person",
            "warning": "This may be someone who already has a record:" if duplicates else "",
            "warning_items": duplicates,
        },
        status=400 if form.errors else 200,
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def alias_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, crn)
    form = AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.add_alias(acting_user=request.user, person=person, **form.cleaned_data)
        )
        if done:
            messages.success(request, f"Alias {done} added")
            return redirect("people:detail", crn=person.crn)
    return person_form_page(request, form, person, "Add an alias", "Add alias")


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def address_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = selectors.get_person_for(request.user, crn)
    form = AddressForm(request.POST or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        done = run_service(
            form,
            lambda: services.change_address(
                acting_user=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                **fields,
            ),
        )
        if done:
            messages.success(request, "Address changed; the previous address is kept in the history")
            return redirect("people:detail", crn=person.crn)
    return person_form_page(request, form, person, "Change address", "Save address")
