"""Contract management figures: each measure at its boundary, and the pages, CSV and API."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core.roles import Role
from referrals.performance import ReferralFacts, measure, months_back
from referrals.tests.factories import send

TODAY = date(2026, 11, 22)


def facts(**overrides: Any) -> ReferralFacts:
    fields: dict[str, Any] = {
        "sent_on": date(2026, 11, 2),  # assessment due 16 November
        "assessed_on": None,
        "first_plan_on": None,
        "last_session_on": None,
        "report_on": None,
        "status": "SENT",
        "attendance": (),
        "ratings": (),
    }
    return ReferralFacts(**(fields | overrides))


def test_months_back_cross_the_year() -> None:
    assert months_back(date(2026, 2, 10), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_an_assessment_on_its_due_day_is_on_time_and_a_day_later_is_late() -> None:
    on_time = measure([facts(assessed_on=date(2026, 11, 16))], TODAY).assessment
    late = measure([facts(assessed_on=date(2026, 11, 17))], TODAY).assessment
    assert (on_time.due, on_time.on_time, late.on_time) == (1, 1, 0)


def test_deadlines_not_yet_reached_are_not_counted_and_missed_ones_are_late() -> None:
    waiting = measure([facts(sent_on=date(2026, 11, 20))], TODAY).assessment  # due 4 December
    missed = measure([facts()], TODAY).assessment  # due 16 November, still not done
    assert waiting.due == 0 and waiting.percent is None
    assert (missed.due, missed.on_time, missed.percent) == (1, 0, 0.0)


def test_action_plans_and_reports_are_measured_in_working_days() -> None:
    f = facts(
        assessed_on=date(2026, 11, 9),
        first_plan_on=date(2026, 11, 16),  # due 16 November: on time
        last_session_on=date(2026, 11, 13),
        report_on=date(2026, 11, 23),  # due 20 November: late
        status="COMPLETED",
    )
    figures = measure([f], TODAY)
    assert figures.action_plan.percent == 100.0 and figures.report.percent == 0.0


def test_volumes_attendance_outcomes_and_cost() -> None:
    figures = measure(
        [
            facts(
                status="COMPLETED",
                attendance=(("YES", None), ("LATE", None)),
                ratings=("ACHIEVED", "NOT_ACHIEVED"),
            ),
            facts(sent_on=date(2026, 10, 5), attendance=(("NO", True), ("NO", False))),
        ],
        TODAY,
        months=2,
        expected_per_month=3,
        value=Decimal("1000"),
    )
    assert figures.by_month == [(date(2026, 10, 1), 1), (date(2026, 11, 1), 1)]
    assert figures.attended_percent == 50.0 and figures.attendance["NO_UNACCEPTABLE"] == 1
    assert figures.achieved_percent == 50.0
    assert figures.cost_per_completed == Decimal("1000.00")
    assert measure([], TODAY, value=Decimal("1000")).cost_per_completed is None


@pytest.mark.django_db
def test_contract_management_pages_csv_and_api(
    world: dict[str, Any], client_for: Any, make_user: Any
) -> None:
    send(world)
    contract = world["contract"]
    contract.expected_referrals_per_month = 4
    contract.value = Decimal("120000")
    contract.save()
    rpd = client_for(make_user(Role.REGIONAL_DIRECTOR))
    region = contract.region_id
    page = rpd.get("/services/performance/", {"region": region})
    assert page.status_code == 200 and contract.title.encode() in page.content
    download = rpd.get("/services/performance/", {"region": region, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert download["Content-Type"].startswith("text/csv")
    assert rows[0]["reference"] == contract.reference and rows[0]["referrals"] == "1"
    detail = rpd.get(f"/services/contracts/{contract.pk}/performance/")
    assert detail.status_code == 200 and b"against the 4 expected" in detail.content
    api = rpd.get(f"/api/v1/commissioning/contracts/{contract.pk}/performance").json()
    assert api["referrals"] == 1 and api["by_month"][-1][1] == 1
    assert client_for(world["practitioner"]).get("/services/performance/").status_code == 404


@pytest.mark.django_db
def test_contract_csv_neutralises_formulas(world: dict[str, Any], client_for: Any, make_user: Any) -> None:
    """A supplier-chosen title beginning with ``=`` arrives as text, not a formula.

    Proved able to fail: writing with ``csv.writer`` instead of ``safe_writer`` turns it red."""
    send(world)
    contract = world["contract"]
    contract.title = '=HYPERLINK("http://evil.example","x")'
    contract.save()
    rpd = client_for(make_user(Role.REGIONAL_DIRECTOR))
    download = rpd.get("/services/performance/", {"region": contract.region_id, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())
    assert "'=HYPERLINK" in download.content.decode()
