"""Accredited programmes in the browser, with axe-core on every page:

1. A person sentenced with a programme requirement: the practitioner sees the referral and
   the PNI; the coordinator assesses suitability, forms a group and adds them, and books
   their one-to-one; after the sessions the facilitator takes the registers (one attended,
   one unacceptable absence), the practitioner gives the warning, the coordinator books a
   catch-up, and once it and the one-to-one are attended the programme is complete and the
   requirement with it.
2. A Structured Intervention goes to the Effective Interventions Panel and is approved.

The clock moves forward (time-machine, ticking) to the days the sessions happen: the live
server runs in this process, so it sees the same clock as the test.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import assert_accessible, sign_in
from core.business_days import is_business_day
from core.roles import Role
from organisation.models import Pdu
from organisation.tests.factories import OfficeFactory, StaffFactory, TeamFactory
from people.tests.factories import PersonFactory
from programmes.constants import ReferralStatus
from programmes.models import ProgrammeReferral
from programmes.tests.factories import SHORT_TEMPLATE, RoomFactory, programme_with_template
from risk import services as risk_services
from sentences import services as sentences
from sentences.constants import RequirementStatus, RequirementType
from sentences.models import Requirement
from sentences.tests.factories import community_order

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def _next_plain_monday(after: date) -> date:
    """The first Monday after ``after`` whose Monday and Thursday are both working days."""
    day = after + timedelta(days=7 - after.weekday())
    while not (is_business_day(day) and is_business_day(day + timedelta(days=3))):
        day += timedelta(days=7)
    return day


def _moderate_pni_inputs() -> dict[str, Any]:
    """OGRS3 medium and a medium need score: the PNI suggests moderate intensity."""
    return {
        "ogrs3": Decimal("60"),
        "pro_criminal_attitudes": 1,
        "hostile_orientation": 1,
        "current_relationship_close_family": 1,
        "previous_close_relationships": 1,
        "easily_influenced": 1,
        "aggressive_controlling_behaviour": 0,
        "impulsivity": 1,
        "temper_control": 1,
        "problem_solving": 1,
        "difficulties_coping": 1,
    }


def test_programme_requirement_to_programme_complete(live_server: Any, page: Any) -> None:
    base = live_server.url
    today = timezone.localdate()
    pdu = Pdu.objects.get(name="Nottingham City")
    team = TeamFactory(pdu=pdu)
    practitioner = UserFactory(
        username="priya", role=Role.PRACTITIONER, staff=StaffFactory(team=team, pdu=pdu)
    )
    UserFactory(username="gemma", role=Role.PROGRAMME_COORDINATOR, staff=StaffFactory(team=team, pdu=pdu))
    manager = UserFactory(
        username="tom",
        role=Role.TREATMENT_MANAGER,
        staff=StaffFactory(team=team, pdu=pdu, forename="Tom", surname="Byrne"),
    )
    facilitator = UserFactory(
        username="paul",
        role=Role.FACILITATOR,
        staff=StaffFactory(team=team, pdu=pdu, forename="Paul", surname="Grant"),
    )
    room = RoomFactory(office=OfficeFactory(pdu=pdu, name="Castle House"), name="Group room A")
    programme = programme_with_template(SHORT_TEMPLATE, name="Thinking Forward", typical_weeks=6)
    person = PersonFactory(
        team=team,
        pdu=pdu,
        practitioner=practitioner.staff,
        first_name="Jordan",
        last_name="Reece",
        sex="MALE",
    )
    risk_services.record_assessment(
        acting_user=practitioner, person=person, completed_on=today, **_moderate_pni_inputs()
    )
    community_order(
        person,
        sentenced_on=today - timedelta(days=2),
        requirements=[
            sentences.RequirementInput(type=RequirementType.PROGRAMME),
            sentences.RequirementInput(type=RequirementType.RAR, amount=10),
        ],
        acting_user=practitioner,
    )

    # The practitioner sees the referral the sentence opened, and the PNI.
    sign_in(page, base, "priya", TEST_PASSWORD)
    page.goto(f"{base}/cases/{person.crn}/")
    main = page.inner_text("main")
    assert "Awaiting assessment" in main and "Moderate intensity" in main
    assert_accessible(page)

    # The coordinator finds them on the waitlist and assesses them suitable.
    sign_in(page, base, "gemma", TEST_PASSWORD)
    page.get_by_role("link", name="Programmes", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Waitlist").click()
    assert_accessible(page)
    page.get_by_role("link", name="Jordan Reece").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the suitability assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the assessment").click()
    assert "There is a problem" in page.inner_text("main")  # nothing chosen: the error summary
    assert_accessible(page)
    page.get_by_label("Suitable", exact=True).check()
    page.get_by_label("Reasons for the outcome").fill("Motivated; available on weekday mornings.")
    page.get_by_label("Programme").select_option(str(programme.pk))
    page.get_by_role("button", name="Save the assessment").click()
    assert "Awaiting allocation" in page.inner_text("main")

    # ... forms a group starting on a Monday, meeting Mondays and Thursdays, and adds them.
    monday = _next_plain_monday(today)
    page.get_by_role("link", name="Add to a group").click()
    assert_accessible(page)
    page.get_by_role("link", name="Form a group").click()
    assert_accessible(page)
    page.get_by_label("Programme").select_option(str(programme.pk))
    page.get_by_label("General offending").check()
    page.get_by_label("Men", exact=True).check()
    page.get_by_label("PDU").select_option(label=pdu.name)
    page.get_by_label("Room").select_option(str(room.pk))
    page.get_by_label("Weekly time 1: day").select_option("0")
    page.get_by_label("Weekly time 1: start time").fill("10:00")
    page.get_by_label("Weekly time 2: day").select_option("3")
    page.get_by_label("Weekly time 2: start time").fill("10:00")
    page.get_by_label("Start date").fill(monday.strftime("%d/%m/%Y"))
    page.get_by_label("Treatment manager").select_option(str(manager.staff.pk))
    page.get_by_label("Facilitators", exact=True).select_option(str(facilitator.staff.pk))
    page.get_by_role("button", name="Form the group").click()
    assert_accessible(page)
    referral = ProgrammeReferral.objects.get(person=person)
    page.get_by_label("Person on the waitlist").select_option(str(referral.pk))
    page.get_by_role("button", name="Add to the group").click()
    assert "Jordan Reece" in page.inner_text("main")
    assert_accessible(page)
    # The one-to-one is a placeholder until booked: the Friday after the group sessions.
    page.get_by_role("link", name="Book One-to-one for Jordan Reece").click()
    assert_accessible(page)
    page.get_by_label("Date").fill((monday + timedelta(days=4)).strftime("%d/%m/%Y"))
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Facilitator").select_option(str(facilitator.staff.pk))
    page.get_by_role("button", name="Book", exact=True).click()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SCHEDULED
    group_url = page.url

    # Thursday evening: both group sessions have happened. The facilitator takes the registers.
    after_thursday = timezone.make_aware(datetime.combine(monday + timedelta(days=3), time(18)))
    with time_machine.travel(after_thursday, tick=True):
        sign_in(page, base, "paul", TEST_PASSWORD)
        page.goto(group_url)
        page.get_by_role("link", name="Register for Session 1").click()
        assert_accessible(page)
        page.get_by_label("Attendance").select_option("ATTENDED_COMPLIED")
        page.get_by_role("button", name="Save attendance").click()
        assert "Attendance recorded for 1 person" in page.inner_text("main")
        page.goto(group_url)
        page.get_by_role("link", name="Register for Session 2").click()
        page.get_by_label("Attendance").select_option("UNACCEPTABLE_ABSENCE")
        page.get_by_label("What happened").fill("Did not attend and did not call.")
        page.get_by_role("button", name="Save attendance").click()
        assert_accessible(page)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ON_PROGRAMME

        # The practitioner must act on the failure: a first warning.
        sign_in(page, base, "priya", TEST_PASSWORD)
        page.goto(f"{base}/cases/{person.crn}/")
        page.get_by_role("link", name="Decide enforcement action").first.click()
        assert_accessible(page)
        page.get_by_label("Warning given").check()
        page.get_by_label("Circumstances").fill("Missed Thinking Forward session 2 without contact.")
        page.get_by_role("button", name="Record action").click()
        assert "Warning recorded" in page.inner_text("main")

        # The coordinator books a catch-up for the missed session, on Friday morning.
        sign_in(page, base, "gemma", TEST_PASSWORD)
        page.goto(group_url)
        page.get_by_role("link", name="Catch-up for Jordan Reece").click()
        assert_accessible(page)
        page.get_by_label("Session missed").select_option(index=1)
        page.get_by_label("Date").fill((monday + timedelta(days=4)).strftime("%d/%m/%Y"))
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Facilitator").select_option(str(facilitator.staff.pk))
        page.get_by_role("button", name="Book catch-up").click()
        assert_accessible(page)

    # Friday evening: the catch-up and the one-to-one have happened.
    friday_evening = timezone.make_aware(datetime.combine(monday + timedelta(days=4), time(18)))
    with time_machine.travel(friday_evening, tick=True):
        sign_in(page, base, "paul", TEST_PASSWORD)
        for session in ("Catch-up: Session 2", "One-to-one"):
            page.goto(group_url)
            page.get_by_role("link", name=f"Register for {session}").first.click()
            page.get_by_label("Attendance").select_option("ATTENDED_COMPLIED")
            page.get_by_role("button", name="Save attendance").click()
            assert_accessible(page)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.PROGRAMME_COMPLETE
        requirement = Requirement.objects.get(sentence__event__person=person, type=RequirementType.PROGRAMME)
        assert requirement.status == RequirementStatus.COMPLETED

        sign_in(page, base, "priya", TEST_PASSWORD)
        page.goto(f"{base}/cases/{person.crn}/")
        assert "Programme complete" in page.inner_text("main")
        assert_accessible(page)


def test_a_structured_intervention_goes_through_the_panel(live_server: Any, page: Any) -> None:
    base = live_server.url
    pdu = Pdu.objects.get(name="Nottingham City")
    team = TeamFactory(pdu=pdu)
    UserFactory(username="tina", role=Role.TREATMENT_MANAGER, staff=StaffFactory(team=team, pdu=pdu))
    UserFactory(username="ravi", role=Role.INTERVENTIONS_PANEL, staff=StaffFactory(team=team, pdu=pdu))

    sign_in(page, base, "tina", TEST_PASSWORD)
    page.get_by_role("link", name="Programmes", exact=True).first.click()
    page.get_by_role("link", name="Submit a Structured Intervention").click()
    assert_accessible(page)
    page.get_by_label("Name of the intervention").fill("Steady Steps")
    page.get_by_label("Emotional management").check()
    page.get_by_label("Who it is for").fill("Adults on probation who struggle to manage anger")
    page.get_by_label("Sessions (at least").fill("\n".join(f"Session {n}, group, 120" for n in range(1, 6)))
    page.get_by_role("button", name="Submit to the panel").click()
    assert "Steady Steps" in page.inner_text("main")
    assert_accessible(page)

    sign_in(page, base, "ravi", TEST_PASSWORD)
    page.get_by_role("link", name="Programmes", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Structured Interventions awaiting the panel").click()
    assert_accessible(page)
    page.get_by_role("link", name="Steady Steps").click()
    page.get_by_role("link", name="Approve").click()
    assert_accessible(page)
    page.get_by_label("Reasons").fill("Meets the seven principles.")
    page.get_by_role("button", name="Approve").click()
    assert "Approved: deliverable" in page.inner_text("main")
    assert_accessible(page)
