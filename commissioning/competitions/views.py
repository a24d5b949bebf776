"""Competition pages: the list, drafting, the competition with its next steps, and one
page per step. Each step's page (its form, button and service) names its transition in
the competition's lifecycle, which alone says when it is offered and to whom, so the
page's buttons and what the server accepts cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.competitions import forms as cf
from commissioning.competitions import selectors as comp_selectors
from commissioning.competitions import services as comp
from commissioning.competitions.lifecycle import COMPETITION
from commissioning.constants import CompetitionStatus, Criterion
from commissioning.models import Competition
from core.access import requires, signed_in
from core.forms import carry_version, run_service
from core.roles import Capability

S = CompetitionStatus


@dataclass(frozen=True)
class Step:
    """A step's page: ``name`` is its transition in ``COMPETITION``, which gives its title."""

    name: str
    submit: str
    form: Callable[[Any, Competition, Any], forms.Form]
    run: Callable[[Any, Competition, Any], Any]

    @property
    def title(self) -> str:
        return COMPETITION[self.name].label


def _bid_choices(c: Competition) -> list[tuple[int, str]]:
    return [(b.pk, f"{b.supplier.name}: £{b.price:,.2f}") for b in c.bids.select_related("supplier")]


# Steps that move the competition to another state name the version the manager saw; a
# supplier's question or bid, or an evaluator's mark, adds to it without changing it.
MOVES_THE_COMPETITION = frozenset(t.name for t in COMPETITION.transitions if t.target is not None)

STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step(
            "publish",
            "Publish",
            lambda u, c, d: cf.EmptyForm(d),
            lambda u, c, f: comp.publish(
                acting_user=u, competition_id=c.pk, expected_version=f.cleaned_data["version"]
            ),
        ),
        Step(
            "ask",
            "Send question",
            lambda u, c, d: cf.QuestionForm(d),
            lambda u, c, f: comp.ask(acting_user=u, competition_id=c.pk, question=f.cleaned_data["question"]),
        ),
        Step(
            "answer",
            "Publish answer",
            lambda u, c, d: cf.AnswerForm(
                d,
                questions=[
                    (q.pk, q.question[:100]) for q in c.clarifications.filter(answered_at__isnull=True)
                ],
            ),
            lambda u, c, f: comp.answer(
                acting_user=u, clarification_id=f.cleaned_data["clarification"], text=f.cleaned_data["text"]
            ),
        ),
        Step(
            "bid",
            "Submit bid",
            lambda u, c, d: cf.BidForm(d),
            lambda u, c, f: comp.submit_bid(acting_user=u, competition_id=c.pk, **f.cleaned_data),
        ),
        Step(
            "open-bids",
            "Open bids",
            lambda u, c, d: cf.EmptyForm(d),
            lambda u, c, f: comp.open_bids(
                acting_user=u, competition_id=c.pk, expected_version=f.cleaned_data["version"]
            ),
        ),
        Step(
            "score",
            "Save mark",
            lambda u, c, d: cf.MarkForm(d, bids=_bid_choices(c)),
            lambda u, c, f: comp.score(
                acting_user=u,
                bid_id=f.cleaned_data["bid"],
                criterion=Criterion(f.cleaned_data["criterion"]),
                mark=f.cleaned_data["mark"],
                comment=f.cleaned_data["comment"],
            ),
        ),
        Step(
            "moderate",
            "Save moderated mark",
            lambda u, c, d: cf.MarkForm(d, bids=_bid_choices(c)),
            lambda u, c, f: comp.moderate(
                acting_user=u,
                bid_id=f.cleaned_data["bid"],
                criterion=Criterion(f.cleaned_data["criterion"]),
                mark=f.cleaned_data["mark"],
                rationale=f.cleaned_data["comment"],
            ),
        ),
        Step(
            "award",
            "Decide the award and start standstill",
            lambda u, c, d: cf.EmptyForm(d),
            lambda u, c, f: comp.decide_award(
                acting_user=u, competition_id=c.pk, expected_version=f.cleaned_data["version"]
            ),
        ),
        Step(
            "contract",
            "Make the contract",
            lambda u, c, d: cf.EmptyForm(d),
            lambda u, c, f: comp.make_contract(
                acting_user=u, competition_id=c.pk, expected_version=f.cleaned_data["version"]
            ),
        ),
        Step(
            "rerun",
            "Run again",
            lambda u, c, d: cf.RerunForm(d),
            lambda u, c, f: comp.rerun(
                acting_user=u,
                competition_id=c.pk,
                expected_version=f.cleaned_data["version"],
                reason=f.cleaned_data["reason"],
                bid_deadline=cf.end_of(f.cleaned_data["bid_deadline"]),
                clarification_deadline=cf.end_of(f.cleaned_data["clarification_deadline"]),
            ),
        ),
        Step(
            "direct-award",
            "Make the direct award",
            lambda u, c, d: cf.DirectAwardForm(d),
            lambda u, c, f: comp.direct_award(
                acting_user=u,
                competition_id=c.pk,
                expected_version=f.cleaned_data["version"],
                supplier_id=f.cleaned_data["supplier"].pk,
                value=f.cleaned_data["value"],
                reason=f.cleaned_data["reason"],
            ),
        ),
    )
}


@signed_in
def competition_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    commissioner = comp_selectors.commissioner_for(user)
    found = comp_selectors.competitions_for(user).select_related("lead", "category").order_by("-bid_deadline")
    return render(
        request, "commissioning/competitions.html", {"competitions": found, "commissioner": commissioner}
    )


@signed_in
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest) -> HttpResponse:
    commissioner = comp_selectors.commissioner_for(request.user)
    if commissioner is None:
        raise Http404
    form = cf.EmptyForm(request.POST or None)
    signed = (
        run_service(form, lambda: comp.sign_user_agreement(acting_user=request.user))
        if request.method == "POST" and form.is_valid()
        else None
    )
    if signed is not None:
        messages.success(request, "User agreement signed: you can now commission through the framework")
        return redirect("commissioning:competitions")
    return render(request, "commissioning/agreement.html", {"commissioner": commissioner, "form": form})


def _evaluator_choices() -> list[tuple[int, str]]:
    panel = comp_selectors.evaluator_panel()
    return [(u.pk, f"{u.get_full_name() or u.username} ({u.roles_display})") for u in panel]


@signed_in
@require_http_methods(["GET", "POST"])
def competition_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if comp_selectors.commissioner_for(user) is None:
        raise Http404
    form = cf.CompetitionForm(
        request.POST or None,
        evaluators=_evaluator_choices(),
        initial={
            "minimum_age": 18,
            "quality_weight": 60,
            "price_weight": 30,
            "social_value_weight": 10,
            "allows_female": True,
            "allows_male": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: comp.create_competition(
                acting_user=user,
                partners=form.partners(),
                evaluator_ids=form.cleaned_data["evaluators"],
                **form.competition_fields(),
            ),
        )
        if created:
            messages.success(request, f"Draft {created.reference} saved")
            return redirect("commissioning:competition", competition_id=created.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Draft a call-off competition",
            "submit": "Save draft",
            "back_url": reverse("commissioning:competitions"),
        },
        status=400 if form.errors else 200,
    )


@signed_in
def competition_detail(request: HttpRequest, competition_id: int) -> HttpResponse:
    user: Any = request.user
    competition = comp_selectors.get_competition_for(user, competition_id)
    bids = list(comp_selectors.bids_visible_to(user, competition))
    manager = comp_selectors.can_manage(user, competition)
    ranked = (
        comp_selectors.ranking(competition)
        if manager and competition.status not in {S.PUBLISHED, S.DRAFT}
        else []
    )
    by_id = {b.pk: b for b in bids}
    return render(
        request,
        "commissioning/competition.html",
        {
            "c": competition,
            "steps": [STEPS[t.name] for t in COMPETITION.allowed(competition, user)],
            "bids": bids,
            "ranked": [(r, by_id.get(r.bid)) for r in ranked],
            "own_scores": comp_selectors.own_scores(user, competition),
            "manager": manager,
            "clarifications": competition.clarifications.filter(answered_at__isnull=False)
            if not manager
            else competition.clarifications.all(),
            "invited": comp_selectors.invitations_visible_to(user, competition),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def competition_step(request: HttpRequest, competition_id: int, step: str) -> HttpResponse:
    user: Any = request.user
    competition = comp_selectors.get_competition_for(user, competition_id)
    found = STEPS.get(step)
    if found is None or not COMPETITION.can(competition, found.name, user):
        raise Http404
    form = found.form(user, competition, request.POST or None)
    if found.name in MOVES_THE_COMPETITION:
        carry_version(form, competition)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: found.run(user, competition, form))
    ):
        messages.success(request, f"{found.title}: done")
        return redirect("commissioning:competition", competition_id=competition.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": found.title,
            "submit": found.submit,
            "back_url": reverse("commissioning:competition", args=[competition.pk]),
            "caption": f"{competition.reference}: {competition.title}",
        },
        status=400 if form.errors else 200,
    )


@requires(Capability.MANAGE_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def commissioners(request: HttpRequest) -> HttpResponse:
    """Who may commission, whether each has signed the user agreement, and adding one."""
    form = cf.CommissionerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = run_service(
            form, lambda: comp.add_commissioner(acting_user=request.user, **form.cleaned_data)
        )
        if added:
            messages.success(
                request, f"{added.name} added: it can commission once it signs the user agreement"
            )
            return redirect("commissioning:commissioners")
    return render(
        request,
        "commissioning/commissioners.html",
        {"form": form, "commissioners": comp_selectors.commissioners_listed()},
        status=400 if form.errors else 200,
    )
