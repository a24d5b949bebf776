"""Pages of a programme referral: the practitioner refers; the Programmes team assesses,
keeps the facts a group needs and moves the referral on; the waitlist per PDU; the
Partner Link Worker's contacts (PARTNER_SAFETY only).

Every referral is reached through ``selectors.get_referral_for`` (404 when its person
is out of the user's scope) and every page that shows case data is an audited read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import services as audit
from core.access import requires
from core.csv_safe import safe_writer
from core.forms import run_service
from core.pages import form_page
from core.roles import Capability
from people.pages import person_form_page
from people.selectors import get_person_for
from programmes.constants import WAITLIST_STATUSES, PathwayChoice, ReferralStatus
from programmes.forms.referrals import (
    WEEKDAYS,
    AvailabilityForm,
    LdcOverrideForm,
    NonAssociationForm,
    PartnerContactForm,
    ReferForm,
    StepForm,
    SuitabilityForm,
)
from programmes.lifecycle import REFERRAL
from programmes.models import ProgrammeReferral
from programmes.rules import referrals as rules
from programmes.selectors import latest_programme_needs_of
from programmes.selectors import referrals as selectors
from programmes.services import referrals as services

VIEW = requires(Capability.VIEW_CASES)
MANAGE = requires(Capability.MANAGE_PROGRAMMES)
# The Programmes team (MANAGE_PROGRAMMES) and facilitators read the waitlist: every role
# that manages programmes also delivers them (core.roles), so one capability covers both.
WAITLIST = requires(Capability.DELIVER_PROGRAMMES)

# The pathway's short name (its label without the explanation in brackets).
PATHWAY_LABELS = {value: label.split(" (")[0] for value, label in PathwayChoice.choices}

# The steps with a form on these pages; the group pages take the rest.
PAGE_STEPS = frozenset({"assess", *services.REASONED_STEPS})


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def time_left_of(referral: ProgrammeReferral) -> rules.TimeLeft:
    programme = referral.programme
    return rules.time_left(
        timezone.localdate(), referral.must_finish_by, programme.typical_weeks if programme else None
    )


def _detail_url(referral: ProgrammeReferral) -> str:
    return reverse("programmes:referral", args=[referral.pk])


def _caption(referral: ProgrammeReferral) -> str:
    return (
        f"{referral.person.full_name} ({referral.person.crn}): {referral.programme or 'programme not chosen'}"
    )


def _programme_choices(person: Any) -> list[tuple[int, str]]:
    return [
        (p.pk, f"{p.name} ({p.get_kind_display().lower()})")
        for p in selectors.programmes_taking_referrals(timezone.localdate())
        if rules.suits_sex(men=p.men, women=p.women, sex=person.sex)
    ]


# --- The practitioner refers ------------------------------------------------------------------


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_person_for(request.user, crn)
    events = selectors.live_events_of(person)
    requirements = selectors.referable_requirements_of(person)
    form = ReferForm(
        _posted(request),
        events=[(e.pk, f"Event {e.number}: {e.sentence.get_disposal_type_display()}") for e in events],
        programmes=_programme_choices(person),
        requirements=[
            (
                r.pk,
                f"Event {r.sentence.event.number}: {r.get_type_display()} (ends {r.expected_end_on:%-d %B %Y})",
            )
            for r in requirements
        ],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = run_service(
            form,
            lambda: services.refer(
                acting_user=request.user,
                person=person,
                event_id=d["event"],
                programme_id=d["programme"],
                requirement_id=d["requirement"],
            ),
        )
        if referral:
            return redirect("programmes:referral_referred", programme_referral_id=referral.pk)
    return person_form_page(
        request,
        form,
        person,
        "Refer to a programme",
        "Make the referral",
        intro="" if events else "This person has no current sentence to refer under.",
    )


@VIEW
def referral_referred(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    """The confirmation: what was referred and whether the person can finish in time."""
    referral = selectors.get_referral_for(request.user, programme_referral_id)
    audit.record_read("programme referral", actor=request.user, person=referral.person, obj=referral)
    return render(
        request,
        "programmes/referrals/referred.html",
        {"referral": referral, "time_left": time_left_of(referral)},
    )


# --- The referral -----------------------------------------------------------------------------


@VIEW
def referral_detail(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    user: Any = request.user
    referral = selectors.get_referral_for(user, programme_referral_id)
    audit.record_read("programme referral", actor=user, person=referral.person, obj=referral)
    membership = selectors.current_membership_of(referral)
    partner_safety = user.has_capability(Capability.PARTNER_SAFETY)
    preferred, impossible = selectors.offices_of(referral)
    slots = selectors.availability_of(referral)
    return render(
        request,
        "programmes/referrals/detail.html",
        {
            "referral": referral,
            "time_left": time_left_of(referral),
            "weeks_waiting": rules.weeks_waiting(referral.referred_on, timezone.localdate()),
            "pni": latest_programme_needs_of(referral.person),
            "steps": [t for t in REFERRAL.allowed(referral, user) if t.name in PAGE_STEPS],
            "membership": membership,
            "may_see_groups": user.has_capability(Capability.DELIVER_PROGRAMMES),
            "group_steps": _group_steps(referral, membership, user),
            "history": selectors.history_of(referral),
            "ldc_scores": selectors.ldc_scores_of(referral),
            "availability": [f"{WEEKDAYS[day]} {part.lower()}" for day, part in slots],
            "preferred_offices": preferred,
            "impossible_offices": impossible,
            "non_associations": selectors.non_associations_of(referral, user),
            "can_manage": user.has_capability(Capability.MANAGE_PROGRAMMES) and referral.closed_on is None,
            "partner_work": partner_safety and services.has_partner_link_work(referral.programme),
            "partner_contacts": selectors.partner_contacts_of(referral, user) if partner_safety else [],
        },
    )


def _group_steps(referral: ProgrammeReferral, membership: Any, user: Any) -> list[tuple[str, str]]:
    """The group's steps the table offers now, as links to the group pages that take them:
    joining is done from a group (which checks its size, sex and non-associations), leaving
    from the member's row."""
    allowed = {t.name for t in REFERRAL.allowed(referral, user)}
    links = []
    if "schedule" in allowed:
        links.append((REFERRAL["schedule"].label, reverse("programmes:groups") + "?status=FORMING"))
    if membership is not None:
        for step, url_name in (("unschedule", "group_member_remove"), ("deselect", "group_member_deselect")):
            if step in allowed:
                url = reverse(f"programmes:{url_name}", args=[membership.group_id, membership.pk])
                links.append((REFERRAL[step].label, url))
    return links


def _assess(request: HttpRequest, referral: ProgrammeReferral) -> HttpResponse:
    user: Any = request.user
    form = SuitabilityForm(
        _posted(request),
        programmes=_programme_choices(referral.person),
        initial={"version": referral.version, "programme": referral.programme_id},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.assess(
                acting_user=user,
                referral_id=referral.pk,
                outcome=services.SuitabilityInput(
                    suitability=d["suitability"],
                    reasons=d["suitability_reasons"],
                    programme_id=d["programme"],
                    reason=d["reason"],
                    note=d["note"],
                ),
                expected_version=d["version"],
            ),
        )
        if done:
            messages.success(request, f"Assessment recorded: {done.get_status_display().lower()}")
            return redirect(_detail_url(referral))
    audit.record_read("programme referral form: assessment", actor=user, person=referral.person, obj=referral)
    ldc = selectors.latest_ldc_assessed(referral.person)
    return form_page(
        request,
        form,
        REFERRAL["assess"].label,
        "Save the assessment",
        _detail_url(referral),
        template="programmes/referrals/step_form.html",
        caption=_caption(referral),
        intro=(
            f"LDC score on the latest risk assessment: {ldc if ldc is not None else 'not recorded'}. "
            "It is kept with the referral when you save; override it from the referral page."
        ),
    )


@VIEW
@require_http_methods(["GET", "POST"])
def referral_step(request: HttpRequest, programme_referral_id: int, referral_step: str) -> HttpResponse:
    """One step's form. A step this page does not build, or that the user may not take,
    answers 404; one not possible in the referral's state sends them back with why."""
    user: Any = request.user
    step = referral_step
    referral = selectors.get_referral_for(user, programme_referral_id)
    if step not in PAGE_STEPS or not REFERRAL[step].permits(user, referral):
        raise Http404
    if not REFERRAL.can(referral, step, user):
        messages.error(request, f"{REFERRAL[step].label} is not possible now: the referral has moved on")
        return redirect(_detail_url(referral))
    if step == "assess":
        return _assess(request, referral)
    form = StepForm(_posted(request), step=step, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.take_step(
                acting_user=user,
                referral_id=referral.pk,
                step=step,
                reason=d["reason"],
                note=d["note"],
                expected_version=d["version"],
            ),
        )
        if done:
            messages.success(request, f"{REFERRAL[step].label}: done")
            return redirect(_detail_url(referral))
    audit.record_read(
        f"programme referral form: {REFERRAL[step].label}", actor=user, person=referral.person, obj=referral
    )
    return form_page(
        request,
        form,
        REFERRAL[step].label,
        REFERRAL[step].label,
        _detail_url(referral),
        template="programmes/referrals/step_form.html",
        caption=_caption(referral),
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def referral_ldc(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, programme_referral_id)
    form = LdcOverrideForm(_posted(request), initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.override_ldc(
                acting_user=request.user,
                referral_id=referral.pk,
                score=d["score"],
                reason=d["reason"],
                expected_version=d["version"],
            ),
        ):
            messages.success(request, "LDC score overridden")
            return redirect(_detail_url(referral))
    audit.record_read(
        "programme referral form: LDC score", actor=request.user, person=referral.person, obj=referral
    )
    return form_page(
        request,
        form,
        "Override the LDC score",
        "Save the score",
        _detail_url(referral),
        caption=_caption(referral),
        intro=f"The score in force is {referral.ldc_score if referral.ldc_score is not None else 'not recorded'}.",
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def referral_availability(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, programme_referral_id)
    preferred, impossible = selectors.offices_of(referral)
    form = AvailabilityForm(
        _posted(request),
        offices=[
            (o.pk, f"{o.name} ({o.pdu.name})")
            for o in selectors.delivery_offices_for(referral).select_related("pdu")
        ],
        initial={
            "version": referral.version,
            "availability": [f"{d}:{p}" for d, p in selectors.availability_of(referral)],
            "preferred_offices": [o.pk for o in preferred],
            "impossible_offices": [o.pk for o in impossible],
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.set_availability(
                acting_user=request.user,
                referral_id=referral.pk,
                slots=form.slots(),
                preferred_office_ids=d["preferred_offices"],
                impossible_office_ids=d["impossible_offices"],
                expected_version=d["version"],
            ),
        ):
            messages.success(request, "Availability and offices saved")
            return redirect(_detail_url(referral))
    audit.record_read(
        "programme referral form: availability", actor=request.user, person=referral.person, obj=referral
    )
    return form_page(
        request,
        form,
        "Availability and delivery offices",
        "Save",
        _detail_url(referral),
        caption=_caption(referral),
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def referral_non_association(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, programme_referral_id)
    form = NonAssociationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.add_non_association(
                acting_user=request.user,
                referral_id=referral.pk,
                other_person=selectors.person_by_crn(request.user, d["crn"]),
                reason=d["reason"],
            ),
        ):
            messages.success(request, "Non-association recorded")
            return redirect(_detail_url(referral))
    audit.record_read(
        "programme referral form: non-association", actor=request.user, person=referral.person, obj=referral
    )
    return form_page(
        request,
        form,
        "Record a non-association",
        "Record it",
        _detail_url(referral),
        caption=_caption(referral),
        intro="The two people will never be put in the same group. It holds both ways.",
    )


@requires(Capability.PARTNER_SAFETY)
@require_http_methods(["GET", "POST"])
def partner_contact_new(request: HttpRequest, programme_referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, programme_referral_id)
    if not services.has_partner_link_work(referral.programme):
        raise Http404
    form = PartnerContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            lambda: services.record_partner_contact(
                acting_user=request.user,
                referral_id=referral.pk,
                contacted_on=d["contacted_on"],
                method=d["method"],
                safety_concern=d["safety_concern"],
                notes=d["notes"],
            ),
        ):
            messages.success(request, "Partner contact recorded")
            return redirect(_detail_url(referral))
    audit.record_read(
        "programme referral form: partner contact", actor=request.user, person=referral.person, obj=referral
    )
    return form_page(
        request,
        form,
        "Record a contact with the partner",
        "Record the contact",
        _detail_url(referral),
        caption=_caption(referral),
    )


# --- The waitlist -----------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _waitlist(request: HttpRequest) -> dict[str, Any]:
    """The PDU chosen (the user's own when in scope, else the first), the states and the
    programme filtered on, and the rows (a queryset, not yet read)."""
    user: Any = request.user
    pdus = list(selectors.waitlist_pdus(user))
    ids = [p.pk for p in pdus]
    own = user.staff.pdu_id if getattr(user, "staff", None) else None
    chosen = _int(request.GET.get("pdu"))
    pdu_id = chosen if chosen in ids else own if own in ids else (ids[0] if ids else None)
    status = request.GET.get("status", "")
    statuses: list[str] = [status] if status in ReferralStatus.values else sorted(WAITLIST_STATUSES)
    programme_id = _int(request.GET.get("programme"))
    rows = selectors.waitlist(user, pdu_id=pdu_id, statuses=statuses, programme_id=programme_id)
    return {
        "pdus": pdus,
        "pdu_id": pdu_id,
        "status": status if status in ReferralStatus.values else "",
        "statuses": ReferralStatus.choices,
        "programme_id": programme_id,
        "programmes": list(selectors.waitlist_programmes()),
        "rows": rows,
    }


def waitlist_row(referral: ProgrammeReferral, today: Any) -> dict[str, Any]:
    programme = referral.programme
    left = rules.time_left(today, referral.must_finish_by, programme.typical_weeks if programme else None)
    pathway = getattr(referral, "pathway", "") or ""
    return {
        "referral": referral,
        "pathway": pathway,
        "pathway_label": PATHWAY_LABELS.get(pathway, "Not calculated"),
        "weeks_left": left.weeks_left,
        "weeks_waiting": rules.weeks_waiting(referral.referred_on, today),
        "cannot_finish": left.cannot_finish,
    }


@WAITLIST
def waitlist(request: HttpRequest) -> HttpResponse:
    found = _waitlist(request)
    page = Paginator(found.pop("rows"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [waitlist_row(r, today) for r in page.object_list]
    audit.record_read(
        "programme waitlist",
        actor=request.user,
        people=[r["referral"].person.crn for r in rows],
        count=page.paginator.count,
    )
    return render(
        request,
        "programmes/referrals/waitlist.html",
        {**found, "page_obj": page, "waitlist": rows, "query": request.GET.urlencode()},
    )


CSV_COLUMNS = (
    "CRN",
    "Name",
    "PNI pathway",
    "Programme",
    "State",
    "Referred on",
    "Must finish by",
    "Weeks left",
    "Weeks waiting",
    "Cannot finish in time",
)


@WAITLIST
def waitlist_csv(request: HttpRequest) -> HttpResponse:
    """The same list as the page (same scope and filters), every row, as CSV."""
    found = _waitlist(request)
    today = timezone.localdate()
    rows = [waitlist_row(r, today) for r in found["rows"]]
    audit.record_read(
        "programme waitlist (download)",
        actor=request.user,
        people=[r["referral"].person.crn for r in rows],
        count=len(rows),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-waitlist-{today:%Y-%m-%d}.csv"'
    writer = safe_writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        referral = row["referral"]
        writer.writerow(
            [
                referral.person.crn,
                referral.person.full_name,
                row["pathway_label"],
                str(referral.programme or ""),
                referral.get_status_display(),
                f"{referral.referred_on:%Y-%m-%d}",
                f"{referral.must_finish_by:%Y-%m-%d}",
                row["weeks_left"],
                row["weeks_waiting"],
                {True: "Yes", False: "No", None: "Unknown"}[row["cannot_finish"]],
            ]
        )
    return response
