"""The rest of the group steps through the API, as on the pages: book a one-to-one, a
catch-up for a missed session, flexible delivery, taking someone out before the start,
and cancelling a group that has not started."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from programmes.constants import Attendance, GroupStatus, ReferralStatus
from programmes.models import ProgrammeSession
from programmes.services import groups as services
from programmes.tests.test_groups_world import FIRST, SECOND, GroupWorld, clock_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api/v1/programme-groups"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _member_of(world: GroupWorld, group: Any) -> Any:
    referral = world.waitlisted()
    return services.add_member(acting_user=world.coordinator, group_id=group.pk, referral_id=referral.pk)


def test_a_one_to_one_is_booked_with_one_of_the_groups_staff(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    placeholder = ProgrammeSession.objects.get(member=member)
    url = f"{BASE}/{group.pk}/sessions/{placeholder.pk}/book"
    when = (FIRST + timedelta(days=4)).replace(hour=14).isoformat()
    coordinator = client_for(world.coordinator)
    stranger = _post(coordinator, url, {"starts_at": when, "facilitator_code": "NOBODY", "version": 1})
    assert stranger.status_code == 422 and "facilitator_code" in stranger.content.decode()
    booked = _post(
        coordinator,
        url,
        {"starts_at": when, "facilitator_code": world.facilitator.staff.staff_code, "version": 1},
    )
    assert booked.status_code == 200, booked.content
    assert booked.json()["starts_at"] is not None
    assert (
        _post(
            client_for(world.facilitator), url, {"starts_at": when, "facilitator_code": "X", "version": 2}
        ).status_code
        == 404
    )


def test_a_catch_up_replaces_a_missed_session(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    first = group.sessions.get(member__isnull=True, starts_at=FIRST)
    world.clock.move_to(FIRST + timedelta(hours=3))
    services.record_attendance(
        acting_user=world.facilitator,
        session_id=first.pk,
        member_id=member.pk,
        outcome=Attendance.UNACCEPTABLE_ABSENCE,
        notes="Did not come",
    )
    body = {
        "missed_session_id": first.pk,
        "starts_at": (FIRST + timedelta(days=1)).isoformat(),
        "facilitator_code": world.facilitator.staff.staff_code,
    }
    made = _post(client_for(world.coordinator), f"{BASE}/{group.pk}/members/{member.pk}/catch-ups", body)
    assert made.status_code == 201, made.content
    assert made.json()["catch_up_for_id"] == first.pk and made.json()["name"] == "Catch-up: Session 1"
    again = _post(client_for(world.coordinator), f"{BASE}/{group.pk}/members/{member.pk}/catch-ups", body)
    assert again.status_code == 422  # one catch-up for a missed session


def test_flexible_delivery_needs_a_reason(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    url = f"{BASE}/{group.pk}/members/{member.pk}/delivery"
    client = client_for(world.coordinator)
    assert _post(client, url, {"mode": "REMOTE"}).status_code == 422
    done = _post(client, url, {"mode": "REMOTE", "reason": "Works night shifts in Leeds"})
    assert done.status_code == 200 and done.json()["delivery_mode"] == "REMOTE"


def test_taking_out_before_the_start_puts_them_back_on_the_waitlist(
    world: GroupWorld, client_for: Any
) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    left = _post(
        client_for(world.coordinator),
        f"{BASE}/{group.pk}/members/{member.pk}/remove",
        {"reason": "EMPLOYMENT"},
    )
    assert left.status_code == 200, left.content
    assert left.json()["left_on"] is not None
    assert left.json()["referral_status"] == ReferralStatus.AWAITING_ALLOCATION


def test_a_forming_group_is_cancelled_and_its_people_wait_again(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    client = client_for(world.coordinator)
    stale = _post(client, f"{BASE}/{group.pk}/cancel", {"reason": "STAFFING", "version": 0})
    assert stale.status_code == 409
    done = _post(client, f"{BASE}/{group.pk}/cancel", {"reason": "STAFFING", "version": group.version})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == GroupStatus.CANCELLED
    member.refresh_from_db()
    member.referral.refresh_from_db()
    assert member.left_on is not None and member.referral.status == ReferralStatus.AWAITING_ALLOCATION
    assert not group.sessions.exists()
    assert not member.referral.person.appointments.exists()  # the sessions came off their record


def test_a_group_that_has_started_cannot_be_cancelled(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    member = _member_of(world, group)
    world.clock.move_to(SECOND + timedelta(hours=3))
    first = group.sessions.get(member__isnull=True, starts_at=FIRST)
    services.record_attendance(
        acting_user=world.facilitator,
        session_id=first.pk,
        member_id=member.pk,
        outcome=Attendance.ATTENDED_COMPLIED,
    )
    group.refresh_from_db()
    answer = _post(
        client_for(world.coordinator),
        f"{BASE}/{group.pk}/cancel",
        {"reason": "STAFFING", "version": group.version},
    )
    assert answer.status_code == 409


def test_the_cancel_page_for_the_coordinator_only(world: GroupWorld, client_for: Any) -> None:
    group = world.form_group()
    page = client_for(world.coordinator).get(f"/programmes/groups/{group.pk}/")
    assert f"/programmes/groups/{group.pk}/cancel/" in page.content.decode()
    assert client_for(world.facilitator).get(f"/programmes/groups/{group.pk}/cancel/").status_code == 404
    posted = client_for(world.coordinator).post(
        f"/programmes/groups/{group.pk}/cancel/", {"reason": "STAFFING", "note": "", "version": group.version}
    )
    assert posted.status_code == 302
    group.refresh_from_db()
    assert group.status == GroupStatus.CANCELLED
