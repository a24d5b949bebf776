from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from audit import services as audit
from commissioning import rules, selectors, services
from commissioning.constants import SqSection
from commissioning.forms import (
    ContractFilterForm,
    PublicSupplierApplicationForm,
    SectionAssessmentForm,
    ServiceSearchForm,
    SupplierApplicationForm,
    SupplierOrganisationForm,
)
from core import request_context
from core.access import public, requires
from core.forms import run_service
from core.pages import form_page
from core.policy import value_on
from core.roles import Capability
from organisation import selectors as organisation_selectors
from organisation.models import Region
from people import selectors as people_selectors


@requires(Capability.VIEW_CONTRACTS)
def contract_list(request: HttpRequest) -> HttpResponse:
    form = ContractFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "text": d["q"].strip(),
            "category": d["category"],
            "region": d["region"] or None,
            "current_on": timezone.localdate() if d["current"] else None,
        }
    page = Paginator(selectors.contracts(**filters), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    term = {
        "ends": rules.framework_end(today),
        "latest": rules.framework_end(today, extensions_taken=value_on("df_max_extensions", today)),
    }
    return render(
        request,
        "commissioning/contracts.html",
        {"form": form, "page_obj": page, "term": term},
        status=400 if form.errors else 200,
    )


@requires(Capability.VIEW_CONTRACTS)
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = get_object_or_404(selectors.contracts(), pk=contract_id)
    categories = list(contract.categories.prefetch_related("complexity_levels", "desired_outcomes"))
    return render(
        request,
        "commissioning/contract.html",
        {
            "contract": contract,
            "categories": categories,
            "review_due": rules.review_due(contract.starts_on) if contract.nationally_commissioned else None,
        },
    )


@requires(Capability.VIEW_CASES)
def person_services(request: HttpRequest, crn: str) -> HttpResponse:
    """Find a service for a person: what is open to them where they live, for their sex
    and age, today, for the kind of help they need."""
    person = people_selectors.get_person_for(request.user, crn)
    audit.record_read("services open to the person", actor=request.user, person=person)
    form = ServiceSearchForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else None
    choices = selectors.services_for(person, timezone.localdate(), category)
    return render(
        request,
        "commissioning/person_services.html",
        {
            "person": person,
            "form": form,
            "open": [c for c in choices if c.open],
            "closed": [c for c in choices if not c.open],
            "can_refer": request.user.has_capability(Capability.MANAGE_CASES),  # type: ignore[union-attr]
        },
    )


def chosen_region(request: HttpRequest, user: Any) -> Region:
    """The region asked for, else the user's own, else the first."""
    wanted = request.GET.get("region") or selectors.user_region(user)
    region = (
        get_object_or_404(organisation_selectors.regions(), pk=wanted)
        if wanted
        else organisation_selectors.regions().first()
    )
    if region is None:
        raise Http404
    return region


@requires(Capability.VIEW_CONTRACTS)
def regional_services(request: HttpRequest) -> HttpResponse:
    """For Regional Probation Directors: the nationally commissioned services the region
    uses and when each is due its two-year review."""
    user: Any = request.user
    region = chosen_region(request, user)
    today = timezone.localdate()
    services = selectors.nationally_commissioned_in(region.pk, today)
    return render(
        request,
        "commissioning/regional_services.html",
        {
            "region": region,
            "regions": organisation_selectors.regions(),
            "services": services,
            "overdue": sum(s.overdue for s in services),
            "today": today,
        },
    )


# --- Supplier qualification ---------------------------------------------------------------


def _place_lists(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "categories": list(d["categories"]),
        "regions": list(d["regions"]),
        "pcc_areas": list(d["pcc_areas"]),
        "documents": d["documents"],
    }


@public
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Join the framework: open at any time, no sign-in (spam-resistant)."""
    form = PublicSupplierApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        application = run_service(
            form,
            lambda: services.submit_application(
                client_ip=request_context.current().ip_address, **form.answers(), **_place_lists(form)
            ),
        )
        if application:
            return render(request, "commissioning/application_received.html", {"application": application})
    context = {"form": form, "stamp": PublicSupplierApplicationForm.stamp(), "extending": None}
    return render(request, "commissioning/apply.html", context, status=400 if form.errors else 200)


@requires(Capability.DELIVER_SERVICES)
@require_http_methods(["GET", "POST"])
def extend(request: HttpRequest) -> HttpResponse:
    """An appointed supplier offers more categories or places, by the same questionnaire."""
    user: Any = request.user
    supplier = selectors.supplier_of_organisation(user.organisation_id)
    if supplier is None:
        raise Http404
    form = SupplierApplicationForm(request.POST or None, request.FILES or None, extending=supplier)
    if request.method == "POST" and form.is_valid():
        answers = form.answers() | {
            "organisation_name": supplier.name,
            "contact_name": user.get_full_name() or user.username,
            "contact_email": user.email,
        }
        application = run_service(
            form,
            lambda: services.submit_application(
                acting_user=user, supplier=supplier, **answers, **_place_lists(form)
            ),
        )
        if application:
            return render(request, "commissioning/application_received.html", {"application": application})
    return render(
        request,
        "commissioning/apply.html",
        {"form": form, "extending": supplier},
        status=400 if form.errors else 200,
    )


@requires(Capability.MANAGE_FRAMEWORK)
def applications(request: HttpRequest) -> HttpResponse:
    waiting = selectors.submitted_applications()
    decided = selectors.decided_applications()
    return render(request, "commissioning/applications.html", {"waiting": waiting, "decided": decided})


@requires(Capability.MANAGE_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    found = selectors.application_detail(application_id)
    form = SectionAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.assess_section(
                acting_user=request.user,
                application_id=found.pk,
                section=SqSection(form.cleaned_data["section"]),
                passed=form.cleaned_data["result"] == "pass",
                reason=form.cleaned_data["reason"],
            ),
        )
        if done:
            messages.success(request, f"{SqSection(form.cleaned_data['section']).label}: saved")
            return redirect("commissioning:application", application_id=found.pk)
    results = {a.section: a for a in found.assessments.select_related("assessed_by")}
    guidance = rules.sq_guidance(selectors.answers_of(found), timezone.localdate())
    sections = [
        (value, label, results.get(value), guidance.get(value, "")) for value, label in SqSection.choices
    ]
    return render(
        request,
        "commissioning/application.html",
        {"application": found, "sections": sections, "form": form},
        status=400 if form.errors else 200,
    )


@requires(Capability.MANAGE_FRAMEWORK)
def application_document(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    document = get_object_or_404(
        selectors.application_documents(), pk=document_id, application_id=application_id
    )
    # Always a download, never rendered; the header is built safely whatever the stored name.
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.name)
    return response


@requires(Capability.VIEW_CONTRACTS)
def suppliers(request: HttpRequest) -> HttpResponse:
    appointed = selectors.qualified_suppliers_in_full()
    manages = request.user.has_capability(Capability.MANAGE_FRAMEWORK)  # type: ignore[union-attr]
    unlinked = selectors.suppliers_without_organisation() if manages else []
    return render(request, "commissioning/suppliers.html", {"suppliers": appointed, "unlinked": unlinked})


@requires(Capability.MANAGE_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def supplier_organisation(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Link a supplier to the provider organisation its staff sign in through."""
    supplier = get_object_or_404(selectors.suppliers(), pk=supplier_id)
    form = SupplierOrganisationForm(request.POST or None, initial={"version": supplier.version})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.link_supplier_organisation(
                acting_user=request.user,
                supplier_id=supplier.pk,
                organisation_id=form.cleaned_data["organisation"].pk,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done:
            messages.success(request, f"{supplier.name} linked to {form.cleaned_data['organisation'].name}")
            return redirect("commissioning:suppliers")
    return form_page(
        request,
        form,
        f"Link {supplier.name} to its organisation",
        "Link organisation",
        reverse("commissioning:suppliers"),
    )
