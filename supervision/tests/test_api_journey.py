"""A practitioner takes a new case from sentence to termination through the API."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.roles import Role
from organisation.tests.factories import StaffFactory
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_new_case_from_sentence_to_termination_through_the_api(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    spo = make_user(Role.SENIOR_PROBATION_OFFICER, staff=None)
    spo.staff = practitioner.staff.__class__.objects.create(
        staff_code="SPO1",
        forename="S",
        surname="P",
        grade="SPO",
        pdu=practitioner.staff.pdu,
        team=practitioner.staff.team,
    )
    spo.save()
    api = client_for(practitioner)
    created = api.post(
        "/api/v1/people",
        {
            "first_name": "Dee",
            "last_name": "Jones",
            "date_of_birth": "1991-04-03",
            "sex": "FEMALE",
            "pnc_number": "2012/123456Y",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    crn = created.json()["crn"]
    duplicate = api.post(
        "/api/v1/people",
        {"first_name": "dee", "last_name": "JONES", "date_of_birth": "1991-04-03", "sex": "FEMALE"},
        content_type=JSON,
    )
    assert duplicate.status_code == 409 and crn in duplicate.json()["title"] + duplicate.json().get(
        "detail", ""
    )

    allocated = client_for(spo).post(
        f"/api/v1/people/{crn}/allocations",
        {
            "team_id": practitioner.staff.team_id,
            "practitioner_id": practitioner.staff_id,
            "reason": "INITIAL",
            "version": created.json()["version"],
        },
        content_type=JSON,
    )
    assert allocated.status_code == 201, allocated.content

    sentenced = api.post(
        f"/api/v1/people/{crn}/events",
        {
            "court": "Nottingham Magistrates' Court",
            "convicted_on": "2026-01-12",
            "sentenced_on": "2026-01-12",
            "offences": [
                {
                    "description": "Theft from a shop",
                    "category": "THEFT",
                    "committed_on": "2025-12-20",
                    "is_main": True,
                }
            ],
            "sentence": {"disposal_type": "CO", "length_months": 12},
            "requirements": [{"type": "RAR", "amount": 10}, {"type": "UNPAID_WORK", "amount": 80}],
        },
        content_type=JSON,
    )
    assert sentenced.status_code == 201, sentenced.content
    event = sentenced.json()
    assert [r["type"] for r in event["sentence"]["requirements"]] == ["RAR", "UNPAID_WORK"]

    tier = api.post(
        f"/api/v1/people/{crn}/risk-assessments",
        {
            "completed_on": "2026-01-20",
            "rosh": "MEDIUM",
            "arp_score": 55,
            "arp_type": "DYNAMIC",
            "csrp_score": 1.2,
            "csrp_type": "DYNAMIC",
            "need_scores": {"ACCOMMODATION": 7},
        },
        content_type=JSON,
    )
    assert tier.status_code == 201 and tier.json()["tier"] == "D", tier.content

    start = timezone.now() - timedelta(days=2)
    booked = api.post(
        f"/api/v1/people/{crn}/appointments",
        {
            "type": "SUPERVISION",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "practitioner_id": practitioner.staff_id,
            "event_id": event["id"],
        },
        content_type=JSON,
    )
    assert booked.status_code == 201
    appointment = booked.json()["id"]
    outcome = api.post(
        f"/api/v1/people/{crn}/appointments/{appointment}/outcome",
        {"outcome": "UNACCEPTABLE_ABSENCE", "notes": "No show", "version": 1},
        content_type=JSON,
    )
    assert outcome.status_code == 200
    options = api.get(f"/api/v1/people/{crn}/appointments/{appointment}/enforcement").json()
    assert options["may_warn"] is True
    warned = api.post(
        f"/api/v1/people/{crn}/appointments/{appointment}/enforcement",
        {"decision": "WARNING", "circumstances": "Missed without reason"},
        content_type=JSON,
    )
    assert warned.status_code == 201

    ended = api.post(
        f"/api/v1/people/{crn}/sentences/{event['sentence']['id']}/end",
        {
            "ended_on": timezone.localdate().isoformat(),  # ends are never in the future
            "reason": "COMPLETED",
            "version": event["sentence"]["version"],
        },
        content_type=JSON,
    )
    assert ended.status_code == 200 and ended.json()["status"] == "COMPLETED"
    assert api.get(f"/api/v1/people/{crn}").json()["tier"] == "NOT_SUPERVISED"
    history = api.get(f"/api/v1/people/{crn}/tier").json()
    assert [h["tier"] for h in history][:2] == ["NOT_SUPERVISED", "D"]


def test_a_second_failure_within_a_year_cannot_be_warned_through_the_api(
    make_user: Any, client_for: Any
) -> None:

    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team)
    event = community_order(person, sentenced_on=date(2026, 1, 5))
    api = client_for(practitioner)
    ids = []
    for days_ago in (40, 10):
        start = timezone.now() - timedelta(days=days_ago)
        ids.append(
            api.post(
                f"/api/v1/people/{person.crn}/appointments",
                {
                    "type": "SUPERVISION",
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=1)).isoformat(),
                    "practitioner_id": practitioner.staff_id,
                    "event_id": event.pk,
                },
                content_type=JSON,
            ).json()["id"]
        )
        api.post(
            f"/api/v1/people/{person.crn}/appointments/{ids[-1]}/outcome",
            {"outcome": "UNACCEPTABLE_ABSENCE", "notes": "No show", "version": 1},
            content_type=JSON,
        )
    api.post(
        f"/api/v1/people/{person.crn}/appointments/{ids[0]}/enforcement",
        {"decision": "WARNING", "circumstances": "First"},
        content_type=JSON,
    )
    second = api.post(
        f"/api/v1/people/{person.crn}/appointments/{ids[1]}/enforcement",
        {"decision": "WARNING", "circumstances": "Second"},
        content_type=JSON,
    )
    assert second.status_code == 409 and "breach action must be taken" in second.json()["detail"]
    breach = api.post(
        f"/api/v1/people/{person.crn}/appointments/{ids[1]}/enforcement",
        {"decision": "BREACH", "circumstances": "Second"},
        content_type=JSON,
    )
    assert breach.status_code == 201
    breaches = api.get(f"/api/v1/people/{person.crn}/breaches").json()
    assert breaches[0]["status"] == "REQUESTED" and breaches[0]["due_by"]


def test_an_event_can_be_allocated_apart_from_the_case(make_user: Any, client_for: Any) -> None:

    spo = make_user(Role.SENIOR_PROBATION_OFFICER)
    colleague = StaffFactory(team=spo.staff.team, pdu=spo.staff.pdu)
    person = PersonFactory(team=spo.staff.team, pdu=spo.staff.pdu)
    event = community_order(person, sentenced_on=date(2026, 1, 5))
    response = client_for(spo).post(
        f"/api/v1/people/{person.crn}/allocations",
        {
            "team_id": spo.staff.team_id,
            "practitioner_id": colleague.pk,
            "event_id": event.pk,
            "reason": "WORKLOAD",
            "version": person.version,
        },
        content_type=JSON,
    )
    assert response.status_code == 201 and response.json()["event_id"] == event.pk
    event.refresh_from_db()
    person.refresh_from_db()
    assert event.practitioner == colleague and person.practitioner is None
