"""Risk's part of the person overview (see ``core.case_view``): the tier and why, RoSH,
MAPPA, predictors and registrations, the tier history on the timeline, and the buttons
to record an assessment or a registration. Registered by ``RiskConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.case_view import (
    CASE_ACTIONS,
    CASE_PANELS,
    TIMELINE_SOURCES,
    CaseAction,
    CasePanel,
    Region,
    TimelineEntry,
    TimelineSource,
)
from core.roles import Capability
from risk.models import MappaRecord, Registration, RiskAssessment, TierCalculation


def _risk(person: Any) -> Mapping[str, Any]:
    open_now = Q(ends_on__isnull=True) | Q(ends_on__gt=timezone.localdate())
    return {
        "tier": TierCalculation.objects.filter(person=person).order_by("-calculated_at", "-id").first(),
        "assessment": RiskAssessment.objects.filter(person=person).order_by("-completed_on", "-id").first(),
        "registrations": list(Registration.objects.filter(open_now, person=person)),
        "mappa": MappaRecord.objects.filter(open_now, person=person).first(),
    }


def _tier_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    for t in TierCalculation.objects.filter(person=person).order_by("-calculated_at")[:limit]:
        yield TimelineEntry(
            t.calculated_at, "tier", f"Tier {t.tier} ({t.legacy_tier})", t.trigger, tag="Tier"
        )


def register() -> None:
    CASE_PANELS.register(CasePanel("risk", 10, Region.MAIN, "risk/case/risk.html", _risk))
    CASE_ACTIONS.register(
        CaseAction(
            "record-assessment",
            50,
            "Record a risk assessment",
            "risk:assessment_new",
            Capability.MANAGE_CASES,
        )
    )
    CASE_ACTIONS.register(
        CaseAction(
            "add-registration", 60, "Add a registration", "risk:registration_new", Capability.MANAGE_CASES
        )
    )
    TIMELINE_SOURCES.register(TimelineSource("tiers", 40, _tier_entries))
