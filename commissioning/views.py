from __future__ import annotations

from dataclasses import dataclass
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
from commissioning.models import ApplicationDocument, Contract, Supplier
from core import request_context
from core.access import public, requires
from core.csv_safe import safe_writer
from core.forms import run_service
from core.pages import form_page
from core.policy import value_on
from core.roles import Capability
from organisation import selectors as organisation_selectors
from organisation.models import Region
from people import selectors as people_selectors
from referrals.performance import performance_of, performances_of


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


def _chosen_region(request: HttpRequest, user: Any) -> Region:
    """The region asked for, else the user's own, else the first."""
    wanted = request.GET.get("region") or selectors.user_region(user)
    region = get_object_or_404(Region, pk=wanted) if wanted else organisation_selectors.regions().first()
    if region is None:
        raise Http404
    return region


@requires(Capability.VIEW_CONTRACTS)
def regional_services(request: HttpRequest) -> HttpResponse:
    """For Regional Probation Directors: the nationally commissioned services the region
    uses and when each is due its two-year review."""
    user: Any = request.user
    region = _chosen_region(request, user)
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


@requires(Capability.VIEW_INSIGHTS)
def contract_performance(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Contract management for one contract: volumes against expected, timeliness,
    attendance, outcomes and cost per completed referral."""
    contract = get_object_or_404(selectors.contracts(), pk=contract_id)
    figures = performance_of(contract, timezone.localdate())
    return render(
        request,
        "commissioning/performance.html",
        {
            "contract": contract,
            "f": figures,
            "bars": month_bars(figures.by_month, figures.expected_per_month),
        },
    )


PERFORMANCE_COLUMNS = [
    "reference",
    "title",
    "supplier",
    "referrals",
    "expected_per_month",
    "assessments_on_time_percent",
    "action_plans_on_time_percent",
    "reports_on_time_percent",
    "attended_percent",
    "outcomes_achieved_percent",
    "completed",
    "value",
    "cost_per_completed",
]


def _row(contract: Contract, f: Any) -> list[Any]:
    return [
        contract.reference,
        contract.title,
        contract.supplier.name,
        f.referrals,
        f.expected_per_month if f.expected_per_month is not None else "",
        f.assessment.percent if f.assessment.percent is not None else "",
        f.action_plan.percent if f.action_plan.percent is not None else "",
        f.report.percent if f.report.percent is not None else "",
        f.attended_percent if f.attended_percent is not None else "",
        f.achieved_percent if f.achieved_percent is not None else "",
        f.completed,
        f.value if f.value is not None else "",
        f.cost_per_completed if f.cost_per_completed is not None else "",
    ]


@requires(Capability.VIEW_INSIGHTS)
def region_performance(request: HttpRequest) -> HttpResponse:
    """Contract management for a region: every contract serving it, with its figures;
    ``?format=csv`` downloads the same table (formula-safe: ``core.csv_safe``)."""
    user: Any = request.user
    region = _chosen_region(request, user)
    today = timezone.localdate()
    rows = performances_of(selectors.contracts(region=region.pk, current_on=today), today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="contracts-{region.pk}-{today:%Y-%m-%d}.csv"'
        writer = safe_writer(response)
        writer.writerow(PERFORMANCE_COLUMNS)
        writer.writerows(_row(c, f) for c, f in rows)
        return response
    return render(
        request,
        "commissioning/region_performance.html",
        {"region": region, "regions": organisation_selectors.regions(), "rows": rows},
    )


@dataclass(frozen=True)
class MonthBar:
    x: int
    y: int
    height: int
    label: str
    title: str


def month_bars(by_month: list[tuple[Any, int]], expected: int | None, height: int = 120) -> dict[str, Any]:
    """Referrals each month as bars, with the expected volume as a line where one is set."""
    tallest = max([n for _, n in by_month] + [expected or 0]) or 1
    bars = [
        MonthBar(
            i * 50,
            140 - round(height * n / tallest),
            round(height * n / tallest),
            f"{m:%b}",
            f"{m:%B %Y}: {n} referrals",
        )
        for i, (m, n) in enumerate(by_month)
    ]
    expected_y = 140 - round(height * expected / tallest) if expected else None
    return {"bars": bars, "expected_y": expected_y, "width": 50 * len(by_month)}


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
    document = get_object_or_404(ApplicationDocument, pk=document_id, application_id=application_id)
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
    supplier = get_object_or_404(Supplier, pk=supplier_id)
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
