from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import services as audit
from core.access import requires
from core.forms import run_service
from core.roles import Capability
from people.pages import person_form_page
from people.selectors import get_person_for, people_visible_to
from supervision import selectors, services
from supervision.constants import ENFORCEABLE_OUTCOMES, BreachStatus, CourtOutcome
from supervision.forms import (
    AllocationForm,
    AppointmentForm,
    BreachForm,
    EnforcementForm,
    NoteForm,
    OutcomeForm,
)
from supervision.lifecycle import BREACH
from supervision.models import Appointment
from supervision.rules import breach_due_date
from supervision.timeliness import chart_bars, timeliness_for


def _to_person(person: Any) -> HttpResponse:
    return redirect("people:detail", crn=person.crn)


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    user: Any = request.user
    default = person.practitioner_id or user.staff_id
    form = AppointmentForm(request.POST or None, person=person, user=user, initial={"practitioner": default})
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        booked = run_service(
            form,
            lambda: services.book_appointment(
                acting_user=user,
                person=person,
                type=form.cleaned_data["type"],
                starts_at=starts_at,
                ends_at=ends_at,
                practitioner=form.cleaned_data["practitioner"],
                office=form.cleaned_data["office"],
                event=form.cleaned_data["event"],
            ),
        )
        if booked:
            messages.success(
                request, f"{booked.get_type_display()} booked for {starts_at:%-d %B %Y at %H:%M}"
            )
            return _to_person(person)
    return person_form_page(request, form, person, "Book an appointment", "Book appointment")


def _appointment(user: Any, crn: str, appointment_id: int) -> tuple[Any, Appointment]:
    person = get_person_for(user, crn)
    appointment = selectors.appointment_of(person, appointment_id)
    return person, appointment


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, crn: str, appointment_id: int) -> HttpResponse:
    person, appointment = _appointment(request.user, crn, appointment_id)
    initial = {
        "outcome": appointment.outcome,
        "absence_reason": appointment.absence_reason,
        "notes": appointment.outcome_notes,
        "version": appointment.version,
    }
    unlinked = None if appointment.event_id else selectors.live_events(person)
    form = OutcomeForm(request.POST or None, initial=initial, live_events=unlinked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data.get("event")
        recorded = run_service(
            form,
            lambda: services.record_outcome(
                acting_user=request.user,
                appointment_id=appointment.pk,
                outcome=data["outcome"],
                notes=data["notes"],
                absence_reason=data["absence_reason"],
                expected_version=data["version"],
                event_id=chosen.pk if chosen else None,
            ),
        )
        if recorded:
            if recorded.outcome in ENFORCEABLE_OUTCOMES and recorded.event_id:
                return redirect("supervision:enforcement", crn=person.crn, appointment_id=recorded.pk)
            messages.success(request, "Outcome recorded")
            return _to_person(person)
    title = (
        f"Outcome of {appointment.get_type_display().lower()} on {appointment.starts_at:%-d %B %Y at %H:%M}"
    )
    return person_form_page(request, form, person, title, "Save outcome")


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def enforcement(request: HttpRequest, crn: str, appointment_id: int) -> HttpResponse:
    person, appointment = _appointment(request.user, crn, appointment_id)
    options = selectors.enforcement_options_for(appointment)
    form = EnforcementForm(
        request.POST or None, may_warn=options.may_warn, initial={"circumstances": appointment.outcome_notes}
    )
    if request.method == "POST" and form.is_valid():
        taken = run_service(
            form,
            lambda: services.take_enforcement_action(
                acting_user=request.user,
                appointment_id=appointment.pk,
                decision=form.cleaned_data["decision"],
                circumstances=form.cleaned_data["circumstances"],
            ),
        )
        if taken:
            messages.success(
                request,
                "Warning recorded" if taken.__class__.__name__ == "Warning" else "Breach action started",
            )
            return _to_person(person)
    return person_form_page(
        request,
        form,
        person,
        "Enforcement action",
        "Record action",
        intro=options.explanation,
        warning=options.explanation if options.must_breach else "",
    )


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def breach(request: HttpRequest, crn: str, breach_id: int) -> HttpResponse:
    person = get_person_for(request.user, crn)
    found = selectors.breach_of(person, breach_id)
    allowed = [str(t.target) for t in BREACH.allowed(found, request.user)]
    form = BreachForm(request.POST or None, allowed=allowed, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        advanced = run_service(
            form,
            lambda: services.advance_breach(
                acting_user=request.user,
                breach_id=found.pk,
                to=BreachStatus(data["to"]),
                on=data["on"],
                expected_version=data["version"],
                court_outcome=CourtOutcome(data["court_outcome"]) if data["court_outcome"] else None,
                withdrawn_reason=data["withdrawn_reason"],
            ),
        )
        if advanced:
            messages.success(request, f"Breach updated: {advanced.get_status_display().lower()}")
            return _to_person(person)

    intro = f"Currently: {found.get_status_display().lower()}. To be timely it must be presented to court by {breach_due_date(found.aware_on):%-d %B %Y} (10 business days)."
    return person_form_page(request, form, person, "Update breach action", "Save", intro=intro)


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.add_contact_note(
                acting_user=request.user,
                person=person,
                text=form.cleaned_data["text"],
                is_sensitive=form.cleaned_data["is_sensitive"],
            ),
        )
        if done:
            messages.success(request, "Note added")
        return _to_person(person)
    return person_form_page(request, form, person, "Add a contact note", "Add note")


@requires(Capability.ALLOCATE_CASES)
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    form = AllocationForm(
        request.POST or None,
        pdu_id=person.pdu_id,
        user=request.user,
        initial={"practitioner": person.practitioner_id, "version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.allocate(
                acting_user=request.user,
                person=person,
                team=data["team"],
                practitioner=data["practitioner"],
                reason=data["reason"],
                expected_version=data["version"],
            ),
        )
        if done:
            messages.success(request, f"{person.full_name} allocated to {done.practitioner or done.team}")
            still_visible = people_visible_to(request.user).filter(pk=person.pk).exists()
            return _to_person(person) if still_visible else redirect("supervision:unallocated")
    return person_form_page(request, form, person, "Allocate or transfer", "Allocate")


@requires(Capability.ALLOCATE_CASES)
def unallocated(request: HttpRequest) -> HttpResponse:
    people = (
        people_visible_to(request.user)
        .filter(practitioner__isnull=True)
        .select_related("pdu", "team")
        .order_by("created_at", "crn")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    audit.record_read(
        "unallocated cases", actor=request.user, people=page.object_list, count=page.paginator.count
    )
    return render(request, "supervision/unallocated.html", {"page_obj": page})


@requires(Capability.VIEW_INSIGHTS)
def timeliness(request: HttpRequest) -> HttpResponse:

    user: Any = request.user
    figures = timeliness_for(user, timezone.localdate())
    open_cases = []
    if user.has_capability(Capability.VIEW_CASES):
        visible = set(
            people_visible_to(user)
            .filter(breaches__status__in=[BreachStatus.REQUESTED, BreachStatus.ACTIONED])
            .values_list("pk", flat=True)
        )
        open_cases = [
            (b, breach_due_date(b.aware_on)) for b in figures.open_breaches[:100] if b.person_id in visible
        ]
    audit.record_read("breach timeliness", actor=user, people=[b.person.crn for b, _ in open_cases])
    context = {
        "figures": figures,
        "bars": chart_bars(figures.months),
        "open_cases": open_cases,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/enforcement.html", context)
