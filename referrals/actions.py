"""The pages' half of each referral step: its form, its button and the service it
calls. When a step is offered and who may take it are the lifecycle's
(``referrals.lifecycle.REFERRAL``), read by name, so the pages, the API's
``next_steps`` and the services' guards cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from core.lifecycle import Transition
from referrals import forms as referral_forms
from referrals import services
from referrals.constants import WithdrawalReason
from referrals.lifecycle import REFERRAL
from referrals.models import Referral
from referrals.selectors import caseworkers_for


@dataclass(frozen=True)
class Action:
    """A step's page: ``name`` is its transition in the lifecycle, which gives its title."""

    name: str
    submit: str
    form: Callable[[Referral, Any], forms.Form]
    run: Callable[[Any, Referral, forms.Form], Any]

    @property
    def transition(self) -> Transition:
        return REFERRAL[self.name]

    @property
    def title(self) -> str:
        return self.transition.label


def _caseworkers(referral: Referral) -> list[tuple[int, str]]:
    staff = caseworkers_for(referral)
    return [(u.pk, u.get_full_name() or u.username) for u in staff.order_by("last_name", "first_name")]


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "assign",
            "Assign",
            lambda r, data: referral_forms.AssignForm(data, caseworkers=_caseworkers(r)),
            lambda user, r, f: services.assign_caseworker(
                acting_user=user,
                referral_id=r.pk,
                caseworker_id=f.cleaned_data["caseworker"],
                expected_version=f.cleaned_data["version"],
            ),
        ),
        Action(
            "book-assessment",
            "Book assessment",
            lambda r, data: referral_forms.BookAssessmentForm(data),
            lambda user, r, f: services.book_assessment(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                at=f.moment(),  # type: ignore[attr-defined]
            ),
        ),
        Action(
            "record-assessment",
            "Save assessment",
            lambda r, data: referral_forms.RecordAssessmentForm(data),
            lambda user, r, f: services.record_assessment(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                assessed_on=f.cleaned_data["assessed_on"],
                notes=f.cleaned_data["notes"],
            ),
        ),
        Action(
            "action-plan",
            "Submit action plan",
            lambda r, data: referral_forms.ActionPlanForm(data),
            lambda user, r, f: services.submit_action_plan(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                number_of_sessions=f.cleaned_data["number_of_sessions"],
                activities=f.cleaned_data["activities"],
            ),
        ),
        Action(
            "plan-decision",
            "Save decision",
            lambda r, data: referral_forms.PlanDecisionForm(data),
            lambda user, r, f: services.decide_action_plan(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                approve=f.cleaned_data["decision"] == "approve",
                comments=f.cleaned_data["comments"],
            ),
        ),
        Action(
            "session",
            "Save session",
            lambda r, data: referral_forms.SessionForm(data, initial={"number": r.sessions.count() + 1}),
            lambda user, r, f: services.record_session(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                number=f.cleaned_data["number"],
                happened_at=f.moment(),  # type: ignore[attr-defined]
                method=f.cleaned_data["method"],
                attendance=f.cleaned_data["attendance"],
                absence_acceptable=f.cleaned_data["absence_acceptable"],
                progress_notes=f.cleaned_data["progress_notes"],
                behaviour_notes=f.cleaned_data["behaviour_notes"],
            ),
        ),
        Action(
            "report",
            "Submit report",
            lambda r, data: referral_forms.ReportForm(data, outcomes=list(r.desired_outcomes.all())),
            lambda user, r, f: services.submit_report(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                ratings=f.ratings(),  # type: ignore[attr-defined]
                further_information=f.cleaned_data["further_information"],
            ),
        ),
        Action(
            "withdraw",
            "Withdraw referral",
            lambda r, data: referral_forms.WithdrawForm(data),
            lambda user, r, f: services.withdraw(
                acting_user=user,
                referral_id=r.pk,
                expected_version=f.cleaned_data["version"],
                reason=WithdrawalReason(f.cleaned_data["reason"]),
                comments=f.cleaned_data["comments"],
            ),
        ),
    )
}


def offered_to(user: Any, referral: Referral) -> list[Action]:
    """The steps this user may take on this referral now, in the lifecycle's order."""
    return [ACTIONS[t.name] for t in REFERRAL.allowed(referral, user)]
