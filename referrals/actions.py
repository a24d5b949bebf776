"""Every step a user can take on a referral, in one table: who may take it (the
capability), when it is offered, its form and the service it calls. The pages and
the referral's "what next" list both read this table, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from core.roles import Capability
from referrals import forms as referral_forms
from referrals import rules, services
from referrals.constants import ReferralStatus, WithdrawalReason
from referrals.models import Referral
from referrals.selectors import caseworkers_for

Progress = rules.Progress


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    submit: str
    capability: Capability
    offered: Callable[[Referral, Progress], bool]
    form: Callable[[Referral, Any], forms.Form]
    run: Callable[[Any, Referral, forms.Form], Any]


def _caseworkers(referral: Referral) -> list[tuple[int, str]]:

    staff = caseworkers_for(referral)
    return [(u.pk, u.get_full_name() or u.username) for u in staff.order_by("last_name", "first_name")]


def _open(referral: Referral) -> bool:
    return referral.status not in {
        ReferralStatus.COMPLETED,
        ReferralStatus.ENDED_EARLY,
        ReferralStatus.CANCELLED,
    }


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "assign",
            "Assign a caseworker",
            "Assign",
            Capability.DELIVER_SERVICES,
            lambda r, p: _open(r) and not p.assessed and not p.withdrawn,
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
            "Book the initial assessment",
            "Book assessment",
            Capability.DELIVER_SERVICES,
            lambda r, p: _open(r) and p.assigned and not p.assessed and not p.withdrawn,
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
            "Record the initial assessment",
            "Save assessment",
            Capability.DELIVER_SERVICES,
            lambda r, p: _open(r) and p.assessment_booked and not p.assessed and not p.withdrawn,
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
            "Submit the action plan",
            "Submit action plan",
            Capability.DELIVER_SERVICES,
            lambda r, p: (
                _open(r) and p.assessed and not p.plan_submitted and not p.plan_approved and not p.withdrawn
            ),
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
            "Review the action plan",
            "Save decision",
            Capability.MANAGE_CASES,
            lambda r, p: _open(r) and p.plan_submitted and not p.withdrawn,
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
            "Record a session",
            "Save session",
            Capability.DELIVER_SERVICES,
            lambda r, p: _open(r) and p.plan_approved and not p.sessions_done and not p.withdrawn,
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
            "Submit the end-of-service report",
            "Submit report",
            Capability.DELIVER_SERVICES,
            lambda r, p: r.status == ReferralStatus.AWAITING_REPORT,
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
            "Withdraw the referral",
            "Withdraw referral",
            Capability.MANAGE_CASES,
            lambda r, p: _open(r) and not p.withdrawn,
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


def offered_to(user: Any, referral: Referral, progress: Progress) -> list[Action]:
    return [
        a for a in ACTIONS.values() if user.has_capability(a.capability) and a.offered(referral, progress)
    ]
