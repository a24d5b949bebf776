"""A practitioner takes a case from sentence to termination in the browser."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import assert_accessible, sign_in
from core.roles import Role
from organisation.models import Pdu
from organisation.tests.factories import StaffFactory, TeamFactory
from people.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_sentence_risk_appointment_warning_and_termination(live_server: Any, page: Any) -> None:
    team = TeamFactory(pdu=Pdu.objects.get(name="Nottingham City"))
    staff = StaffFactory(team=team, pdu=team.pdu, forename="Pat", surname="Kerr")
    user = UserFactory(username="pat.kerr", role=Role.PRACTITIONER, staff=staff)
    existing = PersonFactory(
        team=team, first_name="Jordan", last_name="Rivers", date_of_birth=date(1990, 3, 27)
    )
    base = live_server.url
    sign_in(page, base, user.username, TEST_PASSWORD)

    # Add the person; the service warns that someone with that name and birth date exists.
    page.goto(f"{base}/cases/new/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Rivers")
    page.get_by_label("Date of birth").fill("27/3/1990")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Add person").click()
    assert existing.crn in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("I have checked the possible matches").check()
    page.get_by_role("button", name="Add person").click()
    assert "created with CRN" in page.inner_text("main")
    assert_accessible(page)

    # Record a community order; first with unpaid work over the legal limit.
    page.get_by_role("link", name="Record a sentence").click()
    page.get_by_label("Court").fill("Nottingham Magistrates' Court")
    page.get_by_label("Conviction date").fill("12/1/2026")
    page.get_by_label("Sentence date").fill("12/1/2026")
    page.get_by_label("Main offence").fill("Theft from a shop")
    page.get_by_label("Offence category").select_option("THEFT")
    page.get_by_label("Offence date").fill("20/12/2025")
    page.get_by_label("Community order").check()
    page.get_by_label("Order length in months").fill("12")
    page.get_by_label("Requirement 1 (optional)", exact=True).select_option("UNPAID_WORK")
    page.get_by_label("Requirement 1 amount").fill("320")
    page.get_by_role("button", name="Save sentence").click()
    assert "between 40 and 300 hours" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Requirement 1 amount").fill("120")
    page.get_by_label("Requirement 2 (optional)", exact=True).select_option("RAR")
    page.get_by_label("Requirement 2 amount").fill("15")
    page.get_by_role("button", name="Save sentence").click()
    assert "Event 1 recorded" in page.inner_text("main")

    # A risk assessment sets the tier and explains it.
    page.get_by_role("link", name="Record a risk assessment").click()
    assert_accessible(page)
    page.get_by_label("Date completed").fill("20/1/2026")
    page.get_by_label("Risk of serious harm").select_option("MEDIUM")
    page.get_by_label("All reoffending predictor (OGRS4 %)").fill("80")
    page.get_by_label("All reoffending predictor type").select_option("DYNAMIC")
    page.get_by_label("Combined serious reoffending predictor (%)").fill("3.5")
    page.get_by_label("Combined serious reoffending predictor type").select_option("DYNAMIC")
    page.get_by_role("button", name="Save assessment").click()
    assert "Tier is now B" in page.inner_text("main")
    assert "combined serious reoffending" in page.get_by_test_id("tier-reasons").inner_text()
    assert_accessible(page)

    # An appointment last week that they missed: warn them.
    last_week = timezone.localdate() - timedelta(days=7)
    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_label("Type of appointment").select_option("SUPERVISION")
    page.get_by_label("Date").fill(last_week.strftime("%d/%m/%Y"))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Sentence this appointment is for").select_option(index=0)  # the only live event
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_role("link", name="Record the outcome").first.click()
    assert_accessible(page)
    page.get_by_label("Unacceptable absence").check()
    page.get_by_label("Notes").fill("Did not attend, no contact")
    page.get_by_role("button", name="Save outcome").click()
    assert page.title().startswith("Enforcement action")
    assert_accessible(page)
    page.get_by_label("Warning given").check()
    page.get_by_role("button", name="Record action").click()
    assert "Warning recorded" in page.inner_text("main")

    # The order is completed early for good progress.
    page.get_by_role("link", name="End sentence for event 1").click()
    page.get_by_label("End date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Reason").select_option("REVOKED_GOOD_PROGRESS")
    page.get_by_role("button", name="End sentence").click()
    assert "Sentence ended" in page.inner_text("main")
    assert "Not supervised" in page.inner_text(".moj-identity-bar")
    assert_accessible(page)
