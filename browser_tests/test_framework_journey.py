"""The Dynamic Framework end to end in the browser: a new supplier qualifies; a PCC and
a region co-commission a competition; two suppliers bid; evaluators score and the lead
moderates; the contract is awarded; a practitioner refers a person to it; the provider
takes the referral to its end-of-service report; the contract dashboard shows it.
axe-core runs on every kind of page. Waiting for deadlines and standstill is skipped
by moving the dates in the database, the one thing a browser cannot do."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import assert_accessible, sign_in
from commissioning.constants import CommissionerKind
from commissioning.models import (
    Commissioner,
    Competition,
    Contract,
    Qualification,
    Supplier,
    SupplierApplication,
)
from core.roles import Role
from organisation.models import Pdu, Region
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory, TeamFactory
from people.tests.factories import PersonFactory
from referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]
DAY = "%d/%m/%Y"


def as_user(page: Any, base: str, user: Any) -> None:
    page.context.clear_cookies()
    sign_in(page, base, user.username, TEST_PASSWORD)


def submit(page: Any, button: str) -> str:
    page.get_by_role("button", name=button).click()
    return str(page.inner_text("main"))


def world() -> dict[str, Any]:
    nottingham = Pdu.objects.get(name="Nottingham City")
    team = TeamFactory(pdu=nottingham)
    pcc_org = ExternalOrganisationFactory(kind="PCC", name="Nottinghamshire PCC office")
    Commissioner.objects.create(name="Nottinghamshire PCC", kind=CommissionerKind.PCC, organisation=pcc_org)
    Commissioner.objects.create(name="HMPPS East Midlands", kind=CommissionerKind.HMPPS_REGION, region_id="F")
    nacro_org = ExternalOrganisationFactory(kind="PROVIDER", name="Nacro")
    nacro = Supplier.objects.create(code="NACRO", name="Nacro", organisation=nacro_org, status="APPOINTED")
    application = SupplierApplication.objects.create(
        supplier=nacro,
        organisation_name="Nacro",
        contact_name="x",
        mandatory_exclusions_apply=False,
        discretionary_exclusions_apply=False,
        annual_turnover=1,
        audited_accounts=True,
        experience="x",
        references="x",
        employers_liability=5_000_000,
        public_liability=5_000_000,
        professional_indemnity=1_000_000,
        safeguarding_declaration=True,
        data_protection_declaration=True,
        cyber_essentials=True,
        submitted_at=timezone.now(),
        status="PASSED",
    )
    Qualification.objects.create(supplier=nacro, category_id=1, region_id="F", application=application)
    practitioner = UserFactory(
        username="priya", role=Role.PRACTITIONER, staff=StaffFactory(team=team, pdu=nottingham)
    )
    return {
        "practitioner": practitioner,
        "person": PersonFactory(
            team=team,
            pdu=nottingham,
            sex="MALE",
            date_of_birth=date(1988, 4, 2),
            practitioner=practitioner.staff,
            first_name="Jordan",
            last_name="Hale",
        ),
        "commissioner": UserFactory(username="cara", role=Role.COMMISSIONER, organisation=pcc_org),
        "rpd": UserFactory(
            username="rachel", role=Role.REGIONAL_DIRECTOR, staff=StaffFactory(team=None, pdu=nottingham)
        ),
        "commercial": UserFactory(username="kit", role=Role.COMMERCIAL, first_name="Kit", last_name="Harper"),
        "nacro": UserFactory(username="pete", role=Role.PROVIDER, organisation=nacro_org),
    }


def qualify_a_new_supplier(page: Any, base: str, w: dict[str, Any]) -> Any:
    page.context.clear_cookies()
    page.goto(f"{base}/framework/apply/")
    assert_accessible(page)
    for label, value in (
        ("Organisation name", "Fresh Start Housing"),
        ("Registered address", "1 High Street, Nottingham"),
        ("Contact name", "Sam Lee"),
        ("Contact email", "sam@example.org"),
        ("Annual turnover", "900000"),
        ("Your experience of delivering these services", "Ten years of tenancy support in Nottingham"),
        ("Two references from recent contracts", "Nottingham City Council; Derby Homes"),
        ("Employer's liability cover", "5000000"),
        ("Public liability cover", "5000000"),
        ("Professional indemnity cover", "1000000"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("group", name="Do any mandatory exclusion grounds apply?").get_by_label("No").check()
    page.get_by_role("group", name="Do any discretionary exclusion grounds apply?").get_by_label("No").check()
    page.get_by_role("group", name="Can you provide the last two years' audited accounts?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("We have safeguarding policies", exact=False).check()
    page.get_by_label("We comply with UK GDPR", exact=False).check()
    page.get_by_label("Accommodation", exact=True).check()
    page.get_by_label("East Midlands", exact=True).check()
    time.sleep(3.1)  # the public form refuses instant submissions as spam
    assert "Application received" in submit(page, "Submit application")
    assert_accessible(page)

    as_user(page, base, w["commercial"])
    page.goto(f"{base}/framework/applications/")
    assert_accessible(page)
    page.get_by_role("link", name="Fresh Start Housing", exact=False).click()
    assert_accessible(page)
    sections = [
        "mandatory exclusion grounds",
        "discretionary exclusion grounds",
        "economic and financial standing",
        "technical and professional ability",
        "insurance",
        "safeguarding",
        "data protection",
    ]
    for section in sections:
        page.locator("input[name=result][value=pass][id$='-pass']").nth(sections.index(section)).check()
        page.get_by_label(f"Reason for {section}").fill("Meets the requirement")
        assert "saved" in submit(page, f"Save {section}")
    assert "Passed: appointed" in page.inner_text("main")
    supplier = Supplier.objects.get(name="Fresh Start Housing")
    # An administrator adds the supplier's first user account.
    return UserFactory(username="sam", role=Role.PROVIDER, organisation=supplier.organisation)


def co_commission(page: Any, base: str, w: dict[str, Any]) -> Competition:
    as_user(page, base, w["rpd"])
    page.goto(f"{base}/framework/agreement/")
    assert "User agreement signed" in submit(page, "Sign the user agreement")
    as_user(page, base, w["commissioner"])
    page.goto(f"{base}/framework/competitions/")
    assert_accessible(page)
    page.get_by_role("link", name="Read and sign the user agreement").click()
    assert_accessible(page)
    submit(page, "Sign the user agreement")
    page.get_by_role("link", name="Draft a competition").click()
    today = timezone.localdate()
    page.get_by_label("Title").fill("Accommodation support in Nottinghamshire")
    page.get_by_label("Service category").select_option(label="Accommodation")
    page.get_by_label("A PCC area").check()
    page.locator("#id_pcc_area").select_option(label="Nottinghamshire")
    page.get_by_label("Specification").fill("Find and keep homes for people on probation.")
    page.get_by_label("Licence", exact=True).check()
    page.get_by_label("Expected referrals a month").fill("12")
    page.get_by_label("Budget").fill("400000")
    page.get_by_label("Clarification questions close").fill((today + timedelta(days=7)).strftime(DAY))
    page.get_by_label("Bid deadline").fill((today + timedelta(days=14)).strftime(DAY))
    page.get_by_label("Service starts").fill((today + timedelta(days=60)).strftime(DAY))
    page.get_by_label("Service ends").fill((today + timedelta(days=790)).strftime(DAY))
    page.get_by_label("Co-commissioning partner").select_option(label="HMPPS East Midlands")
    page.get_by_label("Partner's funding share (%)").fill("40")
    page.get_by_label("Kit Harper", exact=False).check()
    page.get_by_label(w["rpd"].get_full_name(), exact=False).check()
    page.get_by_label("Price weight (%)").fill("31")
    assert "The weights must add up to 100" in submit(page, "Save draft")
    assert_accessible(page)
    page.get_by_label("Price weight (%)").fill("30")
    assert "saved" in submit(page, "Save draft")
    assert_accessible(page)
    page.get_by_role("link", name="Publish and invite qualified suppliers").click()
    assert "done" in submit(page, "Publish")
    competition = Competition.objects.get()
    assert set(competition.invitations.values_list("supplier__name", flat=True)) == {
        "Nacro",
        "Fresh Start Housing",
    }
    return competition


def bid(page: Any, base: str, user: Any, competition: Competition, price: str) -> None:
    as_user(page, base, user)
    page.goto(f"{base}/framework/competitions/{competition.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Submit your bid").click()
    page.get_by_label("Price for the whole contract").fill(price)
    page.get_by_label("How you will deliver the service (quality)").fill("Dedicated housing caseworkers")
    page.get_by_label("Social value you will add").fill("Apprenticeships for people with convictions")
    assert "done" in submit(page, "Submit bid")


def mark(
    page: Any, base: str, competition: Competition, *, step: str, supplier: str, criterion: str, value: int
) -> None:
    page.goto(f"{base}/framework/competitions/{competition.pk}/{step}/")
    page.get_by_label("Bid", exact=True).select_option(
        label=next(
            label
            for label in page.get_by_label("Bid", exact=True).locator("option").all_inner_texts()
            if label.startswith(supplier)
        )
    )
    page.get_by_label(criterion, exact=True).check()
    page.get_by_label("Mark (0 to 100)").fill(str(value))
    page.get_by_label("Why this mark").fill("Evidence in the response")
    page.get_by_role("button", name="Save").click()


def evaluate_and_award(page: Any, base: str, w: dict[str, Any], competition: Competition) -> Any:
    Competition.objects.filter(pk=competition.pk).update(
        bid_deadline=timezone.now() - timedelta(minutes=1),
        clarification_deadline=timezone.now() - timedelta(minutes=2),
    )
    as_user(page, base, w["commissioner"])
    page.goto(f"{base}/framework/competitions/{competition.pk}/")
    page.get_by_role("link", name="Open the bids for evaluation").click()
    submit(page, "Open bids")
    marks = {"Nacro": (70, 50), "Fresh Start Housing": (85, 70)}
    for evaluator in (w["commercial"], w["rpd"]):
        as_user(page, base, evaluator)
        for supplier, (quality, social) in marks.items():
            mark(page, base, competition, step="score", supplier=supplier, criterion="Quality", value=quality)
            mark(
                page,
                base,
                competition,
                step="score",
                supplier=supplier,
                criterion="Social value",
                value=social,
            )
    assert_accessible(page)
    as_user(page, base, w["commissioner"])
    for supplier, (quality, social) in marks.items():
        mark(page, base, competition, step="moderate", supplier=supplier, criterion="Quality", value=quality)
        mark(
            page,
            base,
            competition,
            step="moderate",
            supplier=supplier,
            criterion="Social value",
            value=social,
        )
    page.goto(f"{base}/framework/competitions/{competition.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Decide the award").click()
    assert "standstill" in submit(page, "Decide the award and start standstill").lower()
    Competition.objects.filter(pk=competition.pk).update(
        standstill_ends_on=timezone.localdate() - timedelta(days=1)
    )
    page.goto(f"{base}/framework/competitions/{competition.pk}/")
    page.get_by_role("link", name="Make the contract").click()
    main = submit(page, "Make the contract")
    assert "Fresh Start Housing" in main
    competition.refresh_from_db()
    return competition.contract


def refer_and_deliver(page: Any, base: str, w: dict[str, Any], contract: Any, provider: Any) -> Referral:
    person = w["person"]
    as_user(page, base, w["practitioner"])
    page.goto(f"{base}/cases/{person.crn}/services/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Refer to {contract.title}").click()
    assert_accessible(page)
    page.get_by_label("Accommodation", exact=True).check()
    page.get_by_label("Medium complexity").check()
    page.get_by_label("Accommodation: Has settled, suitable accommodation").check()
    page.get_by_label("Maximum rehabilitation activity days").fill("5")
    page.get_by_label("Completion date").fill((timezone.localdate() + timedelta(days=90)).strftime(DAY))
    page.get_by_label("Risk information for the provider").fill("Medium RoSH to known adults.")
    assert "Referral" in submit(page, "Send referral")
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - timedelta(days=1)
    )  # sent yesterday
    assert_accessible(page)

    as_user(page, base, provider)
    page.goto(f"{base}/referrals/")
    assert_accessible(page)
    page.get_by_role("link", name=referral.reference).click()
    steps = [
        (
            "Assign a caseworker",
            lambda: page.get_by_label("Caseworker").select_option(str(provider.pk)),
            "Assign",
        ),
        (
            "Book the initial assessment",
            lambda: (
                page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=1)).strftime(DAY)),
                page.get_by_label("Time").fill("10:00"),
            ),
            "Book assessment",
        ),
        (
            "Record the initial assessment",
            lambda: (
                page.get_by_label("Date of the assessment").fill(timezone.localdate().strftime(DAY)),
                page.get_by_label("What the assessment found").fill("Sofa surfing; needs a deposit"),
            ),
            "Save assessment",
        ),
        (
            "Submit the action plan",
            lambda: (
                page.get_by_label("Number of sessions").fill("1"),
                page.get_by_label("Activities").fill("Deposit guarantee and tenancy skills"),
            ),
            "Submit action plan",
        ),
    ]
    for link, fill, button in steps:
        page.get_by_role("link", name=link).click()
        fill()
        assert "done" in submit(page, button)
    assert_accessible(page)

    as_user(page, base, w["practitioner"])
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Review the action plan").click()
    page.get_by_label("Yes, approve it").check()
    submit(page, "Save decision")

    as_user(page, base, provider)
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Record a session").click()
    earlier = timezone.localtime() - timedelta(minutes=30)
    page.get_by_label("Date").fill(earlier.strftime(DAY))
    page.get_by_label("Time").fill(earlier.strftime("%H:%M"))
    page.get_by_label("Phone call").check()
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label("Progress").fill("Deposit agreed")
    submit(page, "Save session")
    page.get_by_role("link", name="Submit the end-of-service report").click()
    assert_accessible(page)
    page.get_by_label("Achieved", exact=True).check()
    assert "done" in submit(page, "Submit report")
    assert "Completed" in page.inner_text("main")
    return referral


def test_the_framework_from_qualification_to_the_contract_dashboard(live_server: Any, page: Any) -> None:
    base, w = live_server.url, world()
    newcomer = qualify_a_new_supplier(page, base, w)
    competition = co_commission(page, base, w)
    bid(page, base, w["nacro"], competition, "300000")
    bid(page, base, newcomer, competition, "350000")
    contract = evaluate_and_award(page, base, w, competition)
    Contract.objects.filter(pk=contract.pk).update(starts_on=timezone.localdate())  # the service starts
    contract.refresh_from_db()
    referral = refer_and_deliver(page, base, w, contract, newcomer)
    assert referral.status == "COMPLETED" or Referral.objects.get().status == "COMPLETED"

    as_user(page, base, w["rpd"])
    page.goto(f"{base}/services/contracts/{contract.pk}/performance/")
    main = page.inner_text("main")
    assert "1; 1 completed" in main and "Assessments within 10 working days" in main
    assert_accessible(page)
    page.goto(f"{base}/services/performance/?region=F")
    assert contract.title in page.inner_text("main")
    assert_accessible(page)
    assert Region.objects.filter(pk="F").exists()
