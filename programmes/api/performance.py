"""The programmes API: commencement figures for a region (aggregates, no person named)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from audit import services as audit
from core.api import api_requires, api_user
from core.replicas import reads_from_replica
from core.roles import Capability
from programmes.rules.performance import Commencement
from programmes.selectors.performance import commencement_report_for, region_for

router = Router(tags=["Programmes"])


class QuarterOut(Schema):
    quarter: str = Field(description="Financial quarter the clock started in, e.g. 2026/27 Q2")
    counts: dict[Commencement, int] = Field(description="Referrals by outcome against the target")
    total: int
    percent_in_time: int | None = Field(description="Of the settled referrals, the share started in time")


class ReasonOut(Schema):
    reason: str = Field(description="The coded reason it closed without starting; empty when none was given")
    count: int


class CommencementsByPduOut(Schema):
    pdu: str
    counts: dict[Commencement, int]


class CommencementsOut(Schema):
    region: str
    target_weeks: int = Field(description="Weeks from sentence (release, for a licence) the target allows")
    quarters: list[QuarterOut]
    non_commencement_reasons: list[ReasonOut]
    pdus: list[CommencementsByPduOut]


@router.get(
    "/programme-commencements",
    response=CommencementsOut,
    summary="Programme commencements in a region, by quarter, PDU and non-commencement reason",
    description=(
        "Referrals opened by a programme requirement or licence condition over the last two years, "
        "by whether they started within the target. `region` defaults to your own; a region outside "
        "your geography answers 404."
    ),
)
@api_requires(Capability.VIEW_INSIGHTS)
@reads_from_replica
def programme_commencements(request: HttpRequest, region: str = "") -> CommencementsOut:
    user = api_user(request)
    chosen = region_for(user, region)
    figures, weeks = commencement_report_for(user, chosen, timezone.localdate())
    audit.record_read("programme commencements", actor=user, obj=chosen, people=[])
    return CommencementsOut(
        region=chosen.pk,
        target_weeks=weeks,
        quarters=[
            QuarterOut(
                quarter=q.quarter,
                counts={o: q.counts[o] for o in Commencement},
                total=q.total,
                percent_in_time=q.percent_in_time,
            )
            for q in figures.quarters
        ],
        non_commencement_reasons=[ReasonOut(reason=code, count=n) for code, n in figures.reasons],
        pdus=[
            CommencementsByPduOut(pdu=pdu, counts={o: counts[o] for o in Commencement})
            for pdu, counts in figures.by_pdu
        ],
    )
