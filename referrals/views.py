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
from commissioning import selectors as commissioning
from core.access import requires, signed_in
from core.forms import carry_version, run_service
from core.roles import Capability
from people import selectors as people_selectors
from people.pages import person_form_page
from referrals import rules, selectors, services
from referrals.actions import ACTIONS, offered_to
from referrals.constants import ReferralStatus
from referrals.forms import ReferralForm
from referrals.lifecycle import REFERRAL


@requires(Capability.MANAGE_CASES)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, crn: str, contract_id: int) -> HttpResponse:
    """Refer a person to a service that is open to them (others answer 404)."""
    person = people_selectors.get_person_for(request.user, crn)
    choices = {c.contract.pk: c for c in commissioning.services_for(person, timezone.localdate()) if c.open}
    if contract_id not in choices:
        raise Http404
    contract = choices[contract_id].contract
    form = ReferralForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = run_service(
            form,
            lambda: services.send_referral(
                acting_user=request.user,
                person=person,
                contract_id=contract.pk,
                category=d["category"],
                complexity=d["complexity"],
                desired_outcome_ids=d["desired_outcomes"],
                max_rar_days=d["max_rar_days"],
                completion_deadline=d["completion_deadline"],
                risk_information=d["risk_information"],
                additional_information=d["additional_information"],
            ),
        )
        if referral:
            due = rules.assessment_due(timezone.localdate(referral.sent_at))
            messages.success(
                request,
                f"Referral {referral.reference} sent to {contract.supplier.name}. "
                f"They will assess {person.full_name} by {due:%-d %B %Y}.",
            )
            return redirect("referrals:detail", referral_id=referral.pk)
    return person_form_page(
        request,
        form,
        person,
        f"Refer to {contract.title}",
        "Send referral",
        intro=f"{contract.supplier.name}. {contract.eligibility}, {contract.geography_name}.",
    )


@signed_in
def referral_list(request: HttpRequest) -> HttpResponse:
    """Practitioners see their cases' referrals; a provider's staff see their organisation's."""
    user: Any = request.user
    found = selectors.referrals_visible_to(user)
    if not (user.has_capability(Capability.DELIVER_SERVICES) or user.has_capability(Capability.VIEW_CASES)):
        raise Http404
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        found = found.filter(status=status)
    mine = request.GET.get("mine") == "1"
    if mine:
        found = (
            found.filter(caseworker=user) if user.organisation_id else found.filter(practitioner=user.staff)
        )
    rows = found.select_related("person", "contract__supplier", "caseworker").order_by("-sent_at")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    audit.record_read(
        "referrals",
        actor=user,
        people=[r.person.crn for r in page.object_list],
        count=page.paginator.count,
    )
    return render(
        request,
        "referrals/list.html",
        {"page_obj": page, "statuses": ReferralStatus.choices, "status": status, "mine": mine},
    )


@signed_in
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user: Any = request.user
    referral = selectors.get_referral_for(user, referral_id)
    audit.record_read("referral", actor=user, person=referral.person, obj=referral)
    progress = selectors.progress_of(referral)
    sent_on = timezone.localdate(referral.sent_at)
    plans = list(referral.action_plans.all())
    sessions = list(referral.sessions.all())
    deadlines = {
        "assessment": rules.assessment_due(sent_on),
        "action_plan": rules.action_plan_due(referral.assessed_on) if referral.assessed_on else None,
        "report": rules.report_due(timezone.localdate(sessions[-1].happened_at))
        if sessions and progress.sessions_done
        else None,
    }
    report = getattr(referral, "end_of_service_report", None)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "progress": progress,
            "actions": offered_to(user, referral),
            "plans": plans,
            "sessions": sessions,
            "deadlines": deadlines,
            "report": report,
            "score": rules.achievement_score(r.rating for r in report.results.all()) if report else None,
            "outcomes": list(referral.desired_outcomes.all()),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def referral_action(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    """One step on a referral (see ``referrals.actions``); steps the user may not take,
    or that are not open now, answer 404 like a missing referral."""
    user: Any = request.user
    step = ACTIONS.get(action)
    referral = selectors.get_referral_for(user, referral_id)
    if step is None or not step.transition.permits(user, referral):
        raise Http404
    if not REFERRAL.can(referral, step.name, user):
        messages.error(request, f"{step.title} is not possible now: the referral has moved on")
        return redirect("referrals:detail", referral_id=referral.pk)
    form = step.form(referral, request.POST or None)
    carry_version(form, referral)  # every step changes the referral
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: step.run(user, referral, form))
    ):
        messages.success(request, f"{step.title}: done")
        return redirect("referrals:detail", referral_id=referral.pk)
    back = reverse("referrals:detail", args=[referral.pk])
    audit.record_read(f"referral form: {step.title}", actor=user, person=referral.person, obj=referral)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": step.title,
            "submit": step.submit,
            "back_url": back,
            "caption": f"Referral {referral.reference}: {referral.person.full_name}",
        },
        status=400 if form.errors else 200,
    )


@requires(Capability.VIEW_CASES)
def person_referrals(request: HttpRequest, crn: str) -> HttpResponse:
    person = people_selectors.get_person_for(request.user, crn)
    audit.record_read("referrals", actor=request.user, person=person)
    found = (
        selectors.referrals_visible_to(request.user)
        .filter(person=person)
        .select_related("contract__supplier")
    )
    return render(request, "referrals/person.html", {"person": person, "referrals": found})
