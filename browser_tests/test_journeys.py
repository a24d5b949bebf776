"""Main journeys in a real browser, with an accessibility check on every page visited."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import assert_accessible, sign_in
from core.roles import Role
from organisation.models import Pdu
from organisation.tests.factories import StaffFactory, TeamFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser
LIVE = pytest.mark.usefixtures("reference_data")


@LIVE
def test_practitioner_signs_in_finds_a_case_and_signs_out(live_server: Any, page: Any) -> None:
    team = TeamFactory(pdu=Pdu.objects.get(name="Nottingham City"))
    user = UserFactory(username="pat", role=Role.PRACTITIONER, staff=StaffFactory(team=team, pdu=team.pdu))
    person = PersonFactory(team=team, first_name="Jordan", last_name="Rivers")
    PersonFactory(team=TeamFactory(pdu=Pdu.objects.get(name="Leeds")), last_name="Elsewhere")
    base = live_server.url

    sign_in(page, base, user.username, TEST_PASSWORD)
    assert_accessible(page)
    assert page.get_by_test_id("own-caseload").inner_text() == "0"
    assert page.get_by_test_id("cases-in-scope").inner_text() == "1"

    page.get_by_role("link", name="Cases", exact=True).first.click()
    assert_accessible(page)
    page.get_by_label("Name, CRN, PNC or date of birth").fill("rivers")
    page.get_by_label("Only my caseload").uncheck()  # the case is not allocated to them
    page.get_by_role("button", name="Apply").click()
    assert "Elsewhere" not in page.content()
    page.get_by_role("link", name="Rivers, Jordan").click()
    assert_accessible(page)
    assert person.crn in page.inner_text("main")

    page.goto(f"{base}/organisation/")
    assert_accessible(page)
    page.get_by_role("link", name="East Midlands").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nottingham City").click()
    assert_accessible(page)

    page.goto(f"{base}/audit/")
    assert "Page not found" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/sign-in/")


@LIVE
def test_admin_corrects_an_error_then_renames_a_pdu(live_server: Any, page: Any) -> None:
    admin = UserFactory(username="ada", role=Role.ADMINISTRATOR)
    pdu = Pdu.objects.get(name="Leeds")
    base = live_server.url
    sign_in(page, base, admin.username, TEST_PASSWORD)
    assert_accessible(page)

    page.goto(f"{base}/organisation/pdus/{pdu.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Rename Leeds").click()
    page.get_by_label("PDU name").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the PDU name" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("PDU name").fill("Leeds and Wetherby")
    page.get_by_role("button", name="Save").click()
    assert "PDU renamed to Leeds and Wetherby" in page.inner_text("main")
    assert_accessible(page)

    page.goto(f"{base}/audit/?action=UPDATE")
    assert_accessible(page)
    assert "organisation.pdu" in page.inner_text("main")


@LIVE
def test_wrong_password_shows_an_accessible_error(live_server: Any, page: Any) -> None:
    UserFactory(username="sam", role=Role.SENIOR_PROBATION_OFFICER)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "Enter a correct username and password" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def test_the_accessibility_check_catches_a_violation(page: Any) -> None:
    """Guards the guard: an image with no text alternative must fail the check."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


@LIVE
@pytest.mark.parametrize("role", list(Role))
def test_every_role_signs_in_and_every_navigation_page_is_accessible(
    live_server: Any, page: Any, role: Role
) -> None:
    user = UserFactory(username=f"b-{role.value.lower()}", role=role)
    base = live_server.url
    sign_in(page, base, user.username, TEST_PASSWORD)
    assert role.label in page.inner_text("header")
    links = page.locator(".moj-primary-navigation__link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert links[0] == "/"
    for href in links:
        page.goto(f"{base}{href}")
        assert "Page not found" not in page.content(), href
        assert_accessible(page)


@LIVE
def test_admin_gives_a_user_two_roles_with_checkboxes(live_server: Any, page: Any) -> None:
    """The roles are GOV.UK checkboxes: choosing none names the problem in the error summary;
    choosing two creates the account, which then signs in to both jobs' work."""
    admin = UserFactory(username="ada", role=Role.ADMINISTRATOR)
    StaffFactory(staff_code="N07TM01")
    base = live_server.url
    sign_in(page, base, admin.username, TEST_PASSWORD)
    page.goto(f"{base}/users/new/")
    assert_accessible(page)
    page.get_by_label("Username").fill("sam.tm")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Staff code").fill("N07TM01")
    page.get_by_label("Temporary password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create user").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose at least one role" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link", name="Choose at least one role").click()
    page.get_by_label("Senior probation officer").check()
    page.get_by_label("Treatment manager").check()
    page.get_by_label("Temporary password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create user").click()
    assert "User sam.tm created" in page.inner_text("main")
    assert page.get_by_label("Senior probation officer").is_checked()
    assert page.get_by_label("Treatment manager").is_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "sam.tm", "a-long-unusual-passphrase")
    assert "Senior probation officer, Treatment manager" in page.inner_text("header")
    assert page.get_by_test_id("work-SENIOR_PROBATION_OFFICER").is_visible()
    assert page.get_by_test_id("work-TREATMENT_MANAGER").is_visible()
    assert_accessible(page)


@LIVE
def test_the_api_explorer_loads_under_the_content_security_policy(live_server: Any, page: Any) -> None:
    admin = UserFactory(username="api-reader", role=Role.ADMINISTRATOR)
    sign_in(page, live_server.url, admin.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert "/api/v1/people" in page.inner_text("body")
