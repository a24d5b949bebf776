"""The issue's "done when", end to end through the JSON API only (``/api/v1``).

(a) A person sentenced with a programme requirement goes from referral through the PNI,
suitability, a group, sessions with attendance and enforcement, to programme complete,
which completes the programme requirement.
(b) A Structured Intervention goes through the Effective Interventions Panel and is
delivered: an attended session counts as a day of the person's RAR.

Only what the API cannot do is set up with factories and services: the users, the person
(in the practitioner's team, in the programme staff's PDU), their risk assessment with
the PNI's inputs, an office, and (a) the accredited programme with a short published
template. The catalogue API does not give a programme's database id, which the referral
and suitability bodies take, so the test reads it from the programme it made (a) or from
the code the panel API answered (b). Each step asserts its status code and key fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from core.roles import Role
from organisation.models import Office, Pdu
from organisation.tests.factories import OfficeFactory, TeamFactory
from people.models import Person
from people.tests.factories import PersonFactory
from programmes.tests.factories import SHORT_TEMPLATE, programme_with_template
from risk import services as risk_services

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Thursday 15 October 2026, no bank holiday near: the groups start on Monday 2 November.
NOW = datetime(2026, 10, 15, 12, tzinfo=LONDON)
STARTS_ON = "2026-11-02"
SESSION_1 = datetime(2026, 11, 2, 10, tzinfo=LONDON)  # Monday
SESSION_2 = datetime(2026, 11, 5, 10, tzinfo=LONDON)  # Thursday
API = "/api/v1"

# OVP 40% (medium risk) with high need (6 of 8): the moderate intensity pathway.
PNI_INPUTS: dict[str, Any] = {
    "ovp": Decimal("40"),
    "pro_criminal_attitudes": 2,
    "hostile_orientation": 0,
    "current_relationship_close_family": 2,
    "previous_close_relationships": 1,
    "easily_influenced": 1,
    "aggressive_controlling_behaviour": 1,
    "impulsivity": 2,
    "temper_control": 2,
    "problem_solving": 1,
    "difficulties_coping": 0,
}


@dataclass
class Cast:
    """The people at work: a practitioner holding the case, and the Programmes team of the
    same PDU (a coordinator, a treatment manager, a facilitator)."""

    practitioner: Any
    coordinator: Any
    treatment_manager: Any
    facilitator: Any
    pdu: Pdu
    office: Office

    def client(self, user: Any) -> Client:
        """A fresh logged-in client: a session made before the clock moves on expires."""
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture(name="clock")
def clock_fixture() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(name="cast")
def cast_fixture(make_user: Callable[..., Any], clock: Any) -> Cast:
    facilitator = make_user(Role.FACILITATOR)
    pdu = facilitator.staff.pdu
    practitioner = make_user(Role.PRACTITIONER)
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    treatment_manager = make_user(Role.TREATMENT_MANAGER)
    for user in (practitioner, coordinator, treatment_manager):
        user.staff.pdu, user.staff.team = pdu, TeamFactory(pdu=pdu)
        user.staff.save()
    return Cast(
        practitioner=practitioner,
        coordinator=coordinator,
        treatment_manager=treatment_manager,
        facilitator=facilitator,
        pdu=pdu,
        office=OfficeFactory(pdu=pdu),
    )


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{url}", body, content_type="application/json")


def _get(client: Client, url: str) -> Any:
    return client.get(f"{API}{url}")


def _at(value: str | None) -> datetime | None:
    """A time the API answered (in UTC), comparable with the local times here."""
    return datetime.fromisoformat(value) if value is not None else None


def _person_of(cast: Cast) -> Person:
    """A man in the practitioner's team, held by them."""
    return PersonFactory(team=cast.practitioner.staff.team, practitioner=cast.practitioner.staff, sex="MALE")


def _sentence(client: Client, person: Person, requirement: dict[str, Any]) -> dict[str, Any]:
    """The practitioner records a community order with one requirement; answers the event."""
    made = _post(
        client,
        f"/people/{person.crn}/events",
        {
            "court": "Nottingham Magistrates' Court",
            "convicted_on": "2026-10-01",
            "sentenced_on": "2026-10-01",
            "offences": [
                {
                    "description": "Assault by beating",
                    "category": "VIOLENCE",
                    "committed_on": "2026-09-01",
                    "is_main": True,
                    "is_violent": True,
                }
            ],
            "sentence": {"disposal_type": "CO", "length_months": 18},
            "requirements": [requirement],
        },
    )
    assert made.status_code == 201, made.content
    event: dict[str, Any] = made.json()
    assert [r["type"] for r in event["sentence"]["requirements"]] == [requirement["type"]]
    return event


def _requirement(client: Client, person: Person, requirement_id: int) -> dict[str, Any]:
    events = _get(client, f"/people/{person.crn}/events")
    assert events.status_code == 200, events.content
    found: dict[str, Any] = next(
        r for e in events.json() for r in e["sentence"]["requirements"] if r["id"] == requirement_id
    )
    return found


def _room(client: Client, cast: Cast) -> int:
    made = _post(client, "/rooms", {"office_id": cast.office.pk, "name": "Group room A", "capacity": 12})
    assert made.status_code == 201, made.content
    assert made.json()["accredited"] is True
    room_id: int = made.json()["id"]
    return room_id


def _form_group(client: Client, cast: Cast, programme_code: str, room_id: int) -> dict[str, Any]:
    made = _post(
        client,
        "/programme-groups",
        {
            "programme_code": programme_code,
            "cohort": "GENERAL",
            "sex": "MALE",
            "ldc": False,
            "pdu_id": cast.pdu.pk,
            "room_id": room_id,
            "slots": [{"weekday": 0, "starts_at": "10:00"}, {"weekday": 3, "starts_at": "10:00"}],
            "starts_on": STARTS_ON,
            "treatment_manager": cast.treatment_manager.staff.staff_code,
            "facilitators": [cast.facilitator.staff.staff_code],
        },
    )
    assert made.status_code == 201, made.content
    group: dict[str, Any] = made.json()
    assert group["status"] == "FORMING" and group["programme_code"] == programme_code
    assert {s["name"] for s in group["next_steps"]} >= {"add_member"}
    return group


def _suitable(client: Client, referral: dict[str, Any], programme_id: int) -> dict[str, Any]:
    assessed = _post(
        client,
        f"/programme-referrals/{referral['id']}/suitability",
        {
            "suitability": "SUITABLE",
            "suitability_reasons": "Motivated; the pathway and his availability fit",
            "programme_id": programme_id,
            "version": referral["version"],
        },
    )
    assert assessed.status_code == 200, assessed.content
    after: dict[str, Any] = assessed.json()
    assert after["status"] == "AWAITING_ALLOCATION" and after["suitability"] == "SUITABLE"
    assert after["programme_id"] == programme_id and after["assessed_on"] == "2026-10-15"
    assert "assess" not in after["next_steps"] and "deprioritise" in after["next_steps"]
    return after


def _add_member(client: Client, group_id: int, referral_id: int, crn: str) -> dict[str, Any]:
    added = _post(client, f"/programme-groups/{group_id}/members", {"referral_id": referral_id})
    assert added.status_code == 201, added.content
    member: dict[str, Any] = added.json()
    assert member["crn"] == crn and member["referral_status"] == "SCHEDULED"
    return member


def _attend(client: Client, group_id: int, session_id: int, member_id: int, **row: Any) -> dict[str, Any]:
    body = {"member_id": member_id, "outcome": "ATTENDED_COMPLIED"} | row
    recorded = _post(client, f"/programme-groups/{group_id}/sessions/{session_id}/attendance", body)
    assert recorded.status_code == 200, recorded.content
    (saved,) = recorded.json()
    assert saved["outcome"] == body["outcome"] and saved["appointment_id"] is not None
    answer: dict[str, Any] = saved
    return answer


def test_a_programme_requirement_from_referral_to_programme_complete(cast: Cast, clock: Any) -> None:
    programme = programme_with_template(SHORT_TEMPLATE)
    person = _person_of(cast)
    risk_services.record_assessment(
        acting_user=cast.practitioner, person=person, completed_on=date(2026, 10, 1), **PNI_INPUTS
    )
    practitioner, coordinator = cast.client(cast.practitioner), cast.client(cast.coordinator)

    # The sentence, through the sentences API, opens the referral.
    event = _sentence(practitioner, person, {"type": "PROGRAMME"})
    requirement_id = event["sentence"]["requirements"][0]["id"]

    # The person's Programme Needs Identifier.
    pni = _get(coordinator, f"/people/{person.crn}/programme-needs")
    assert pni.status_code == 200, pni.content
    assert (pni.json()["risk_level"], pni.json()["need_level"], pni.json()["pathway"]) == (
        "MEDIUM",
        "HIGH",
        "MODERATE_INTENSITY",
    )

    # The practitioner sees the referral the sentence opened on the person's record ...
    theirs = _get(practitioner, f"/people/{person.crn}/programme-referrals")
    assert theirs.status_code == 200, theirs.content
    assert [(r["status"], r["programme"]) for r in theirs.json()] == [("AWAITING_ASSESSMENT", None)]
    # ... and the coordinator finds it on the PDU's waitlist.
    waitlist = _get(coordinator, f"/programme-referrals?pdu={cast.pdu.pk}&status=AWAITING_ASSESSMENT")
    assert waitlist.status_code == 200, waitlist.content
    (row,) = [r for r in waitlist.json()["items"] if r["crn"] == person.crn]
    assert row["pni_pathway"] == "MODERATE_INTENSITY" and row["programme_id"] is None
    found = _get(coordinator, f"/programme-referrals/{row['id']}")
    assert found.status_code == 200, found.content
    referral = found.json()
    assert referral["status"] == "AWAITING_ASSESSMENT" and referral["source"] == "REQUIREMENT"
    assert referral["requirement_id"] == requirement_id and referral["event_id"] == event["id"]
    assert referral["pni_pathway"] == "MODERATE_INTENSITY"
    assert "assess" in referral["next_steps"]
    assert [h["to_status"] for h in referral["history"]] == ["AWAITING_ASSESSMENT"]

    # Suitability, a room, a group and the person in it.
    _suitable(coordinator, referral, programme.pk)
    room_id = _room(coordinator, cast)
    group = _form_group(coordinator, cast, programme.code, room_id)
    gid = group["id"]
    assert [(s["name"], _at(s["starts_at"])) for s in group["sessions"]] == [
        ("Session 1", SESSION_1),
        ("Session 2", SESSION_2),
    ]
    member = _add_member(coordinator, gid, referral["id"], person.crn)
    placed = _get(coordinator, f"/programme-referrals/{referral['id']}").json()
    assert (placed["group_id"], placed["group_member_id"]) == (gid, member["id"])
    detail = _get(coordinator, f"/programme-groups/{gid}")
    assert detail.status_code == 200, detail.content
    sessions = {s["name"]: s for s in detail.json()["sessions"]}
    one_to_one = sessions["One-to-one"]
    assert one_to_one["member_id"] == member["id"] and one_to_one["starts_at"] is None
    upcoming = _get(practitioner, f"/people/{person.crn}/appointments?upcoming=true")
    assert [(a["type"], _at(a["starts_at"])) for a in upcoming.json()["items"]] == [
        ("PROGRAMME", SESSION_1),
        ("PROGRAMME", SESSION_2),
    ]

    # The one-to-one, booked for the Monday after the group sessions.
    one_to_one_at = datetime(2026, 11, 9, 14, tzinfo=LONDON)
    booked = _post(
        coordinator,
        f"/programme-groups/{gid}/sessions/{one_to_one['id']}/book",
        {
            "starts_at": one_to_one_at.isoformat(),
            "facilitator_code": cast.facilitator.staff.staff_code,
            "version": one_to_one["version"],
        },
    )
    assert booked.status_code == 200, booked.content
    assert _at(booked.json()["starts_at"]) == one_to_one_at

    # Thursday afternoon: session 1 attended, session 2 an unacceptable absence.
    clock.move_to(datetime(2026, 11, 5, 14, tzinfo=LONDON))
    facilitator = cast.client(cast.facilitator)
    _attend(facilitator, gid, sessions["Session 1"]["id"], member["id"])
    coordinator = cast.client(cast.coordinator)
    started = _get(coordinator, f"/programme-referrals/{referral['id']}").json()
    assert started["status"] == "ON_PROGRAMME" and started["referred_on"] == "2026-10-01"
    # The Programmes team may now deselect or breach; only attendance completes it.
    assert {"deselect", "breach"} <= set(started["next_steps"]) and "complete" not in started["next_steps"]
    running = _get(coordinator, f"/programme-groups/{gid}").json()
    assert running["status"] == "RUNNING"
    assert "cancel" not in {s["name"] for s in running["next_steps"]}
    missed = _attend(
        facilitator,
        gid,
        sessions["Session 2"]["id"],
        member["id"],
        outcome="UNACCEPTABLE_ABSENCE",
        notes="Did not attend and did not call; no answer on his phone",
    )

    # The absence waits on the practitioner's side for a warning or breach decision.
    practitioner = cast.client(cast.practitioner)
    appointments = _get(practitioner, f"/people/{person.crn}/appointments")
    assert appointments.status_code == 200, appointments.content
    (absent,) = [a for a in appointments.json()["items"] if a["outcome"] == "UNACCEPTABLE_ABSENCE"]
    assert absent["id"] == missed["appointment_id"] and absent["type"] == "PROGRAMME"
    assert absent["event_id"] == event["id"] and "did not call" in absent["outcome_notes"]
    waiting = _get(practitioner, "/enforcement/action-needed?mine=true")
    assert waiting.status_code == 200, waiting.content
    assert [a["appointment_id"] for a in waiting.json()["items"]] == [absent["id"]]
    options = _get(practitioner, f"/people/{person.crn}/appointments/{absent['id']}/enforcement")
    assert options.status_code == 200, options.content
    assert options.json()["may_warn"] is True and options.json()["must_breach"] is False
    warned = _post(
        practitioner,
        f"/people/{person.crn}/appointments/{absent['id']}/enforcement",
        {"decision": "WARNING", "circumstances": "First absence from the programme; warned by letter"},
    )
    assert warned.status_code == 201, warned.content
    assert warned.json()["decision"] == "WARNING"
    assert _get(practitioner, "/enforcement/action-needed?mine=true").json()["items"] == []

    # A catch-up for session 2 on Friday.
    catch_up_at = datetime(2026, 11, 6, 10, tzinfo=LONDON)
    made = _post(
        cast.client(cast.coordinator),
        f"/programme-groups/{gid}/members/{member['id']}/catch-ups",
        {
            "missed_session_id": sessions["Session 2"]["id"],
            "starts_at": catch_up_at.isoformat(),
            "facilitator_code": cast.facilitator.staff.staff_code,
        },
    )
    assert made.status_code == 201, made.content
    catch_up = made.json()
    assert catch_up["catch_up_for_id"] == sessions["Session 2"]["id"]
    assert catch_up["name"] == "Catch-up: Session 2" and catch_up["member_id"] == member["id"]

    # The Monday after: the catch-up and the one-to-one attended complete the programme.
    clock.move_to(datetime(2026, 11, 9, 16, tzinfo=LONDON))
    facilitator, coordinator = cast.client(cast.facilitator), cast.client(cast.coordinator)
    _attend(facilitator, gid, catch_up["id"], member["id"])
    still = _get(coordinator, f"/programme-referrals/{referral['id']}").json()
    assert still["status"] == "ON_PROGRAMME"  # the one-to-one is still to come
    _attend(facilitator, gid, one_to_one["id"], member["id"])

    done = _get(coordinator, f"/programme-referrals/{referral['id']}")
    assert done.status_code == 200, done.content
    complete = done.json()
    assert complete["status"] == "PROGRAMME_COMPLETE" and complete["next_steps"] == []
    assert [h["to_status"] for h in complete["history"]] == [  # newest first
        "PROGRAMME_COMPLETE",
        "ON_PROGRAMME",
        "SCHEDULED",
        "AWAITING_ALLOCATION",
        "AWAITING_ASSESSMENT",
    ]
    # Starting and completing were the service's, set off by the registers; the rest people's
    # (opening is credited to whoever recorded the sentence).
    assert [h["by_system"] for h in complete["history"]] == [True, True, False, False, False]
    ended = _get(coordinator, f"/programme-groups/{gid}").json()
    assert ended["status"] == "ENDED" and ended["next_steps"] == []
    (still_member,) = ended["members"]
    assert still_member["attended"] == 3 and still_member["referral_status"] == "PROGRAMME_COMPLETE"
    practitioner = cast.client(cast.practitioner)
    assert (
        _get(practitioner, f"/programme-referrals/{referral['id']}").json()["status"] == "PROGRAMME_COMPLETE"
    )
    requirement = _requirement(practitioner, person, requirement_id)
    assert requirement["status"] == "COMPLETED" and requirement["ended_on"] == "2026-11-09"
    assert requirement["termination_reason"] == "COMPLETED"


def test_a_structured_intervention_through_the_panel_counts_rar_days(
    cast: Cast, make_user: Callable[..., Any], clock: Any
) -> None:
    treatment_manager = cast.client(cast.treatment_manager)
    submitted = _post(
        treatment_manager,
        "/interventions",
        {
            "name": "Managing Emotions Together",
            "need_area": "EM",
            "audience": "Adults on a community order with a RAR",
            "typical_weeks": 4,
            "modules": [
                {
                    "name": "Sessions",
                    "sessions": [
                        {"name": f"Emotions {n}", "kind": "GROUP", "minutes": 90} for n in range(1, 5)
                    ],
                }
            ],
        },
    )
    assert submitted.status_code == 201, submitted.content
    intervention = submitted.json()
    code = intervention["code"]
    assert intervention["kind"] == "STRUCTURED" and intervention["status"] == "SUBMITTED"
    assert intervention["accepts_new_referrals"] is False
    assert intervention["template_in_force"]["totals"]["group_sessions"] == 4

    panel = cast.client(make_user(Role.INTERVENTIONS_PANEL))
    assert "approve" in _get(panel, f"/programmes/{code}").json()["next_steps"]
    approved = _post(panel, f"/interventions/{code}/decisions", {"step": "approve", "reasons": "Meets them"})
    assert approved.status_code == 201, approved.content
    assert approved.json()["status"] == "APPROVED" and approved.json()["accepts_new_referrals"] is True
    assert [d["status"] for d in approved.json()["decisions"]] == ["SUBMITTED", "APPROVED"]
    assert "approve" not in approved.json()["next_steps"]
    again = _post(panel, f"/interventions/{code}/decisions", {"step": "approve"})
    assert again.status_code == 409  # approved once
    programme_id = approved.json()["id"]

    # The practitioner refers a person on a RAR to it.
    person = _person_of(cast)
    practitioner = cast.client(cast.practitioner)
    event = _sentence(practitioner, person, {"type": "RAR", "amount": 20})
    rar_id = event["sentence"]["requirements"][0]["id"]
    referred = _post(
        practitioner,
        f"/people/{person.crn}/programme-referrals",
        {"event_id": event["id"], "programme_id": programme_id, "requirement_id": rar_id},
    )
    assert referred.status_code == 201, referred.content
    referral = referred.json()
    assert referral["status"] == "AWAITING_ASSESSMENT" and referral["source"] == "PRACTITIONER"
    assert referral["programme_id"] == programme_id and referral["requirement_id"] == rar_id

    # The coordinator assesses, forms a group of the intervention and adds the person.
    coordinator = cast.client(cast.coordinator)
    _suitable(coordinator, referral, programme_id)
    group = _form_group(coordinator, cast, code, _room(coordinator, cast))
    gid = group["id"]
    assert [s["name"] for s in group["sessions"]] == [f"Emotions {n}" for n in range(1, 5)]
    member = _add_member(coordinator, gid, referral["id"], person.crn)
    placed = _get(coordinator, f"/programme-referrals/{referral['id']}").json()
    assert (placed["group_id"], placed["group_member_id"]) == (gid, member["id"])
    upcoming = _get(practitioner, f"/people/{person.crn}/appointments?upcoming=true").json()["items"]
    assert {a["type"] for a in upcoming} == {"RAR_ACTIVITY"} and len(upcoming) == 4
    assert _requirement(practitioner, person, rar_id)["progress"] == 0

    # The first session attended counts one RAR day.
    clock.move_to(datetime(2026, 11, 2, 13, tzinfo=LONDON))
    first = next(s for s in group["sessions"] if s["name"] == "Emotions 1")
    _attend(cast.client(cast.facilitator), gid, first["id"], member["id"])
    rar = _requirement(cast.client(cast.practitioner), person, rar_id)
    assert rar["progress"] == 1 and rar["status"] == "ACTIVE"
    on = _get(cast.client(cast.coordinator), f"/programme-referrals/{referral['id']}").json()
    assert on["status"] == "ON_PROGRAMME"
