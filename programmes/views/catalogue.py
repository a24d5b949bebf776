"""Pages of the catalogue: programmes and their templates, the region's delivery suite
and its reviews, rooms, and Structured Interventions through the panel.

Reading the catalogue needs VIEW_ORGANISATION (it is national reference data); the suite
and rooms show the user's own region (any region with national scope). Each write page
names its capability; the panel's decision page is relationship-checked: the step must be
one the intervention's lifecycle offers this user (else 404, as for any page they may not use).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import requires
from core.forms import run_service
from core.pages import form_page
from core.roles import Capability
from programmes.constants import PanelPrinciple, ProgrammeKind
from programmes.forms.catalogue import (
    DecisionForm,
    EndOfferForm,
    InterventionForm,
    NewRoomForm,
    OfferForm,
    ProgrammeFilterForm,
    RetireRoomForm,
    ReviewForm,
    RoomFilterForm,
    RoomForm,
    TemplateVersionForm,
)
from programmes.lifecycle import INTERVENTION
from programmes.rules import catalogue as rules
from programmes.selectors import catalogue as selectors
from programmes.services import catalogue as services

VIEW = requires(Capability.VIEW_ORGANISATION)
MANAGE = requires(Capability.MANAGE_PROGRAMMES)
PRINCIPLES = dict(PanelPrinciple.choices)


def _can(request: HttpRequest, capability: Capability) -> bool:
    return bool(request.user.has_capability(capability))  # type: ignore[union-attr]


# --- The catalogue -----------------------------------------------------------------------


@VIEW
def catalogue(request: HttpRequest) -> HttpResponse:
    form = ProgrammeFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    found = selectors.programmes(
        kind=chosen.get("kind", ""), need_area=chosen.get("need_area", ""), status=chosen.get("status", "")
    )
    today = timezone.localdate()
    rows = [(p, selectors.accepts_new_referrals(p, today)) for p in found]
    return render(
        request,
        "programmes/catalogue/list.html",
        {
            "form": form,
            "rows": rows,
            "can_propose": _can(request, Capability.PROPOSE_INTERVENTIONS),
        },
    )


def _shown_template(templates: list[Any], today: date) -> Any:
    """The template in force today, or (before the programme starts) the first to come."""
    current = rules.template_in_force(templates, today)
    return current or (templates[-1] if templates else None)


@VIEW
def programme(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.get_programme(code)
    today = timezone.localdate()
    templates = selectors.templates_of(found)
    shown = _shown_template(templates, today)
    decidable = (
        found.kind == ProgrammeKind.STRUCTURED
        and selectors.interventions_decidable_by(request.user).filter(pk=found.pk).exists()
    )
    steps = INTERVENTION.allowed(found, request.user) if decidable else []
    return render(
        request,
        "programmes/catalogue/detail.html",
        {
            "programme": found,
            "accepts": selectors.accepts_new_referrals(found, today),
            "shown": shown,
            "in_force": rules.template_in_force(templates, today),
            "totals": rules.totals(shown.modules) if shown and shown.published else None,
            "templates": templates,
            "offers": selectors.offers_of(found),
            "decisions": [
                (d, [PRINCIPLES.get(p, p) for p in d.principles_not_met])
                for d in selectors.decisions_of(found)
            ],
            "steps": steps,
            "can_add_template": _can(request, Capability.MANAGE_REFERENCE_DATA),
            "today": today,
        },
    )


@requires(Capability.MANAGE_REFERENCE_DATA)
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.get_programme(code)
    form = TemplateVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.add_template_version(
                acting_user=request.user,
                programme_code=found.code,
                effective_from=form.cleaned_data["effective_from"],
                modules=form.cleaned_data["sessions"],
                note=form.cleaned_data["note"],
            ),
            field_for=lambda path: "sessions" if path.startswith("modules") else path,
        )
        if done:
            messages.success(request, f"New template for {found.name} from {done.effective_from:%d/%m/%Y}")
            return redirect("programmes:programme", code=found.code)
    return form_page(
        request,
        form,
        f"New template for {found.name}",
        "Add the template",
        reverse("programmes:programme", args=[found.code]),
        intro="Groups that start on or after the date use the new template; groups already formed keep theirs.",
    )


@VIEW
@require_http_methods(["GET", "POST"])
def intervention_decision(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Approve, reject or withdraw a Structured Intervention: only a step the lifecycle
    offers this user on this intervention now; any other answers 404."""
    found = selectors.get_intervention_for(request.user, code)
    if step not in INTERVENTION.by_name or not INTERVENTION[step].permits(request.user, found):
        raise Http404("No such step")
    transition = INTERVENTION[step]
    form = DecisionForm(request.POST or None)
    if step != "reject":
        form.fields.pop("principles_not_met")
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.decide_intervention(
                acting_user=request.user,
                code=found.code,
                step=step,
                principles_not_met=form.cleaned_data.get("principles_not_met", []),
                reasons=form.cleaned_data["reasons"],
            ),
        )
        if done:
            messages.success(request, f"{done.name}: {done.get_status_display().lower()}")
            return redirect("programmes:programme", code=found.code)
    return form_page(
        request,
        form,
        f"{transition.label}: {found.name}",
        transition.label,
        reverse("programmes:programme", args=[found.code]),
        caption="Effective Interventions Panel",
    )


@requires(Capability.PROPOSE_INTERVENTIONS)
@require_http_methods(["GET", "POST"])
def intervention_new(request: HttpRequest) -> HttpResponse:
    form = InterventionForm(request.POST or None, initial={"men": True, "women": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.submit_intervention(
                acting_user=request.user,
                proposal=services.InterventionProposal(
                    name=data["name"],
                    need_area=data["need_area"],
                    audience=data["audience"],
                    modules=data["sessions"],
                    men=data["men"],
                    women=data["women"],
                    typical_weeks=data["typical_weeks"],
                    summary=data["summary"],
                ),
            ),
            field_for=lambda path: "sessions" if path.startswith("modules") else path,
        )
        if done:
            messages.success(request, f"{done.name} submitted to the Effective Interventions Panel")
            return redirect("programmes:programme", code=done.code)
    return form_page(
        request,
        form,
        "Submit a Structured Intervention",
        "Submit to the panel",
        reverse("programmes:catalogue"),
        intro=(
            f"Your region's rehabilitation activity intervention, in one of the three need areas, with at "
            f"least {rules.MINIMUM_SI_SESSIONS} sessions. The Effective Interventions Panel approves or rejects it."
        ),
    )


# --- The delivery suite -----------------------------------------------------------------------


@VIEW
def suites(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.regions_visible_to(request.user))
    if len(regions) == 1:
        return redirect("programmes:suite", region_id=regions[0].pk)
    return render(request, "programmes/catalogue/suites.html", {"regions": regions})


@VIEW
def suite(request: HttpRequest, region_id: str) -> HttpResponse:
    region = selectors.get_region_for(request.user, region_id)
    today = timezone.localdate()
    offers = list(selectors.current_offers_in_region(region, today))
    pdus = list(selectors.region_pdus(region))
    offered = sorted({o.programme for o in offers}, key=lambda p: (p.kind, p.name))
    cells: dict[tuple[int, int], list[Any]] = {}
    for offer in offers:
        cells.setdefault((offer.pdu_id, offer.programme_id), []).append(offer)
    table = [(pdu, [cells.get((pdu.pk, p.pk), []) for p in offered]) for pdu in pdus]
    can_manage = _can(request, Capability.MANAGE_PROGRAMMES)
    return render(
        request,
        "programmes/catalogue/suite.html",
        {
            "region": region,
            "today": today,
            "gaps": selectors.suite_gaps(region, today),
            "policy": rules.required_suite_on(today),
            "programmes": offered,
            "table": table,
            "offers": selectors.offers_in_region(region),
            "manageable": set(selectors.offers_manageable_by(request.user).values_list("pk", flat=True))
            if can_manage
            else set(),
            "can_manage": can_manage,
            "can_review": _can(request, Capability.REVIEW_DELIVERY_SUITE),
            "last_review": selectors.reviews_of(region).first(),
        },
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest, region_id: str) -> HttpResponse:
    region = selectors.get_region_for(request.user, region_id)
    today = timezone.localdate()
    form = OfferForm(request.POST or None, user=request.user, day=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.add_offer(
                acting_user=request.user,
                programme_code=data["programme"].code,
                pdu_id=data["pdu"].pk,
                office_id=data["office"].pk if data["office"] else None,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
            field_for=lambda path: path.removesuffix("_id"),
        )
        if done:
            messages.success(request, f"{done.programme.name} added to {done.pdu.name}'s suite")
            return redirect("programmes:suite", region_id=done.pdu.region_id)
    return form_page(
        request,
        form,
        "Add a programme to the suite",
        "Add to the suite",
        reverse("programmes:suite", args=[region.pk]),
        caption=region.name,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def offer_end(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_offer_for(request.user, offer_id)
    form = EndOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.end_offer(
                acting_user=request.user, offer_id=offer.pk, ends_on=form.cleaned_data["ends_on"]
            ),
        )
        if done:
            messages.success(
                request, f"{done.programme.name} in {done.pdu.name} ends on {done.ends_on:%d/%m/%Y}"
            )
            return redirect("programmes:suite", region_id=done.pdu.region_id)
    return form_page(
        request,
        form,
        f"End {offer.programme.name} in {offer.pdu.name}",
        "End the offer",
        reverse("programmes:suite", args=[offer.pdu.region_id]),
        intro=f"Delivered since {offer.starts_on:%d/%m/%Y}. Groups already running finish.",
    )


@VIEW
def reviews(request: HttpRequest, region_id: str) -> HttpResponse:
    region = selectors.get_region_for(request.user, region_id)
    return render(
        request,
        "programmes/catalogue/reviews.html",
        {
            "region": region,
            "reviews": selectors.reviews_of(region),
            "can_review": _can(request, Capability.REVIEW_DELIVERY_SUITE),
        },
    )


@requires(Capability.REVIEW_DELIVERY_SUITE)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, region_id: str) -> HttpResponse:
    region = selectors.get_region_for(request.user, region_id)
    today = timezone.localdate()
    gaps = selectors.suite_gaps(region, today)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.record_review(
                acting_user=request.user, region_id=region.pk, summary=form.cleaned_data["summary"]
            ),
        )
        if done:
            messages.success(request, f"Review of {region.name}'s suite recorded")
            return redirect("programmes:reviews", region_id=region.pk)
    return form_page(
        request,
        form,
        f"Review {region.name}'s delivery suite",
        "Record the review",
        reverse("programmes:suite", args=[region.pk]),
        caption=f"Review on {today:%d/%m/%Y}",
        warning=f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''} today; the review keeps them as they stand"
        if gaps
        else "",
        warning_items=[gap.message for gap in gaps],
    )


# --- Rooms ---------------------------------------------------------------------------------


@VIEW
def rooms(request: HttpRequest) -> HttpResponse:
    form = RoomFilterForm(request.GET or None, user=request.user)
    found = selectors.rooms_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["office"]:
            found = found.filter(office=form.cleaned_data["office"])
        if form.cleaned_data["pdu"]:
            found = found.filter(office__pdu=form.cleaned_data["pdu"])
    can_manage = _can(request, Capability.MANAGE_PROGRAMMES)
    return render(
        request,
        "programmes/catalogue/rooms.html",
        {
            "form": form,
            "rooms": found,
            "can_manage": can_manage,
            "manageable": set(selectors.rooms_manageable_by(request.user).values_list("pk", flat=True))
            if can_manage
            else set(),
        },
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def room_new(request: HttpRequest) -> HttpResponse:
    form = NewRoomForm(request.POST or None, user=request.user, initial={"accredited": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.add_room(
                acting_user=request.user,
                office_id=data["office"].pk,
                name=data["name"],
                capacity=data["capacity"],
                accredited=data["accredited"],
            ),
            field_for=lambda path: path.removesuffix("_id"),
        )
        if done:
            messages.success(request, f"{done.name} added at {done.office.name}")
            return redirect("programmes:rooms")
    return form_page(request, form, "Add a room", "Add the room", reverse("programmes:rooms"))


@MANAGE
@require_http_methods(["GET", "POST"])
def room(request: HttpRequest, room_id: int) -> HttpResponse:
    found = selectors.get_room_for(request.user, room_id)
    form = RoomForm(
        request.POST or None,
        initial={
            "name": found.name,
            "capacity": found.capacity,
            "accredited": found.accredited,
            "version": found.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.edit_room(
                acting_user=request.user,
                room_id=found.pk,
                expected_version=data["version"],
                name=data["name"],
                capacity=data["capacity"],
                accredited=data["accredited"],
            ),
        )
        if done:
            messages.success(request, f"{done.name} saved")
            return redirect("programmes:rooms")
    return form_page(
        request,
        form,
        f"Change {found.name}",
        "Save",
        reverse("programmes:rooms"),
        caption=found.office.display_name,
        intro="Retired." if found.retired_at else "",
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def room_retire(request: HttpRequest, room_id: int) -> HttpResponse:
    found = selectors.get_room_for(request.user, room_id)
    form = RetireRoomForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.retire_room(
                acting_user=request.user, room_id=found.pk, expected_version=form.cleaned_data["version"]
            ),
        )
        if done:
            messages.success(request, f"{done.name} retired")
            return redirect("programmes:rooms")
    return form_page(
        request,
        form,
        f"Retire {found.name}",
        "Retire the room",
        reverse("programmes:rooms"),
        caption=found.office.display_name,
        intro="No new group can be booked into it. Groups already using it keep it.",
    )
