"""The one place referrals are read: providers see only referrals to contracts their
organisation holds or is a named subcontractor on; probation staff see referrals for the people they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User, holding
from core.roles import Capability, Role
from people.selectors import people_visible_to
from referrals import rules
from referrals.models import Referral


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    if user.has_capability(Capability.DELIVER_SERVICES):
        if user.organisation_id is None:
            return Referral.objects.none()
        # As in Refer and Monitor: the prime provider's staff, and the staff of any
        # subcontractor the contract names, work the contract's referrals.
        organisation = user.organisation_id
        return Referral.objects.filter(
            Q(contract__supplier__organisation_id=organisation)
            | Q(contract__subcontractors__organisation_id=organisation)
        ).distinct()
    if user.has_capability(Capability.VIEW_CASES):
        return Referral.objects.filter(person__in=people_visible_to(user))
    return Referral.objects.none()


def caseworkers_for(referral: Referral) -> QuerySet[Any]:
    """Who may be the referral's caseworker: active provider staff of the prime provider
    or of a subcontractor the contract names (as Refer and Monitor allows)."""
    contract = referral.contract
    organisations = {contract.supplier.organisation_id} | set(
        contract.subcontractors.values_list("organisation_id", flat=True)
    )
    organisations.discard(None)
    return User.objects.filter(holding(Role.PROVIDER), organisation_id__in=organisations, is_active=True)


def with_details(found: QuerySet[Referral]) -> QuerySet[Referral]:
    """Everything a referral's full record shows loaded up front, so a list of them costs
    the same number of queries however many there are."""
    return found.select_related("person", "contract__supplier", "end_of_service_report").prefetch_related(
        "desired_outcomes", "action_plans", "sessions", "end_of_service_report__results"
    )


def get_referral_for(user: Any, referral_id: int) -> Referral:
    found = (
        referrals_visible_to(user)
        .select_related("person", "contract__supplier", "category", "caseworker", "practitioner")
        .filter(pk=referral_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def progress_of(referral: Referral) -> rules.Progress:
    plans = [p for p in referral.action_plans.all() if p.returned_at is None]  # sent-back plans are history
    approved = next((p for p in reversed(plans) if p.approved_at), None)
    sessions = list(referral.sessions.all())
    return rules.Progress(
        assigned=referral.caseworker_id is not None,
        assessment_booked=referral.assessment_at is not None,
        assessed=referral.assessed_on is not None,
        plan_submitted=bool(plans) and plans[-1].approved_at is None,
        plan_approved=approved is not None,
        planned_sessions=approved.number_of_sessions if approved else 0,
        sessions_recorded=len(sessions),
        sessions_attended=sum(s.attendance in ("YES", "LATE") for s in sessions),
        report_submitted=hasattr(referral, "end_of_service_report"),
        withdrawn=referral.withdrawn_at is not None,
    )
