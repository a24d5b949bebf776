from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.roles import Capability
from commissioning import rules, selectors
from commissioning.forms import ContractFilterForm, ServiceSearchForm
from core.access import requires
from organisation.models import Region
from people import selectors as people_selectors
from people import services as people_services


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
    return render(
        request,
        "commissioning/contracts.html",
        {"form": form, "page_obj": page},
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
    people_services.record_person_viewed(acting_user=request.user, person=person)
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


@requires(Capability.VIEW_CONTRACTS)
def regional_services(request: HttpRequest) -> HttpResponse:
    """For Regional Probation Directors: the nationally commissioned services the region
    uses and when each is due its two-year review."""
    user: Any = request.user
    wanted = request.GET.get("region") or selectors.user_region(user)
    region = get_object_or_404(Region, pk=wanted) if wanted else Region.objects.order_by("name").first()
    if region is None:
        raise Http404
    today = timezone.localdate()
    services = selectors.nationally_commissioned_in(region.pk, today)
    return render(
        request,
        "commissioning/regional_services.html",
        {
            "region": region,
            "regions": Region.objects.all(),
            "services": services,
            "overdue": sum(s.overdue for s in services),
            "today": today,
        },
    )
