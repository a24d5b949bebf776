from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.access import requires
from core.forms import run_service
from core.roles import Capability
from people.pages import person_form_page
from people.selectors import get_person_for
from sentences import selectors, services
from sentences.constants import TerminationReason
from sentences.forms import EndForm, EventForm


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        event = run_service(
            form,
            lambda: services.record_event(
                acting_user=request.user,
                person=person,
                court=d["court"],
                convicted_on=d["convicted_on"],
                sentenced_on=d["sentenced_on"],
                offences=form.offences(),
                sentence=form.sentence(),
                requirements=form.requirements(),
                additional_licence_conditions=form.licence_condition_lines(),
                programme_licence_condition=d["programme_licence_condition"],
            ),
            field_for=form.field_for,
        )
        if event:
            messages.success(request, f"Event {event.number} recorded")
            return redirect("people:detail", crn=person.crn)
    return person_form_page(
        request, form, person, "Record a sentence", "Save sentence", template="sentences/event_form.html"
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def sentence_end(request: HttpRequest, crn: str, sentence_id: int) -> HttpResponse:
    person = get_person_for(request.user, crn)
    sentence = selectors.sentence_of(person, sentence_id)
    form = EndForm(
        request.POST or None, initial={"version": sentence.version, "reason": TerminationReason.COMPLETED}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.end_sentence(
                acting_user=request.user,
                sentence_id=sentence.pk,
                ended_on=d["ended_on"],
                reason=TerminationReason(d["reason"]),
                note=d["note"],
                expected_version=d["version"],
            ),
        ):
            messages.success(request, "Sentence ended")
            return redirect("people:detail", crn=person.crn)
    return person_form_page(
        request, form, person, f"End the {sentence.get_disposal_type_display().lower()}", "End sentence"
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def requirement_end(request: HttpRequest, crn: str, requirement_id: int) -> HttpResponse:
    person = get_person_for(request.user, crn)
    requirement = selectors.requirement_of(person, requirement_id)
    form = EndForm(
        request.POST or None, initial={"version": requirement.version, "reason": TerminationReason.COMPLETED}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.end_requirement(
                acting_user=request.user,
                requirement_id=requirement.pk,
                ended_on=d["ended_on"],
                reason=TerminationReason(d["reason"]),
                expected_version=d["version"],
            ),
        ):
            messages.success(request, f"{requirement.get_type_display()} requirement ended")
            return redirect("people:detail", crn=person.crn)
    return person_form_page(
        request,
        form,
        person,
        f"End the {requirement.get_type_display().lower()} requirement",
        "End requirement",
    )
