from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.access import requires
from core.forms import run_service
from core.roles import Capability
from people.pages import person_form_page
from people.selectors import get_person_for
from risk import selectors, services
from risk.forms import AssessmentForm, EndRegistrationForm, MappaForm, RegistrationForm


def _done(request: HttpRequest, person: Any, message: str) -> HttpResponse:
    person.refresh_from_db(fields=["tier", "legacy_tier"])
    messages.success(request, f"{message}. Tier is now {person.tier} ({person.legacy_tier}).")
    return redirect("people:detail", crn=person.crn)


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.record_assessment(
                acting_user=request.user, person=person, **form.assessment_fields()
            ),
        )
        if done:
            return _done(request, person, "Risk assessment recorded")
    return person_form_page(request, form, person, "Record a risk assessment", "Save assessment")


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def registration_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.add_registration(
                acting_user=request.user,
                person=person,
                type=d["type"],
                starts_on=d["starts_on"],
                notes=d["notes"],
            ),
        ):
            return _done(request, person, "Registration added")
    return person_form_page(request, form, person, "Add a registration", "Add registration")


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def registration_end(request: HttpRequest, crn: str, registration_id: int) -> HttpResponse:
    person = get_person_for(request.user, crn)
    registration = selectors.registration_of(person, registration_id)
    form = EndRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.end_registration(
                acting_user=request.user,
                registration_id=registration.pk,
                ends_on=form.cleaned_data["ends_on"],
            ),
        )
        if done:
            return _done(request, person, "Registration ended")
    return person_form_page(
        request,
        form,
        person,
        f"End the {registration.get_type_display().lower()} registration",
        "End registration",
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def mappa(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = MappaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.set_mappa(
                acting_user=request.user,
                person=person,
                category=d["category"],
                level=d["level"],
                starts_on=d["starts_on"],
            ),
        ):
            return _done(request, person, "MAPPA recorded")
    return person_form_page(request, form, person, "Record MAPPA category and level", "Save")
