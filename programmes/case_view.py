"""Programmes' part of the person overview (see ``core.case_view``): the current
Programme Needs Identifier with its reasons, the person's programme referrals (state,
next session, alerts), and the PNI's changes on the timeline.
Registered by ``ProgrammesConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from core.case_view import CASE_PANELS, TIMELINE_SOURCES, CasePanel, Region, TimelineEntry, TimelineSource
from programmes import selectors
from programmes.constants import CLOSED_REFERRAL_STATUSES, ReferralStatus
from programmes.rules import referrals as referral_rules
from programmes.selectors import referrals as referral_selectors

DOMAIN_LABELS = {
    "sex": "Sex",
    "thinking": "Thinking",
    "relationships": "Relationships",
    "self_management": "Self-management",
}


def _programme_needs(person: Any) -> Mapping[str, Any]:
    """One query: the latest result, with its domain scores in a fixed order for the page."""
    pni = selectors.latest_programme_needs_of(person)
    domains = (
        [(label, (pni.domain_scores or {}).get(key)) for key, label in DOMAIN_LABELS.items()]
        if pni is not None and pni.domain_scores is not None
        else []
    )
    return {"pni": pni, "domains": domains}


def _programme_referrals(person: Any) -> Mapping[str, Any]:
    """One query: the referrals with their programme and next session. Each open one
    carries its alerts: cannot finish in time, suitable but not ready, deprioritised."""
    today = timezone.localdate()
    rows = []
    for referral in referral_selectors.referrals_of(person):
        is_open = referral.status not in CLOSED_REFERRAL_STATUSES
        programme = referral.programme
        left = referral_rules.time_left(
            today, referral.must_finish_by, programme.typical_weeks if programme else None
        )
        alerts = []
        if is_open and left.cannot_finish:
            alerts.append(
                f"Cannot finish in time: {left.weeks_left} weeks left, the programme takes {left.weeks_needed}"
            )
        if referral.status in (ReferralStatus.SUITABLE_NOT_READY, ReferralStatus.DEPRIORITISED):
            alerts.append(referral.get_status_display())
        rows.append({"referral": referral, "open": is_open, "alerts": alerts})
    return {"referrals": rows}


def _pni_entries(person: Any, limit: int) -> Iterable[TimelineEntry]:
    for row in selectors.programme_needs_history_of(person, limit):
        yield TimelineEntry(
            row.calculated_at,
            "programme-needs",
            f"Programme needs: {row.get_pathway_display().split(' (')[0].lower()}",
            row.trigger,
            tag="Programmes",
        )


def register() -> None:
    CASE_PANELS.register(
        CasePanel(
            "programme-needs", 15, Region.MAIN, "programmes/case/programme_needs.html", _programme_needs
        )
    )
    CASE_PANELS.register(
        CasePanel(
            "programme-referrals",
            16,
            Region.MAIN,
            "programmes/case/programme_referrals.html",
            _programme_referrals,
        )
    )
    TIMELINE_SOURCES.register(TimelineSource("programme-needs", 45, _pni_entries))
