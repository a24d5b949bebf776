"""API round trips for the catalogue, template versions, the delivery suite, its reviews
and rooms, with the region scoping and problem documents naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from core.roles import Role
from organisation.tests.factories import OfficeFactory, PduFactory, StaffFactory, TeamFactory
from programmes.models import SuiteReview
from programmes.selectors import catalogue as selectors
from programmes.tests.factories import SHORT_TEMPLATE, RoomFactory, group, programme_with_template

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 1)
JSON = "application/json"


def _in_region(make_user: Any, role: Role, region: str) -> Any:
    return make_user(role, staff=StaffFactory(team=TeamFactory(pdu=PduFactory(region_id=region))))


def test_the_catalogue_lists_and_filters(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.PRACTITIONER))
    everything = client.get("/api/v1/programmes").json()
    assert len(everything) > 20
    structured = client.get("/api/v1/programmes?kind=STRUCTURED&need_area=DA").json()
    assert structured and {(p["kind"], p["need_area"]) for p in structured} == {("STRUCTURED", "DA")}
    assert client.get("/api/v1/programmes?kind=NOPE").status_code == 422


def test_a_programme_shows_its_template_totals_and_replacements(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.FACILITATOR))
    bc = client.get("/api/v1/programmes/building-choices-moderate").json()
    assert bc["replaces"] == ["thinking-skills-programme"]
    assert bc["template_in_force"]["totals"] == {
        "group_sessions": 21,
        "one_to_ones": 6,
        "group_minutes": 3150,
        "one_to_one_minutes": 360,
    }
    tsp = client.get("/api/v1/programmes/thinking-skills-programme").json()
    assert tsp["template_in_force"]["published"] is False and tsp["template_in_force"]["totals"] is None
    assert client.get("/api/v1/programmes/no-such").status_code == 404


def test_the_catalogue_needs_view_organisation(make_user: Any, client_for: Any) -> None:
    provider = client_for(make_user(Role.PROVIDER))
    assert provider.get("/api/v1/programmes").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_an_administrator_adds_a_future_template_and_running_groups_keep_theirs(
    make_user: Any, client_for: Any
) -> None:
    programme = programme_with_template(SHORT_TEMPLATE, effective_from=date(2026, 1, 1))
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    room = RoomFactory(office=OfficeFactory(pdu=coordinator.staff.pdu))
    running = group(programme, room=room, treatment_manager=coordinator.staff, created_by=coordinator)
    old = running.template
    admin = client_for(make_user(Role.ADMINISTRATOR))
    url = f"/api/v1/programmes/{programme.code}/templates"
    new_modules = [{"name": "New", "sessions": [{"name": "S", "kind": "GROUP", "minutes": 90}]}]
    today = admin.post(url, {"effective_from": TODAY.isoformat(), "modules": new_modules}, content_type=JSON)
    assert today.status_code == 422
    assert [e["field"] for e in today.json()["errors"]] == ["effective_from"]
    zero = [{"name": "New", "sessions": [{"name": "S", "kind": "GROUP", "minutes": 0}]}]
    bad = admin.post(url, {"effective_from": "2027-01-04", "modules": zero}, content_type=JSON)
    assert bad.status_code == 422 and "modules.0.sessions.0.minutes" in bad.content.decode()
    made = admin.post(url, {"effective_from": "2027-01-04", "modules": new_modules}, content_type=JSON)
    assert made.status_code == 201, made.content
    assert selectors.template_in_force(programme, date(2027, 1, 3)) == old
    assert selectors.template_in_force(programme, date(2027, 1, 4)).modules == new_modules
    running.refresh_from_db()
    assert running.template == old
    coordinator_client = client_for(coordinator)
    refused = coordinator_client.post(
        url, {"effective_from": "2027-02-01", "modules": new_modules}, content_type=JSON
    )
    assert refused.status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_suite_round_trip_offers_gaps_and_a_review_that_keeps_them(
    make_user: Any, client_for: Any
) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    pdu = coordinator.staff.pdu
    office = OfficeFactory(pdu=pdu)
    client = client_for(coordinator)
    suite = client.get("/api/v1/delivery-suite/F").json()
    before = [g["key"] for g in suite["gaps"]]
    assert {"thinking-skills-programme", "building-better-relationships", "ATB", "DA", "EM"} <= set(before)
    added = client.post(
        "/api/v1/delivery-suite/F/offers",
        {
            "programme": "building-choices-moderate",
            "pdu_id": pdu.pk,
            "office_id": office.pk,
            "starts_on": "2026-10-01",
        },
        content_type=JSON,
    )
    assert added.status_code == 201, added.content

    director = client_for(make_user(Role.REGIONAL_DIRECTOR))
    reviewed = director.post(
        "/api/v1/delivery-suite/F/reviews", {"summary": "Two gaps remain"}, content_type=JSON
    )
    assert reviewed.status_code == 201, reviewed.content
    kept = [g["key"] for g in reviewed.json()["gaps"]]
    assert "thinking-skills-programme" not in kept and "building-better-relationships" in kept

    client.post(
        "/api/v1/delivery-suite/F/offers",
        {"programme": "building-better-relationships", "pdu_id": pdu.pk, "starts_on": "2026-10-01"},
        content_type=JSON,
    )
    ended = client.post(
        f"/api/v1/delivery-offers/{added.json()['id']}/end", {"ends_on": "2026-09-30"}, content_type=JSON
    )
    assert ended.status_code == 422  # before it started
    ended = client.post(
        f"/api/v1/delivery-offers/{added.json()['id']}/end", {"ends_on": "2026-10-01"}, content_type=JSON
    )
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2026-10-01"

    now = client.get("/api/v1/delivery-suite/F").json()
    assert "building-better-relationships" not in [g["key"] for g in now["gaps"]]
    assert now["reviews"][0]["gaps"] == reviewed.json()["gaps"]
    assert SuiteReview.objects.get().gaps == reviewed.json()["gaps"]


@time_machine.travel(TODAY, tick=False)
def test_an_offer_is_refused_naming_the_field(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    client = client_for(coordinator)
    pdu = coordinator.staff.pdu
    cases = [
        ({"programme": "resolve", "pdu_id": pdu.pk, "starts_on": "2026-10-01"}, "programme"),
        (
            {
                "programme": "horizon",
                "pdu_id": pdu.pk,
                "office_id": OfficeFactory().pk,
                "starts_on": "2026-10-01",
            },
            "office_id",
        ),
        (
            {"programme": "horizon", "pdu_id": pdu.pk, "starts_on": "2026-10-01", "ends_on": "2026-09-01"},
            "ends_on",
        ),
        ({"programme": "horizon", "pdu_id": pdu.pk, "starts_on": "not a date"}, "starts_on"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/delivery-suite/F/offers", body, content_type=JSON)
        assert response.status_code == 422, (field, response.content)
        assert field in [e["field"] for e in response.json()["errors"]], field


@time_machine.travel(TODAY, tick=False)
def test_the_suite_is_the_users_own_region(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    client = client_for(coordinator)
    assert client.get("/api/v1/delivery-suite/C").status_code == 404
    assert client.get("/api/v1/delivery-suite/f").status_code == 200
    leeds = PduFactory(region_id="C")
    elsewhere = client.post(
        "/api/v1/delivery-suite/C/offers",
        {"programme": "horizon", "pdu_id": leeds.pk, "starts_on": "2026-10-01"},
        content_type=JSON,
    )
    assert elsewhere.status_code == 404
    wrong_pdu = client.post(
        "/api/v1/delivery-suite/F/offers",
        {"programme": "horizon", "pdu_id": leeds.pk, "starts_on": "2026-10-01"},
        content_type=JSON,
    )
    assert wrong_pdu.status_code == 404
    analyst = client_for(make_user(Role.NATIONAL_ANALYST))
    assert analyst.get("/api/v1/delivery-suite/C").status_code == 200
    assert (
        analyst.post("/api/v1/delivery-suite/C/reviews", {"summary": "x"}, content_type=JSON).status_code
        == 404
    )
    other_director = client_for(_in_region(make_user, Role.REGIONAL_DIRECTOR, "C"))
    assert (
        other_director.post(
            "/api/v1/delivery-suite/F/reviews", {"summary": "x"}, content_type=JSON
        ).status_code
        == 404
    )


@time_machine.travel(TODAY, tick=False)
def test_rooms_round_trip_with_optimistic_locking(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    office = OfficeFactory(pdu=coordinator.staff.pdu)
    client = client_for(coordinator)
    made = client.post(
        "/api/v1/rooms", {"office_id": office.pk, "name": "Group room 1", "capacity": 12}, content_type=JSON
    )
    assert made.status_code == 201, made.content
    room = made.json()
    assert (room["accredited"], room["version"]) == (True, 1)
    clash = client.post(
        "/api/v1/rooms", {"office_id": office.pk, "name": "group room 1", "capacity": 8}, content_type=JSON
    )
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "name"
    edited = client.patch(f"/api/v1/rooms/{room['id']}", {"version": 1, "capacity": 14}, content_type=JSON)
    assert edited.status_code == 200 and edited.json()["capacity"] == 14 and edited.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/rooms/{room['id']}", {"version": 1, "accredited": False}, content_type=JSON
    )
    assert stale.status_code == 409
    listed = client.get(f"/api/v1/rooms?office_id={office.pk}").json()
    assert [r["name"] for r in listed] == ["Group room 1"]
    retired = client.post(f"/api/v1/rooms/{room['id']}/retire", {"version": 2}, content_type=JSON)
    assert retired.status_code == 200 and retired.json()["retired"] is True
    assert client.get(f"/api/v1/rooms?office_id={office.pk}").json() == []


@time_machine.travel(TODAY, tick=False)
def test_rooms_elsewhere_are_out_of_reach(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    leeds_room = RoomFactory(office=OfficeFactory(pdu=PduFactory(region_id="C")))
    client = client_for(coordinator)
    assert client.get("/api/v1/rooms").json() == []
    assert (
        client.patch(
            f"/api/v1/rooms/{leeds_room.pk}", {"version": 1, "capacity": 3}, content_type=JSON
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/rooms",
            {"office_id": leeds_room.office_id, "name": "X", "capacity": 3},
            content_type=JSON,
        ).status_code
        == 404
    )
    facilitator = client_for(make_user(Role.FACILITATOR))
    own = RoomFactory(office=OfficeFactory(pdu=coordinator.staff.pdu))
    assert (
        facilitator.patch(
            f"/api/v1/rooms/{own.pk}", {"version": 1, "capacity": 3}, content_type=JSON
        ).status_code
        == 404
    )
    assert [r["id"] for r in facilitator.get("/api/v1/rooms").json()] == [own.pk]
