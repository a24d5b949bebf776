from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import services as audit
from core import request_context
from core.access import public, requires
from core.forms import run_service
from core.pages import form_page
from core.roles import Capability
from people.selectors import people_visible_to
from unpaid_work import selectors, services
from unpaid_work.constants import NominationStatus, PlanStatus, SessionOutcome, StandDownReason
from unpaid_work.dashboard import day_bars, pdu_dashboard, weekly_bars
from unpaid_work.forms import (
    AdjustmentForm,
    AssessmentForm,
    AttendanceForm,
    BookForm,
    DeclineForm,
    GenerateSessionsForm,
    NominationForm,
    PlanForm,
    PlanReviewForm,
    ProjectForm,
    StandDownForm,
    SupervisorsForm,
)
from unpaid_work.lifecycle import ORDER, PLAN_RUN
from unpaid_work.travel import ATTRIBUTION

MANAGE = requires(Capability.MANAGE_UNPAID_WORK)


@public
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nomination = run_service(
            form,
            lambda: services.submit_nomination(
                client_ip=request_context.current().ip_address, **form.nomination_fields()
            ),
        )
        if nomination:
            return render(request, "unpaid_work/nomination_received.html", {"nomination": nomination})
    # A fresh timestamp each time the form is shown, so a corrected form is never "expired".
    context = {"form": form, "stamp": NominationForm.stamp()}
    return render(request, "unpaid_work/nominate.html", context, status=400 if form.errors else 200)


@MANAGE
def nominations(request: HttpRequest) -> HttpResponse:
    waiting = selectors.nominations_for(request.user).filter(status=NominationStatus.SUBMITTED)
    decided = (
        selectors.nominations_for(request.user)
        .exclude(status=NominationStatus.SUBMITTED)
        .order_by("-decided_at")[:20]
    )
    return render(request, "unpaid_work/nominations.html", {"waiting": waiting, "decided": decided})


@MANAGE
@require_http_methods(["GET", "POST"])
def nomination_decline(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = get_object_or_404(selectors.nominations_for(request.user), pk=nomination_id)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.decline_nomination(
                acting_user=request.user, nomination_id=nomination.pk, reason=form.cleaned_data["reason"]
            ),
        )
        if done:
            messages.success(request, "Nomination declined")
            return redirect("unpaid_work:nominations")
    return form_page(
        request,
        form,
        f"Decline the nomination from {nomination.organisation or nomination.nominator_name}",
        "Decline",
        reverse("unpaid_work:nominations"),
        intro=nomination.description,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    nomination = None
    nomination_id = request.GET.get("nomination") or request.POST.get("nomination")
    initial: dict[str, Any] = {
        "people_per_supervisor": 6,
        "capacity": 6,
        "start_date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    user: Any = request.user
    if user.staff_id:
        initial["pdu"] = user.staff.pdu_id
    if nomination_id:
        nomination = get_object_or_404(
            selectors.nominations_for(user), pk=nomination_id, status=NominationStatus.SUBMITTED
        )
        initial |= {
            "beneficiary": nomination.organisation or nomination.nominator_name,
            "address": nomination.address,
            "postcode": nomination.postcode,
        }
    form = ProjectForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        project = run_service(
            form,
            lambda: services.create_project(
                acting_user=user, nomination_id=nomination.pk if nomination else None, **form.project_fields()
            ),
        )
        if project:
            messages.success(request, f"{project.name} set up")
            return redirect("unpaid_work:project", project_id=project.pk)
    title = "Set up a project from a nomination" if nomination else "Set up a project"
    return form_page(
        request,
        form,
        title,
        "Set up project",
        reverse("unpaid_work:nominations"),
        intro=nomination.description if nomination else "",
    )


@MANAGE
def projects(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.projects_for(request.user).order_by("name"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "unpaid_work/projects.html", {"page_obj": page})


@MANAGE
@require_http_methods(["GET", "POST"])
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    found = get_object_or_404(selectors.projects_for(request.user), pk=project_id)
    form = GenerateSessionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: services.generate_sessions(
                acting_user=request.user, project_id=found.pk, **form.cleaned_data
            ),
        )
        if created is not None:
            messages.success(request, f"{len(created)} session{'s' if len(created) != 1 else ''} added")
            return redirect("unpaid_work:project", project_id=found.pk)
    today = timezone.localdate()
    upcoming = found.sessions.filter(date__gte=today).prefetch_related("bookings")[:30]
    return render(
        request,
        "unpaid_work/project.html",
        {"project": found, "form": form, "sessions": upcoming},
        status=400 if form.errors else 200,
    )


def _booking_choices(user: Any, session: Any) -> list[tuple[int, str]]:
    booked = set(session.bookings.filter(cancelled_at__isnull=True).values_list("order_id", flat=True))
    orders = selectors.orders_for(user).filter(person__pdu=session.project.pdu_id).exclude(pk__in=booked)
    return [
        (o.pk, f"{o.person.full_name} ({o.person.crn})") for o in orders.order_by("person__last_name")[:300]
    ]


def _save_register(
    request: HttpRequest, session: Any, rows: list[tuple[Any, AttendanceForm]]
) -> list[tuple[str, str]]:
    """Saves the whole register or nothing. Returns one error summary for the page: each
    problem named with the person's name and linked to the field on their row."""
    valid = [form.is_valid() for _, form in rows]
    if all(valid):
        entries = [
            _attendance_entry(booking, form.cleaned_data)
            for booking, form in rows
            if form.cleaned_data["outcome"]
        ]
        try:
            services.record_register(acting_user=request.user, session_id=session.pk, entries=entries)
        except services.RegisterRejected as rejected:
            for booking, form in rows:
                for field, messages_for_field in rejected.problems.get(booking.pk, {}).items():
                    form.add_error(field if field in form.fields else None, messages_for_field)
        except ValidationError as error:
            rows[0][1].add_error(None, error.messages)
    summary: list[tuple[str, str]] = []
    for booking, form in rows:
        name = booking.order.person.full_name
        for field, errors in form.errors.items():
            anchor = f"#{form[field].auto_id}" if field in form.fields else f"#row-{booking.pk}"
            summary += [(anchor, f"{name}: {error}") for error in errors]
    return summary


def _attendance_entry(booking: Any, d: dict[str, Any]) -> services.AttendanceEntry:
    return services.AttendanceEntry(
        booking_id=booking.pk,
        outcome=SessionOutcome(d["outcome"]),
        arrived_at=d["arrived_at"],
        left_at=d["left_at"],
        penalty_minutes=d["penalty_minutes"] or 0,
        work_quality=d["work_quality"],
        behaviour=d["behaviour"],
        notes=d["notes"],
        expected_version=d["version"],
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def session_register(request: HttpRequest, session_id: int) -> HttpResponse:
    """The supervisor's register: book people and record everyone's attendance at once."""
    session = selectors.get_session_for(request.user, session_id)
    live = session.bookings.filter(cancelled_at__isnull=True).select_related("order__person")
    # Restricted and excluded cases stay hidden here too: the register only names people the user may see.
    bookings = list(live.filter(order__person__in=people_visible_to(request.user)))
    hidden = live.count() - len(bookings)
    forms_by_booking = [
        (
            b,
            AttendanceForm(
                request.POST or None,
                prefix=f"b{b.pk}",
                initial={
                    "outcome": b.outcome,
                    "arrived_at": (b.arrived_at or session.starts_at).strftime("%H:%M"),
                    "left_at": (b.left_at or session.ends_at).strftime("%H:%M"),
                    "penalty_minutes": b.penalty_minutes,
                    "work_quality": b.work_quality,
                    "behaviour": b.behaviour,
                    "notes": b.notes,
                    "version": b.version,
                },
            ),
        )
        for b in bookings
    ]
    register_errors: list[tuple[str, str]] = []
    if request.method == "POST" and "record" in request.POST:
        register_errors = _save_register(request, session, forms_by_booking)
        if not register_errors:
            saved = sum(1 for _, form in forms_by_booking if form.cleaned_data.get("outcome"))
            messages.success(
                request, f"Attendance recorded for {saved} {'person' if saved == 1 else 'people'}"
            )
            return redirect("unpaid_work:session", session_id=session.pk)
    offered = _booking_choices(request.user, session)
    book_form = BookForm(request.POST if "book" in request.POST else None, orders=offered)
    if book_form.is_bound and book_form.is_valid():
        booked = run_service(
            book_form,
            lambda: services.book(
                acting_user=request.user,
                session_id=session.pk,
                order_id=int(book_form.cleaned_data["order"]),
                is_ete=book_form.cleaned_data["is_ete"],
            ),
        )
        if booked:
            messages.success(request, f"{booked.order.person.full_name} booked")
            return redirect("unpaid_work:session", session_id=session.pk)
    errors = any(form.errors for _, form in forms_by_booking) or bool(book_form.errors)
    audit.record_read(
        "session register",
        actor=request.user,
        obj=session,
        people=[b.order.person.crn for b in bookings],
        details={"people_offered_for_booking": len(offered)},
    )
    return render(
        request,
        "unpaid_work/session.html",
        {
            "session": session,
            "rows": forms_by_booking,
            "book_form": book_form,
            "stand_down_form": StandDownForm(),
            "supervisors_form": SupervisorsForm(
                initial={"supervisors": [s.pk for s in session.supervisors.all()]},
                staff=supervisor_choices(session),
            ),
            "places": selectors.session_facts(session),
            "hidden": hidden,
            "register_errors": register_errors,
        },
        status=400 if errors else 200,
    )


@MANAGE
@require_http_methods(["POST"])
def session_stand_down(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for(request.user, session_id)
    form = StandDownForm(request.POST)
    done = None
    if form.is_valid():
        reason = StandDownReason(form.cleaned_data["reason"])
        done = run_service(
            form,
            lambda: services.stand_down(
                acting_user=request.user,
                session_id=session.pk,
                reason=reason,
                expected_version=form.cleaned_data["version"],
            ),
        )
    if done:
        messages.success(request, "Session stood down")
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "The session could not be stood down: " + "; ".join(problems))
    return redirect("unpaid_work:session", session_id=session.pk)


@requires(Capability.VIEW_CASES)
@require_http_methods(["GET"])
def requirement_order(request: HttpRequest, requirement_id: int) -> HttpResponse:
    """From a requirement on the person's record to its Unpaid Work order."""
    found = selectors.get_order_for_requirement(request.user, requirement_id)
    return redirect("unpaid_work:order", found.pk)


@requires(Capability.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    found = selectors.get_order_for(request.user, order_id)
    user: Any = request.user
    can_manage = user.has_capability(Capability.MANAGE_UNPAID_WORK)
    assessment = AssessmentForm(
        request.POST if "assess" in request.POST else None,
        initial={
            "assessed_on": found.assessed_on.strftime("%d/%m/%Y") if found.assessed_on else "",
            "home_postcode": found.home_postcode,
            "travel_mode": found.travel_mode,
            "available_weekdays": found.available_weekdays,
            "availability_notes": found.availability_notes,
            "no_all_male_group": found.no_all_male_group,
            "needs_accessible_placement": found.needs_accessible_placement,
            "version": found.version,
        },
    )
    adjustment = AdjustmentForm(request.POST if "adjust" in request.POST else None)
    if request.method == "POST" and not can_manage:
        raise Http404  # forbidden answers like missing
    if assessment.is_bound and assessment.is_valid():
        d = dict(assessment.cleaned_data)
        version = d.pop("version")
        d["home_postcode"] = d["home_postcode"].strip().upper()
        if run_service(
            assessment,
            lambda: services.update_assessment(
                acting_user=user, order_id=found.pk, expected_version=version, **d
            ),
        ):
            messages.success(request, "Assessment saved")
            return redirect("unpaid_work:order", order_id=found.pk)
    if adjustment.is_bound and adjustment.is_valid():
        added = run_service(
            adjustment,
            lambda: services.add_adjustment(acting_user=user, order_id=found.pk, **adjustment.cleaned_data),
        )
        if added:
            messages.success(request, "Adjustment added")
            return redirect("unpaid_work:order", order_id=found.pk)
    audit.record_read("unpaid work order", actor=user, person=found.person, obj=found)
    steps = {t.name for t in ORDER.allowed(found, user)}
    summary = selectors.summarise(found, timezone.localdate())
    bookings = found.bookings.select_related("session__project").order_by("-session__date")[:50]
    errors = bool(assessment.errors or adjustment.errors)
    return render(
        request,
        "unpaid_work/order.html",
        {
            "summary": summary,
            "order": found,
            "person": found.person,
            "bookings": bookings,
            "assessment": assessment,
            "adjustment": adjustment,
            "can_manage": can_manage,
            "steps": steps,
            "adjustments": found.adjustments.all(),
            "attribution": ATTRIBUTION,
        },
        status=400 if errors else 200,
    )


@requires(Capability.VIEW_INSIGHTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per PDU: the user's own, or one they choose within their geography."""

    user: Any = request.user
    pdus = selectors.pdus_for(user)
    wanted = request.GET.get("pdu", "")
    chosen = pdus.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    chosen = chosen or (pdus.filter(pk=user.staff.pdu_id).first() if user.staff_id else None) or pdus.first()
    if chosen is None:
        audit.record_read("unpaid work dashboard", actor=user, people=[])
        return render(request, "unpaid_work/dashboard.html", {"pdus": pdus, "figures": None})
    figures = pdu_dashboard(chosen, timezone.localdate())
    # Figures are aggregates; the lists name cases, so they show only cases the user may open.
    visible = set(people_visible_to(user).filter(pdu=chosen).values_list("pk", flat=True))
    at_risk = [line for line in figures.at_risk if line.order.person_id in visible]
    reviews = [(order, day) for order, day in figures.reviews_due if order.person_id in visible]
    named = [line.order.person.crn for line in at_risk[:50]] + [order.person.crn for order, _ in reviews[:50]]
    audit.record_read("unpaid work dashboard", actor=user, obj=chosen, people=named)
    context = {
        "pdus": pdus,
        "figures": figures,
        "bars": weekly_bars(figures.weekly_minutes),
        "at_risk": at_risk,
        "reviews": reviews,
    }
    return render(request, "unpaid_work/dashboard.html", context)


@MANAGE
@require_http_methods(["GET", "POST"])
def planner(request: HttpRequest) -> HttpResponse:
    """Choose a PDU and a horizon; the planner proposes bookings for review. The run is
    queued and this answers at once with its progress page; asking again for the same
    PDU and dates while it runs opens the same job."""

    user: Any = request.user
    pdus = selectors.pdus_for(user)
    today = timezone.localdate()
    initial = {
        "pdu": user.staff.pdu_id if user.staff_id else None,
        "start": today.strftime("%d/%m/%Y"),
        "end": (today + timedelta(days=13)).strftime("%d/%m/%Y"),
    }
    form = PlanForm(request.POST or None, initial=initial, pdus=pdus)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        requested = run_service(
            form,
            lambda: services.request_plan(
                acting_user=user, pdu_id=d["pdu"].pk, start=d["start"], end=d["end"]
            ),
        )
        if requested:
            job, created = requested
            if not created:
                messages.info(
                    request, "A plan for this PDU and these dates is already being made: this is it"
                )
            return redirect("portal:job", job_id=job.pk)
    recent = selectors.plans_for(user).select_related("pdu", "created_by")[:10]
    return render(
        request,
        "unpaid_work/planner.html",
        {"form": form, "recent": recent, "seconds": int(settings.UPW_PLANNER_SECONDS)},
        status=400 if form.errors else 200,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Review a proposal: untick bookings to leave out, then confirm (bookings and
    appointments are made) or discard."""
    user: Any = request.user
    run = get_object_or_404(selectors.plans_for(user), pk=plan_id)
    review = selectors.review_plan(user, run)
    form = PlanReviewForm(request.POST or None, proposals=[p.pk for p in review.proposals])
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        if "discard" in request.POST:
            if run_service(
                form, lambda: services.discard_plan(acting_user=user, run_id=run.pk, expected_version=version)
            ):
                messages.success(request, "Plan discarded: nothing was booked")
                return redirect("unpaid_work:planner")
        else:
            kept = set(form.cleaned_data["included"]) | review.hidden_included
            done = run_service(
                form,
                lambda: _save_and_maybe_confirm(
                    user, run.pk, kept, version, confirm="confirm" in request.POST
                ),
            )
            if done:
                if done.status == PlanStatus.CONFIRMED:
                    booked = done.proposals.filter(booking__isnull=False).count()
                    messages.success(
                        request, f"Plan confirmed: {booked} booking{'s' if booked != 1 else ''} made"
                    )
                else:
                    messages.success(request, "Changes saved")
                return redirect("unpaid_work:plan", plan_id=run.pk)
    named = [p.order.person.crn for p in review.proposals] + [o.person.crn for o, _ in review.unbooked]
    named += [o.person.crn for o, _, _ in review.refused]
    audit.record_read("placement plan", actor=user, obj=run, people=named)
    return render(
        request,
        "unpaid_work/plan.html",
        {
            "run": run,
            "review": review,
            "form": form,
            "bars": day_bars(review.days),
            "attribution": ATTRIBUTION,
            "steps": {t.name: t for t in PLAN_RUN.allowed(run, user)},
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _save_and_maybe_confirm(user: Any, run_id: int, kept: set[int], version: int, *, confirm: bool) -> Any:
    """Saving the kept proposals and confirming are one change: if confirming fails,
    the selection is not half-saved under a version the page no longer shows."""
    run = services.set_proposals_included(
        acting_user=user, run_id=run_id, included=kept, expected_version=version
    )
    if confirm:
        run = services.confirm_plan(acting_user=user, run_id=run_id, expected_version=run.version)
    return run


@MANAGE
@require_http_methods(["POST"])
def session_supervisors(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for(request.user, session_id)
    form = SupervisorsForm(request.POST, staff=supervisor_choices(session))
    done = None
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.assign_supervisors(
                acting_user=request.user,
                session_id=session.pk,
                staff_ids=form.cleaned_data["supervisors"],
                expected_version=form.cleaned_data["version"],
            ),
        )
    if done:
        messages.success(request, "Supervisors saved")
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "The supervisors could not be saved: " + "; ".join(problems))
    return redirect("unpaid_work:session", session_id=session.pk)


def supervisor_choices(session: Any) -> list[tuple[int, str]]:
    return [(s.pk, f"{s.forename} {s.surname}") for s in selectors.supervisors_for(session.project.pdu_id)]
