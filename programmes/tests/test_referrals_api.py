"""Programme referrals through /api/v1 end to end (refer, read, assess, availability,
non-associations, LDC overrides, steps), and the practitioner's view of them on the
person's overview (state, next session, alerts) in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from organisation.tests.factories import OfficeFactory, PduFactory, StaffFactory, TeamFactory
from programmes.constants import ProgrammeKind, ReferralStatus, SessionKind
from programmes.models import GroupMember, ProgrammeReferral, ProgrammeSession
from programmes.tests.factories import ProgrammeFactory, RoomFactory, group, programme_with_template
from programmes.tests.referral_builders import person_of, referral_in
from sentences import services as sentences
from sentences.constants import RequirementType
from sentences.models import Requirement
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
LONDON = ZoneInfo("Europe/London")


def _json(client: Any, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, body or {}, content_type="application/json")


def _team(make_user: Any) -> tuple[Any, Any, Any]:
    team = TeamFactory()
    practitioner = make_user(Role.PRACTITIONER, staff=StaffFactory(team=team, pdu=team.pdu))
    coordinator = make_user(Role.PROGRAMME_COORDINATOR, staff=StaffFactory(team=team, pdu=team.pdu))
    return practitioner, coordinator, team


@time_machine.travel(TODAY, tick=False)
def test_a_referral_round_trip_through_the_api(make_user: Any, client_for: Any) -> None:
    practitioner, coordinator, team = _team(make_user)
    person = person_of(practitioner, sex="MALE")
    other = person_of(practitioner)
    event = community_order(
        person,
        sentenced_on=date(2026, 9, 7),
        months=18,
        requirements=[sentences.RequirementInput(type=RequirementType.RAR, amount=20)],
    )
    rar = Requirement.objects.get(sentence__event=event)
    intervention = ProgrammeFactory(kind=ProgrammeKind.STRUCTURED, intensity="", typical_weeks=8)
    practice = client_for(practitioner)
    wrong = _json(
        practice,
        "post",
        f"/api/v1/people/{person.crn}/programme-referrals",
        {"event_id": event.pk, "programme_id": ProgrammeFactory().pk, "requirement_id": rar.pk},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "requirement"
    made = _json(
        practice,
        "post",
        f"/api/v1/people/{person.crn}/programme-referrals",
        {"event_id": event.pk, "programme_id": intervention.pk, "requirement_id": rar.pk},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    referral_id = body["id"]
    assert (body["crn"], body["source"], body["status"], body["programme"]) == (
        person.crn,
        "PRACTITIONER",
        "AWAITING_ASSESSMENT",
        intervention.name,
    )
    assert (body["referred_on"], body["must_finish_by"], body["cannot_finish_in_time"]) == (
        "2026-12-01",
        str(rar.expected_end_on),
        False,
    )
    assert body["next_steps"] == ["withdraw"] and body["history"][0]["to_status"] == "AWAITING_ASSESSMENT"

    team_client = client_for(coordinator)
    url = f"/api/v1/programme-referrals/{referral_id}"
    assessed = _json(
        team_client,
        "post",
        f"{url}/suitability",
        {
            "suitability": "SUITABLE",
            "suitability_reasons": "Motivated",
            "programme_id": intervention.pk,
            "version": body["version"],
        },
    )
    assert assessed.status_code == 200, assessed.content
    assert (assessed.json()["status"], assessed.json()["suitability"]) == ("AWAITING_ALLOCATION", "SUITABLE")

    near = OfficeFactory(pdu=team.pdu, name="Near office")
    far = OfficeFactory(pdu=PduFactory(region_id="F"), name="Far office")
    other_region = OfficeFactory(pdu=PduFactory(region_id="C"))
    version = assessed.json()["version"]
    outside = _json(
        team_client,
        "put",
        f"{url}/availability",
        {"slots": [], "preferred_office_ids": [other_region.pk], "version": version},
    )
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "preferred_offices"
    both = _json(
        team_client,
        "put",
        f"{url}/availability",
        {
            "slots": [],
            "preferred_office_ids": [near.pk],
            "impossible_office_ids": [near.pk],
            "version": version,
        },
    )
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "impossible_offices"
    saved = _json(
        team_client,
        "put",
        f"{url}/availability",
        {
            "slots": [{"weekday": 0, "part": "EVENING"}, {"weekday": 2, "part": "DAYTIME"}],
            "preferred_office_ids": [near.pk],
            "impossible_office_ids": [far.pk],
            "version": version,
        },
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["availability"] == [
        {"weekday": 0, "part": "EVENING"},
        {"weekday": 2, "part": "DAYTIME"},
    ]
    assert (saved.json()["preferred_office_ids"], saved.json()["impossible_office_ids"]) == (
        [near.pk],
        [far.pk],
    )

    apart = _json(
        team_client, "post", f"{url}/non-associations", {"crn": other.crn, "reason": "Co-defendant"}
    )
    assert apart.status_code == 201
    assert apart.json()["non_associations"][0]["crn"] == other.crn
    again = _json(team_client, "post", f"{url}/non-associations", {"crn": other.crn, "reason": "Again"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "crn"
    unknown = _json(team_client, "post", f"{url}/non-associations", {"crn": "Z999999", "reason": "x"})
    assert unknown.status_code == 404  # a person outside the user's scope, like one that does not exist

    ldc = _json(
        team_client,
        "post",
        f"{url}/ldc-overrides",
        {"score": 3, "reason": "Reading difficulties", "version": apart.json()["version"]},
    )
    assert ldc.status_code == 201
    assert (ldc.json()["ldc_score"], ldc.json()["ldc_scores"][0]["is_override"]) == (3, True)

    deferred = _json(
        team_client, "post", f"{url}/steps/defer", {"reason": "EMPLOYMENT", "version": ldc.json()["version"]}
    )
    assert deferred.status_code == 200
    assert (deferred.json()["status"], deferred.json()["status_reason"]) == ("DEFERRED", "EMPLOYMENT")
    assert deferred.json()["next_steps"] == ["assess", "ready", "return_to_court", "withdraw"]
    not_now = _json(
        team_client,
        "post",
        f"{url}/steps/defer",
        {"reason": "EMPLOYMENT", "version": deferred.json()["version"]},
    )
    assert not_now.status_code == 409
    unknown_step = _json(
        team_client, "post", f"{url}/steps/schedule", {"version": deferred.json()["version"]}
    )
    assert unknown_step.status_code == 404


def test_a_non_association_holds_both_ways(make_user: Any, client_for: Any) -> None:
    practitioner, coordinator, _ = _team(make_user)
    one, two = person_of(practitioner), person_of(practitioner)
    first = referral_in(ReferralStatus.AWAITING_ALLOCATION, one)
    second = referral_in(ReferralStatus.AWAITING_ALLOCATION, two)
    client = client_for(coordinator)
    assert (
        _json(
            client,
            "post",
            f"/api/v1/programme-referrals/{first.pk}/non-associations",
            {"crn": two.crn, "reason": "Victim"},
        ).status_code
        == 201
    )
    seen_from_two = client.get(f"/api/v1/programme-referrals/{second.pk}").json()["non_associations"]
    assert [n["crn"] for n in seen_from_two] == [one.crn]
    reverse = _json(
        client,
        "post",
        f"/api/v1/programme-referrals/{second.pk}/non-associations",
        {"crn": one.crn, "reason": "x"},
    )
    assert reverse.status_code == 422
    page = client.get(f"/programme-referrals/{second.pk}/").content.decode()
    assert f"({one.crn}): Victim" in page


# --- The practitioner's view on the overview ------------------------------------------------


def _in_group_with_sessions(referral: ProgrammeReferral, manager: Any) -> None:
    programme = programme_with_template()
    referral.programme = programme
    referral.status = ReferralStatus.SCHEDULED
    referral.save()
    made = group(programme, room=RoomFactory(), treatment_manager=manager.staff, created_by=manager)
    member = GroupMember.objects.create(group=made, referral=referral, joined_on=TODAY)
    start = datetime(2026, 12, 7, 10, tzinfo=LONDON)
    for n, (kind, when, own) in enumerate(
        [
            (SessionKind.GROUP, start - timedelta(days=14), None),  # past
            (SessionKind.ONE_TO_ONE, start - timedelta(days=2), member),  # the next: their one-to-one
            (SessionKind.GROUP, start, None),
            (SessionKind.ONE_TO_ONE, start - timedelta(days=3), None),  # someone else's, not theirs
        ]
    ):
        ProgrammeSession.objects.create(
            group=made,
            position=n,
            module="Module 1",
            name=f"Session {n}",
            kind=kind,
            minutes=60,
            member=own,
            starts_at=when,
        )


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False)
def test_the_overview_shows_each_referral_with_its_next_session_and_alerts(
    make_user: Any, client_for: Any
) -> None:
    practitioner, _, _ = _team(make_user)
    person = person_of(practitioner)
    in_group = referral_in(ReferralStatus.AWAITING_ALLOCATION, person)
    _in_group_with_sessions(in_group, make_user(Role.TREATMENT_MANAGER))
    referral_in(
        ReferralStatus.SUITABLE_NOT_READY,
        person,
        programme=ProgrammeFactory(name="Too long", typical_weeks=200),
        sentenced_on=date(2026, 10, 5),
    )
    page = client_for(practitioner).get(f"/cases/{person.crn}/").content.decode()
    panel = page[page.index('data-testid="programme-referrals"') :]
    assert "5 Dec 2026, 10:00" in panel and "Session 1" in panel  # the one-to-one before the group session
    assert "Cannot finish in time" in panel and "Suitable but not ready" in panel
    assert "Scheduled" in panel
    assert f"/programme-referrals/{in_group.pk}/" in panel
    assert f"/cases/{person.crn}/programme-referrals/new/" in panel


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False)
def test_the_overview_does_not_grow_with_the_number_of_referrals(make_user: Any, client_for: Any) -> None:
    practitioner, _, _ = _team(make_user)
    manager = make_user(Role.TREATMENT_MANAGER)
    client = client_for(practitioner)
    few, many = person_of(practitioner), person_of(practitioner)
    _in_group_with_sessions(referral_in(ReferralStatus.AWAITING_ALLOCATION, few), manager)
    for n in range(3):
        _in_group_with_sessions(
            referral_in(ReferralStatus.AWAITING_ALLOCATION, many, sentenced_on=date(2026, 9, 7 + n)), manager
        )
    assert _count(client, f"/cases/{few.crn}/") == _count(client, f"/cases/{many.crn}/")
