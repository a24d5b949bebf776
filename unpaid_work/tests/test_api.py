from datetime import date
from typing import Any

import pytest

from core.roles import Role
from people.tests.factories import PersonFactory
from unpaid_work import services
from unpaid_work.tests.factories import upw_order

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_projects_sessions_bookings_and_attendance_through_the_api(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    api = client_for(coordinator)
    nomination = services.submit_nomination(
        client_ip=None,
        nominator_name="A",
        email="a@example.org",
        description="Paint",
        address="Hall",
        postcode="NG1 1AA",
    )
    created = api.post(
        "/api/v1/unpaid-work/projects",
        {
            "name": "Hall",
            "pdu_id": coordinator.staff.pdu_id,
            "type": "GROUP",
            "beneficiary": "Village",
            "address": "Hall",
            "postcode": "ng1 1aa",
            "weekdays": [0],
            "starts_at": "09:00",
            "ends_at": "15:00",
            "capacity": 4,
            "start_date": "2026-11-01",
            "nomination_id": nomination.pk,
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    project = created.json()["id"]
    sessions = api.post(
        f"/api/v1/unpaid-work/projects/{project}/sessions",
        {"start": "2026-11-16", "end": "2026-11-22"},
        content_type=JSON,
    )
    assert sessions.status_code == 201 and [s["date"] for s in sessions.json()] == ["2026-11-16"]
    session = sessions.json()[0]["id"]
    order = upw_order(PersonFactory(team=coordinator.staff.team, pdu=coordinator.staff.pdu), hours=40)
    booking = api.post(
        f"/api/v1/unpaid-work/sessions/{session}/bookings", {"order_id": order.pk}, content_type=JSON
    )
    assert booking.status_code == 201
    attended = api.post(
        f"/api/v1/unpaid-work/bookings/{booking.json()['id']}/attendance",
        {
            "outcome": "ATTENDED_COMPLIED",
            "arrived_at": "09:00",
            "left_at": "15:00",
            "penalty_minutes": 15,
            "version": booking.json()["version"],
        },
        content_type=JSON,
    )
    assert attended.status_code == 200 and attended.json()["credited_minutes"] == 345
    summary = api.get(f"/api/v1/unpaid-work/orders/{order.pk}").json()
    assert summary["remaining_minutes"] == 2400 - 345 and summary["ete_allowance_minutes"] == 720
    assert summary["first_session_due"] == "2026-09-28"  # 15 business days after 7 September 2026
    adjusted = api.post(
        f"/api/v1/unpaid-work/orders/{order.pk}/adjustments",
        {"minutes": 181, "reason": "TRAVEL_TIME"},
        content_type=JSON,
    )
    assert adjusted.status_code == 422 and adjusted.json()["errors"][0]["field"] == "minutes"


def test_a_practitioner_reads_the_order_but_cannot_run_sessions(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    order = upw_order(PersonFactory(team=practitioner.staff.team), sentenced_on=date(2026, 10, 5))
    api = client_for(practitioner)
    assert api.get(f"/api/v1/unpaid-work/orders/{order.pk}").status_code == 200
    assert api.get("/api/v1/unpaid-work/projects").status_code == 404
