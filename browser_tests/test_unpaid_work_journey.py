"""Community Payback in the browser: a public nomination becomes a project with sessions,
someone is booked and their attendance recorded. axe-core runs on every page."""

import time
from datetime import date, timedelta
from typing import Any

import pytest

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import assert_accessible, sign_in
from core import jobs
from core.business_days import is_business_day
from core.roles import Role
from organisation.models import Pdu
from organisation.tests.factories import StaffFactory, TeamFactory
from people.tests.factories import PersonFactory
from unpaid_work import services
from unpaid_work.models import UnpaidWorkOrder, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_nomination_to_recorded_attendance(live_server: Any, page: Any) -> None:
    base = live_server.url
    page.goto(f"{base}/community-payback/nominate/")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Morgan Lee")
    page.get_by_label("Email address").fill("morgan@example.org")
    page.get_by_label("What work needs doing?").fill(
        "The community garden needs clearing and new raised beds."
    )
    page.get_by_label("Where is it?").fill("Forest Road Community Garden")
    page.get_by_label("Postcode").fill("NG7 4EB")
    time.sleep(3.1)  # the form refuses instant submissions as spam
    page.get_by_role("button", name="Send nomination").click()
    assert "Nomination received" in page.inner_text("main")
    assert_accessible(page)

    team = TeamFactory(pdu=Pdu.objects.get(name="Nottingham City"))
    coordinator = UserFactory(
        username="una", role=Role.UNPAID_WORK, staff=StaffFactory(team=team, pdu=team.pdu)
    )
    order = upw_order(PersonFactory(team=team, pdu=team.pdu, first_name="Casey", last_name="Ward"))
    sign_in(page, base, coordinator.username, TEST_PASSWORD)
    page.get_by_role("link", name="Unpaid Work", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Nominations").click()
    assert_accessible(page)
    page.get_by_role("link", name="Accept and set up").click()
    page.get_by_label("Project name").fill("Forest Road garden")
    page.get_by_label("Beneficiary").fill("Forest Road Residents")
    page.get_by_label("Monday").check()
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("Finish time").fill("16:00")
    last_monday = date.today() - timedelta(days=date.today().weekday() or 7)
    while not is_business_day(last_monday):  # no sessions are generated on a bank holiday Monday
        last_monday -= timedelta(days=7)
    page.get_by_label("Start date").fill(last_monday.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Set up project").click()
    assert "Forest Road garden set up" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_label("From").fill(last_monday.strftime("%d/%m/%Y"))
    page.get_by_label("To").fill(last_monday.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Add sessions").click()
    assert "1 session added" in page.inner_text("main")
    session = WorkSession.objects.get(project__name="Forest Road garden")
    page.goto(f"{base}/unpaid-work/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_label("Person").select_option(str(order.pk))
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Casey Ward booked" in page.inner_text("main")
    page.get_by_label("Outcome").select_option("ATTENDED_COMPLIED")
    page.get_by_label("Finished").fill("15:00")
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance recorded for 1 person" in page.inner_text("main")
    assert_accessible(page)

    page.goto(f"{base}/unpaid-work/orders/{order.pk}/")
    assert "360 minutes" in page.get_by_test_id("upw-summary").inner_text()
    assert_accessible(page)


def test_a_coordinator_plans_and_confirms_a_fortnight(live_server: Any, page: Any) -> None:
    base = live_server.url
    team = TeamFactory(pdu=Pdu.objects.get(name="Nottingham City"))
    coordinator = UserFactory(
        username="una", role=Role.UNPAID_WORK, staff=StaffFactory(team=team, pdu=team.pdu)
    )
    StaffFactory(team=None, pdu=team.pdu, grade="UPW_SUPERVISOR", forename="Dev", surname="Patel")
    site = project(pdu=team.pdu, name="Canal towpath", capacity=2)
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    while not is_business_day(monday):  # no sessions are generated on a bank holiday Monday
        monday += timedelta(days=7)
    services.generate_sessions(acting_user=coordinator, project_id=site.pk, start=monday, end=monday)
    orders = []
    for first, last in (("Casey", "Ward"), ("Jordan", "Hale"), ("Robin", "Shaw")):
        order = upw_order(PersonFactory(team=team, pdu=team.pdu, first_name=first, last_name=last))
        orders.append(order)
    for order in orders[1:]:
        services.update_assessment(
            acting_user=coordinator,
            order_id=order.pk,
            expected_version=UnpaidWorkOrder.objects.get(pk=order.pk).version,
            assessed_on=date.today(),
            home_postcode="NG7 2RD",
        )

    sign_in(page, base, coordinator.username, TEST_PASSWORD)
    # The first person's assessment is recorded in the browser.
    page.goto(f"{base}/unpaid-work/orders/{orders[0].pk}/")
    page.get_by_label("Assessment date").fill(date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Home postcode").fill("NG3 1AE")
    page.get_by_role("button", name="Save assessment").click()
    assert "Assessment saved" in page.inner_text("main")

    page.goto(f"{base}/unpaid-work/projects/")
    page.get_by_role("link", name="Plan placements").click()
    assert_accessible(page)
    page.get_by_label("Last day").fill("")
    page.get_by_role("button", name="Propose bookings").click()
    assert "Enter the last day" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    page.get_by_label("First day").fill(monday.strftime("%d/%m/%Y"))
    page.get_by_label("Last day").fill((monday + timedelta(days=13)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Propose bookings").click()
    # The page answers at once with the job's progress; a worker would run it, the test
    # runs it here, and the page (polling the job's API) shows the result's link.
    page.wait_for_url("**/jobs/*/")
    assert "Placement plan for" in page.inner_text("main")
    assert_accessible(page)
    assert jobs.run_queued_jobs() == 1
    page.get_by_role("link", name="Open the result").click()
    page.wait_for_url("**/unpaid-work/planner/*/")
    main = page.inner_text("main")
    assert "Review the proposed bookings" in main and "Not booked (1)" in main
    assert_accessible(page)
    boxes = page.locator("input[name=included]")
    assert boxes.count() == 2
    boxes.nth(0).uncheck()
    page.get_by_role("button", name="Confirm and book").click()
    assert "Plan confirmed: 1 booking made" in page.inner_text("main")
    assert_accessible(page)

    session = WorkSession.objects.get(project=site)
    page.goto(f"{base}/unpaid-work/sessions/{session.pk}/")
    assert "1 booked, 1 place left" in page.inner_text("main")
    page.get_by_label("Dev Patel").check()
    page.get_by_role("button", name="Save supervisors").click()
    assert "Supervisors saved" in page.inner_text("main")
    assert "supervised by Dev Patel" in page.inner_text("main")
    assert_accessible(page)
