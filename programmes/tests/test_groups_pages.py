"""The group pages in the browser: forming a group, adding from the waitlist, the
register, the diary; who may open each (parametrized by role and relationship); and
restricted people hidden from excluded staff on every page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core.roles import Role
from people.constants import AccessListKind
from people.models import CaseAccessEntry
from programmes.constants import Attendance, ReferralStatus
from programmes.models import ProgrammeGroup, SessionAttendance
from programmes.services import groups as services
from programmes.tests.test_groups_world import FIRST, GroupWorld, clock_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _form(world: GroupWorld, **changes: Any) -> dict[str, Any]:
    return {
        "programme": world.programme.pk,
        "cohort": "GENERAL",
        "sex": "MALE",
        "pdu": world.pdu.pk,
        "room": world.room.pk,
        "starts_on": "2/11/2026",
        "slot_1_day": "0",
        "slot_1_time": "10:00",
        "slot_2_day": "3",
        "slot_2_time": "10:00",
        "treatment_manager": world.treatment_manager.staff_id,
        "facilitators": [world.facilitator.staff_id],
    } | changes


def test_a_coordinator_forms_a_group_adds_a_person_and_a_facilitator_takes_the_register(
    world: GroupWorld, client_for: Any
) -> None:
    coordinator = client_for(world.coordinator)
    response = coordinator.post("/programmes/groups/new/", _form(world))
    group = ProgrammeGroup.objects.get()
    assert response.status_code == 302 and response.url == f"/programmes/groups/{group.pk}/"
    referral = world.waitlisted()
    page = coordinator.get(f"/programmes/groups/{group.pk}/").content.decode()
    assert referral.person.crn in page and "Add someone from the waitlist" in page
    assert coordinator.post(f"/programmes/groups/{group.pk}/", {"referral": referral.pk}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SCHEDULED
    session = group.sessions.get(starts_at=FIRST)
    member = group.members.get()
    world.clock.move_to(FIRST + timedelta(hours=3))
    facilitator = client_for(world.facilitator)
    url = f"/programmes/groups/{group.pk}/sessions/{session.pk}/"
    assert referral.person.full_name in facilitator.get(url).content.decode()
    response = facilitator.post(url, {"record": "1", f"m{member.pk}-outcome": Attendance.ATTENDED_COMPLIED})
    assert response.status_code == 302
    assert (
        SessionAttendance.objects.get(session=session, member=member).outcome == Attendance.ATTENDED_COMPLIED
    )
    response = facilitator.post(url, {"note": "1", "text": "Good first session", "member": ""})
    assert response.status_code == 302 and "Good first session" in facilitator.get(url).content.decode()
    diary = facilitator.get("/programmes/facilitators/diary/?week=2/11/2026").content.decode()
    assert "Session 1" in diary and group.code in diary


def test_bad_input_is_named_in_the_error_summary(world: GroupWorld, client_for: Any) -> None:
    response = client_for(world.coordinator).post(
        "/programmes/groups/new/", _form(world, starts_on="31/2/2026", facilitators=[])
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert 'href="#id_starts_on"' in page and 'href="#id_facilitators"' in page


def test_a_refusal_from_the_service_is_named_on_its_field(world: GroupWorld, client_for: Any) -> None:
    world.programme.templates.update(published=False)
    response = client_for(world.coordinator).post("/programmes/groups/new/", _form(world))
    assert response.status_code == 400 and 'href="#id_programme"' in response.content.decode()


def test_an_incomplete_register_row_names_the_person(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    referral = world.waitlisted()
    member = services.add_member(acting_user=world.coordinator, group_id=group.pk, referral_id=referral.pk)
    world.clock.move_to(FIRST + timedelta(hours=3))
    session = group.sessions.get(starts_at=FIRST)
    response = client_for(world.facilitator).post(
        f"/programmes/groups/{group.pk}/sessions/{session.pk}/",
        {"record": "1", f"m{member.pk}-outcome": Attendance.UNACCEPTABLE_ABSENCE},
    )
    page = response.content.decode()
    assert response.status_code == 400 and f"{referral.person.full_name}: Describe what happened" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("treatment_manager", 200), ("facilitator", 404), ("practitioner", 404)],
)
def test_only_people_who_run_programmes_form_groups(
    world: GroupWorld, client_for: Any, make_user: Any, who: str, status: int
) -> None:
    """Proved able to fail: with ``requires(Capability.DELIVER_PROGRAMMES)`` on
    ``group_new`` the facilitator row went red (200); restored, green."""
    user = make_user(Role.PRACTITIONER) if who == "practitioner" else getattr(world, who)
    assert client_for(user).get("/programmes/groups/new/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),  # facilitates this group
        ("other_facilitator", 404),  # same PDU, not this group
        ("treatment_manager", 200),
        ("coordinator", 200),
        ("practitioner", 404),
    ],
)
def test_the_register_is_for_the_groups_facilitators_its_treatment_manager_and_coordinators(
    world: GroupWorld, client_for: Any, make_user: Any, who: str, status: int
) -> None:
    """Proved able to fail: with ``groups_delivered_by`` returning every group in scope the
    other facilitator's row went red (200); restored, green."""
    group = world.form_group()
    session = group.sessions.first()
    assert session is not None
    users = {
        "other_facilitator": make_user(Role.FACILITATOR, staff=world.staff()),
        "practitioner": make_user(Role.PRACTITIONER),
    }
    user = users.get(who) or getattr(world, who)
    response = client_for(user).get(f"/programmes/groups/{group.pk}/sessions/{session.pk}/")
    assert response.status_code == status


def test_a_group_in_another_region_is_not_found(world: GroupWorld, client_for: Any, make_user: Any) -> None:
    group = world.form_group()
    elsewhere = make_user(Role.PROGRAMME_COORDINATOR)
    elsewhere.staff.pdu.region_id = "C"
    elsewhere.staff.pdu.save()
    client = client_for(elsewhere)
    assert client.get(f"/programmes/groups/{group.pk}/").status_code == 404
    assert group.code not in client.get("/programmes/groups/").content.decode()


def test_restricted_people_are_hidden_from_excluded_staff_everywhere(
    world: GroupWorld, client_for: Any
) -> None:
    group = world.form_group()
    shown, hidden = world.waitlisted(), world.waitlisted()
    for referral in (shown, hidden):
        services.add_member(acting_user=world.coordinator, group_id=group.pk, referral_id=referral.pk)
    CaseAccessEntry.objects.create(
        person=hidden.person, user=world.facilitator, kind=AccessListKind.EXCLUDED, reason="Knows them"
    )
    client = client_for(world.facilitator)
    session = group.sessions.get(starts_at=FIRST)
    for url in (
        f"/programmes/groups/{group.pk}/",
        f"/programmes/groups/{group.pk}/sessions/{session.pk}/",
    ):
        page = client.get(url).content.decode()
        assert shown.person.crn in page
        assert hidden.person.crn not in page and hidden.person.last_name not in page
        assert "not shown to you" in page
    one_to_one = group.sessions.get(member__referral=hidden)
    assert client.get(f"/programmes/groups/{group.pk}/sessions/{one_to_one.pk}/").status_code == 404


def test_a_facilitator_sees_only_their_own_diary(world: GroupWorld, client_for: Any, make_user: Any) -> None:
    world.form_group()
    other = make_user(Role.FACILITATOR, staff=world.staff())
    client = client_for(other)
    code = world.facilitator.staff.staff_code
    assert client.get(f"/programmes/facilitators/diary/?staff={code}").status_code == 404
    coordinator = client_for(world.coordinator)
    page = coordinator.get(f"/programmes/facilitators/diary/?staff={code}&week=2/11/2026").content.decode()
    assert "Session 1" in page


def test_rescheduling_from_the_page(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    session = group.sessions.get(starts_at=FIRST)
    client = client_for(world.coordinator)
    url = f"/programmes/groups/{group.pk}/sessions/{session.pk}/reschedule/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"on": "1/10/2026", "at": "10:00", "version": session.version})
    assert refused.status_code == 400 and 'href="#id_on"' in refused.content.decode()
    moved = client.post(url, {"on": "3/11/2026", "at": "10:00", "version": session.version})
    assert moved.status_code == 302
