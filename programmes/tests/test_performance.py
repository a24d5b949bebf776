"""Commencements: the measure at its boundaries, and the page, CSV and API by role and region."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.roles import Role
from organisation.models import Pdu
from people.tests.factories import PersonFactory
from programmes.constants import ReferralStatus, StatusReason
from programmes.models import ProgrammeReferral
from programmes.rules.performance import Commencement, ReferralFacts, commencement, quarter_of, report
from programmes.tests.factories import programme_referral

SENTENCED = date(2026, 6, 1)
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("started", "closed", "today", "expected"),
    [
        (
            SENTENCED + timedelta(days=84),
            False,
            TODAY,
            Commencement.IN_TIME,
        ),  # the 12th week's last day counts
        (SENTENCED + timedelta(days=85), False, TODAY, Commencement.LATE),
        (None, True, TODAY, Commencement.NEVER),
        (None, False, SENTENCED + timedelta(days=84), Commencement.WAITING),
        (None, False, SENTENCED + timedelta(days=85), Commencement.OVERDUE),
    ],
)
def test_a_start_within_twelve_weeks_is_in_time(
    started: Any, closed: bool, today: date, expected: Any
) -> None:
    facts = ReferralFacts(clock_from=SENTENCED, started_on=started, closed=closed)
    assert commencement(facts, weeks=12, today=today) is expected


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 3, 31), "2025/26 Q4"),
        (date(2026, 4, 1), "2026/27 Q1"),
        (date(2026, 6, 30), "2026/27 Q1"),
        (date(2026, 7, 1), "2026/27 Q2"),
        (date(2026, 12, 31), "2026/27 Q3"),
        (date(2027, 1, 1), "2026/27 Q4"),
    ],
)
def test_quarters_are_financial_quarters(day: date, quarter: str) -> None:
    assert quarter_of(day) == quarter


def test_the_report_counts_by_quarter_pdu_and_reason() -> None:
    facts = [
        ReferralFacts(SENTENCED, SENTENCED + timedelta(days=10), False, pdu="A"),
        ReferralFacts(SENTENCED, None, True, reason=StatusReason.NOT_ENOUGH_TIME, pdu="A"),
        ReferralFacts(SENTENCED, None, True, reason=StatusReason.NOT_ENOUGH_TIME, pdu="B"),
        ReferralFacts(date(2026, 10, 1), None, False, pdu="B"),
    ]
    figures = report(facts, weeks=12, today=TODAY)
    assert [q.quarter for q in figures.quarters] == ["2026/27 Q1", "2026/27 Q3"]
    first = figures.quarters[0]
    assert (first.counts[Commencement.IN_TIME], first.counts[Commencement.NEVER], first.percent_in_time) == (
        1,
        2,
        33,
    )
    assert figures.quarters[1].percent_in_time is None  # only one still in time: nothing settled
    assert figures.reasons == [(StatusReason.NOT_ENOUGH_TIME.value, 2)]
    assert [pdu for pdu, _ in figures.by_pdu] == ["A", "B"]


FROZEN = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/London"))


def _closed_without_starting(person: Any) -> ProgrammeReferral:
    referral = programme_referral(person, sentenced_on=date(2026, 7, 6))
    ProgrammeReferral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.WITHDRAWN, status_reason=StatusReason.NOT_MOTIVATED, closed_on=date(2026, 8, 1)
    )
    return referral


@time_machine.travel(FROZEN, tick=False)
def test_the_director_sees_their_region_as_chart_table_and_csv(make_user: Any, client_for: Any) -> None:
    rpd = make_user(Role.REGIONAL_DIRECTOR)
    _closed_without_starting(PersonFactory(pdu=rpd.staff.pdu, team=rpd.staff.team))
    client = client_for(rpd)
    page = client.get("/programmes/commencements/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Commencements by quarter" in html
    assert "Not motivated to take part" in html
    csv = client.get("/programmes/commencements/?format=csv").content.decode()
    assert csv.splitlines()[1].startswith("2026/27 Q2,0,0,0,0,1,1,0")


@time_machine.travel(FROZEN, tick=False)
def test_another_region_is_not_found_for_a_director(make_user: Any, client_for: Any) -> None:
    """Proved able to fail: with ``regions_for`` returning every region, this got 200."""
    rpd = make_user(Role.REGIONAL_DIRECTOR)
    other = Pdu.objects.exclude(region_id=rpd.staff.pdu.region_id).first()
    assert other is not None
    assert client_for(rpd).get(f"/programmes/commencements/?region={other.region_id}").status_code == 404
    assert client_for(rpd).get(f"/api/v1/programme-commencements?region={other.region_id}").status_code == 404


@time_machine.travel(FROZEN, tick=False)
def test_a_national_analyst_may_choose_any_region_through_the_api(make_user: Any, client_for: Any) -> None:
    analyst = make_user(Role.NATIONAL_ANALYST)
    person = PersonFactory()
    _closed_without_starting(person)
    answer = client_for(analyst).get(f"/api/v1/programme-commencements?region={person.pdu.region_id}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["target_weeks"] == 12
    assert body["quarters"][0]["counts"]["NEVER"] == 1
    assert body["non_commencement_reasons"] == [{"reason": "NOT_MOTIVATED", "count": 1}]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.FACILITATOR, Role.PROVIDER])
def test_roles_without_insight_are_refused(role: Role, make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(role))
    assert client.get("/programmes/commencements/").status_code in {403, 404}
    assert client.get("/api/v1/programme-commencements").status_code == 404
