from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from audit.models import AuditEvent
from core.roles import Role
from organisation.models import Pdu, Staff, Team
from organisation.tests.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_team_and_a_member_of_staff_in_the_browser(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    pdu = Pdu.objects.get(name="Derby City")
    response = client.post(
        f"/organisation/pdus/{pdu.pk}/teams/new/", {"code": "derby-1", "name": "Derby Team 1"}
    )
    assert response.status_code == 302
    team = Team.objects.get(code="DERBY-1")
    response = client.post(
        f"/organisation/pdus/{pdu.pk}/staff/new/",
        {
            "staff_code": "n53x001",
            "forename": "Dana",
            "surname": "Okoro",
            "grade": "PSO",
            "contracted_hours": "22.5",
            "team": team.pk,
        },
    )
    assert response.status_code == 302
    staff = Staff.objects.get(staff_code="N53X001")
    assert staff.contracted_hours == Decimal("22.5") and staff.team == team and staff.pdu == pdu
    assert AuditEvent.objects.filter(object_type="organisation.staff", object_id=str(staff.pk)).exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [("0.5", "at least 1"), ("48.5", "48 or fewer"), ("lots", "must be a number")],
)
def test_contracted_hours_limits(make_user: Any, client_for: Any, hours: str, message: str) -> None:
    staff = StaffFactory()
    response = client_for(make_user(Role.ADMINISTRATOR)).post(
        f"/organisation/staff/{staff.pk}/",
        {
            "forename": "A",
            "surname": "B",
            "grade": "PO",
            "contracted_hours": hours,
            "team": staff.team_id,
        },
    )
    assert response.status_code == 400 and message in response.content.decode()


def test_staff_can_only_join_a_team_in_their_pdu(make_user: Any, client_for: Any) -> None:
    staff = StaffFactory()
    elsewhere = TeamFactory()
    client = client_for(make_user(Role.ADMINISTRATOR))
    response = client.put(
        f"/api/v1/organisation/staff/{staff.pk}",
        {
            "forename": "A",
            "surname": "B",
            "grade": "PO",
            "contracted_hours": "37",
            "team_id": elsewhere.pk,
            "version": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "team"
    staff.refresh_from_db()
    assert staff.team_id != elsewhere.pk


def test_practitioners_see_staff_but_cannot_change_them(make_user: Any, client_for: Any) -> None:
    staff = StaffFactory()
    client = client_for(make_user(Role.PRACTITIONER))
    assert client.get(f"/organisation/staff/{staff.pk}/").status_code == 200
    assert client.post(f"/organisation/staff/{staff.pk}/", {"forename": "X"}).status_code == 404
    listed = client.get(f"/api/v1/organisation/staff?team_id={staff.team_id}").json()
    assert listed["count"] == 1 and listed["items"][0]["staff_code"] == staff.staff_code


def test_a_stale_change_to_staff_is_refused_not_applied(make_user: Any, client_for: Any) -> None:
    """Two administrators edit the same member of staff: the second, made from the old copy, gets 409.

    Proved able to fail: making ``core.locking.check_version`` accept any version turns
    this red, and with it the stale-change tests for allocation, sentence ends and moves."""
    staff = StaffFactory()
    client = client_for(make_user(Role.ADMINISTRATOR))
    body = {
        "forename": "A",
        "surname": "B",
        "grade": "PO",
        "contracted_hours": "37",
        "team_id": staff.team_id,
    }
    first = client.put(
        f"/api/v1/organisation/staff/{staff.pk}", body | {"version": 1}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.put(
        f"/api/v1/organisation/staff/{staff.pk}",
        body | {"forename": "C", "version": 1},
        content_type="application/json",
    )
    assert second.status_code == 409
    staff.refresh_from_db()
    assert staff.forename == "A" and staff.version == 2
    missing = client.put(f"/api/v1/organisation/staff/{staff.pk}", body, content_type="application/json")
    assert missing.status_code == 422  # the version is required, never assumed
    page = client.post(
        f"/organisation/staff/{staff.pk}/",
        {"forename": "D", "surname": "B", "grade": "PO", "contracted_hours": "37", "version": 1},
    )
    assert page.status_code == 400 and "Someone else changed this record" in page.content.decode()
    staff.refresh_from_db()
    assert staff.forename == "A"
