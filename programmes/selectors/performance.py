"""Reads for the commencement measure: the referrals of a region (within the user's
geography) as the facts ``programmes.rules.performance`` counts. Aggregates only: no
person is named, so the page records that it was seen, not whose cases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from core.policy import value_on
from core.scoping import geography_filter
from organisation.models import Pdu, Region
from programmes.constants import ReferralSource
from programmes.models import ProgrammeReferral
from programmes.rules.performance import CommencementReport, ReferralFacts, report

# How far back the measure looks: two years of quarters.
LOOKBACK_DAYS = 2 * 365


def regions_for(user: Any) -> QuerySet[Region]:
    """The regions a user may see figures for: their own, or every one for national users."""
    return (
        Region.objects.filter(
            geography_filter(user, region_path="id", pdu_path="pdus__id", team_path="pdus__teams__id")
        )
        .distinct()
        .order_by("name")
    )


def region_for(user: Any, wanted: str) -> Region:
    """The region asked for among those the user may see (404 otherwise), else the user's
    own, else the first they may see (404 when none)."""
    regions = regions_for(user)
    region = regions.filter(pk=wanted).first() if wanted else None
    if wanted and region is None:
        raise Http404
    own = getattr(user, "staff", None)
    region = region or (regions.filter(pk=own.pdu.region_id).first() if own is not None else None)
    region = region or regions.first()
    if region is None:
        raise Http404
    return region


def commencement_facts(user: Any, region: Region, today: date) -> list[ReferralFacts]:
    """Each referral opened by a programme requirement or licence condition in the region
    whose clock started in the look-back: the sentence date for a requirement, the
    release date (else the sentence date) for a licence."""
    since = today - timedelta(days=LOOKBACK_DAYS)
    rows = ProgrammeReferral.objects.filter(
        pdu__in=Pdu.objects.filter(
            geography_filter(user, region_path="region_id", pdu_path="pk", team_path="teams__id")
        ),
        pdu__region=region,
        source__in=[ReferralSource.REQUIREMENT, ReferralSource.LICENCE_CONDITION],
        # A licence's clock starts at release, after sentence: look further back for those.
        event__sentenced_on__gte=since - timedelta(days=LOOKBACK_DAYS),
    ).values_list(
        "source",
        "event__sentenced_on",
        "event__sentence__released_on",
        "started_on",
        "closed_on",
        "status_reason",
        "pdu__name",
    )
    facts = []
    for source, sentenced_on, released_on, started_on, closed_on, reason, pdu in rows:
        clock = released_on if source == ReferralSource.LICENCE_CONDITION and released_on else sentenced_on
        if clock < since:
            continue
        facts.append(
            ReferralFacts(
                clock_from=clock,
                started_on=started_on,
                closed=closed_on is not None,
                reason=reason if started_on is None and closed_on is not None else "",
                pdu=pdu,
            )
        )
    return facts


def commencement_report_for(user: Any, region: Region, today: date) -> tuple[CommencementReport, int]:
    """The region's figures with the target in force today, in weeks."""
    weeks = value_on("programme_commencement_weeks", today)
    return report(commencement_facts(user, region, today), weeks=weeks, today=today), weeks
