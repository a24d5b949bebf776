from __future__ import annotations

from typing import Any

import pytest

from core.roles import Role
from organisation.models import Office, Pdu

pytestmark = pytest.mark.django_db


def test_admin_renames_a_pdu_in_the_browser(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    pdu = Pdu.objects.get(name="Leeds")
    page = client.get(f"/organisation/pdus/{pdu.pk}/rename/")
    assert page.status_code == 200
    response = client.post(
        f"/organisation/pdus/{pdu.pk}/rename/", {"name": "Leeds City", "version": pdu.version}
    )
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "PDU renamed to Leeds City" in follow.content.decode()
    assert "Leeds → Leeds City" in follow.content.decode()  # history shown from the audit trail


def test_a_blank_name_gets_an_error_summary(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    pdu = Pdu.objects.get(name="Leeds")
    response = client.post(f"/organisation/pdus/{pdu.pk}/rename/", {"name": "", "version": pdu.version})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and 'href="#id_name"' in body and "Enter the PDU name" in body


def test_a_stale_form_shows_a_conflict_message(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    pdu = Pdu.objects.get(name="Leeds")
    client.post(f"/organisation/pdus/{pdu.pk}/rename/", {"name": "Leeds A", "version": pdu.version})
    response = client.post(
        f"/organisation/pdus/{pdu.pk}/rename/", {"name": "Leeds B", "version": pdu.version}
    )
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    assert Pdu.objects.get(pk=pdu.pk).name == "Leeds A"


def test_admin_adds_and_retires_an_office_in_the_browser(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    pdu = Pdu.objects.get(name="Leeds")
    response = client.post(
        "/organisation/offices/new/",
        {
            "name": "Leeds Hub",
            "address": "2 Park Row, Leeds",
            "postcode": "ls1 5hd",
            "pdu": pdu.pk,
            "is_reporting_office": "on",
        },
    )
    assert response.status_code == 302
    office = Office.objects.get(name="Leeds Hub")
    response = client.post(f"/organisation/offices/{office.pk}/retire/", {"version": office.version})
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.retired_at is not None


def test_practitioners_can_read_but_not_change_reference_data(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.PRACTITIONER))
    pdu = Pdu.objects.get(name="Leeds")
    assert client.get(f"/organisation/pdus/{pdu.pk}/").status_code == 200
    assert client.post(f"/organisation/pdus/{pdu.pk}/rename/", {"name": "x", "version": 1}).status_code == 404
    assert (
        client.post(
            "/api/v1/organisation/pdus", {"name": "x", "region_id": "F"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_api_manages_a_pdu_end_to_end(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    created = client.post(
        "/api/v1/organisation/pdus", {"name": "Test Vale", "region_id": "d"}, content_type="application/json"
    )
    assert created.status_code == 201
    pdu = created.json()
    renamed = client.patch(
        f"/api/v1/organisation/pdus/{pdu['id']}",
        {"name": "Test Vale North", "version": pdu["version"]},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/organisation/pdus/{pdu['id']}",
        {"name": "Again", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    retired = client.post(
        f"/api/v1/organisation/pdus/{pdu['id']}/retire", {"version": 2}, content_type="application/json"
    )
    assert retired.status_code == 200 and retired.json()["retired_at"]
    listed = client.get("/api/v1/organisation/pdus?region_id=D").json()
    assert len(listed) == 6


def test_api_validation_errors_are_problem_json_naming_the_field(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ADMINISTRATOR))
    response = client.post(
        "/api/v1/organisation/offices",
        {"name": "X", "address": "Y", "postcode": "BAD", "pdu_id": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["errors"][0]["field"] == "postcode"
    response = client.post(
        "/api/v1/organisation/offices",
        {"name": "X", "address": "Y", "postcode": "ZZ99 9ZZZ", "pdu_id": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
