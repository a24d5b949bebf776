"""No enforceable failure is ever lost: until a warning or breach is recorded it shows as
"action needed" on the case overview and on the caseload, scoped like the caseload."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from people.constants import AccessListKind
from people.models import CaseAccessEntry
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType, EnforcementDecision
from supervision.models import Appointment
from supervision.selectors import action_needed, action_needed_for

pytestmark = pytest.mark.django_db


def _appointment(user: Any, person: Any, outcome: str, days_ago: int = 3) -> Appointment:
    start = timezone.now() - timedelta(days=days_ago)
    appointment = services.book_appointment(
        acting_user=user,
        person=person,
        type=AppointmentType.SUPERVISION,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        practitioner=user.staff,
    )
    return services.record_outcome(
        acting_user=user,
        appointment_id=appointment.pk,
        outcome=outcome,
        notes="What happened",
        absence_reason="MEDICAL" if outcome == AppointmentOutcome.ACCEPTABLE_ABSENCE else "",
        expected_version=Appointment.objects.get(pk=appointment.pk).version,
    )


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    community_order(person, sentenced_on=date(2026, 1, 5))
    return {"user": user, "person": person}


def test_only_undecided_enforceable_failures_need_action(case: dict[str, Any]) -> None:
    user, person = case["user"], case["person"]
    absent = _appointment(user, person, AppointmentOutcome.UNACCEPTABLE_ABSENCE, days_ago=5)
    failed = _appointment(user, person, AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY, days_ago=4)
    _appointment(user, person, AppointmentOutcome.ACCEPTABLE_ABSENCE)
    _appointment(user, person, AppointmentOutcome.ATTENDED_COMPLIED)
    assert list(action_needed_for(person)) == [absent, failed]
    services.take_enforcement_action(
        acting_user=user,
        appointment_id=absent.pk,
        decision=EnforcementDecision.WARNING,
        circumstances="First failure",
    )
    assert list(action_needed_for(person)) == [failed]
    services.take_enforcement_action(
        acting_user=user, appointment_id=failed.pk, decision=EnforcementDecision.BREACH, circumstances="Again"
    )
    assert not action_needed_for(person).exists()


def test_leaving_the_enforcement_page_does_not_lose_the_failure(
    case: dict[str, Any], client_for: Any
) -> None:
    """Record the outcome on the page, walk away from the enforcement page: the case and the
    caseload still say action is needed, with a link back, until a decision is recorded."""
    user, person = case["user"], case["person"]
    client = client_for(user)
    start = timezone.now() - timedelta(days=2)
    appointment = services.book_appointment(
        acting_user=user,
        person=person,
        type=AppointmentType.SUPERVISION,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        practitioner=user.staff,
    )
    recorded = client.post(
        f"/cases/{person.crn}/appointments/{appointment.pk}/outcome/",
        {"outcome": "UNACCEPTABLE_ABSENCE", "notes": "No show, no call", "version": "1"},
    )
    enforcement_url = f"/cases/{person.crn}/appointments/{appointment.pk}/enforcement/"
    assert recorded.status_code == 302 and recorded["Location"] == enforcement_url

    overview = client.get(f"/cases/{person.crn}/").content.decode()
    assert 'data-testid="action-needed"' in overview and f'href="{enforcement_url}"' in overview
    assert "1 failure to comply needs a warning or breach decision" in overview
    caseload = client.get("/cases/?mine=on&action=on").content.decode()
    assert person.crn in caseload and '1<span class="govuk-visually-hidden"> failure awaiting' in caseload

    assert client.post(enforcement_url, {"decision": "WARNING", "circumstances": "First"}).status_code == 302
    assert 'data-testid="action-needed"' not in client.get(f"/cases/{person.crn}/").content.decode()
    assert person.crn not in client.get("/cases/?mine=on&action=on").content.decode()


def test_the_caseload_can_sort_by_action_needed(case: dict[str, Any], client_for: Any) -> None:
    user = case["user"]
    calm = PersonFactory(team=user.staff.team, practitioner=user.staff, last_name="Aaron")
    _appointment(user, case["person"], AppointmentOutcome.UNACCEPTABLE_ABSENCE)
    page = client_for(user).get("/cases/?mine=on&sort=action&desc=on").content.decode()
    assert page.index(case["person"].crn) < page.index(calm.crn)


def test_action_needed_is_scoped_like_the_caseload(case: dict[str, Any], make_user: Any) -> None:
    """Excluded staff and staff elsewhere never see another case's failures.

    Proved able to fail: dropping ``person__in=people_visible_to(user)`` from
    ``supervision.selectors.action_needed`` turns this red.
    """
    user, person = case["user"], case["person"]
    failure = _appointment(user, person, AppointmentOutcome.UNACCEPTABLE_ABSENCE)
    assert list(action_needed(user)) == [failure]
    elsewhere = make_user(Role.PRACTITIONER)  # another team, another PDU
    assert not action_needed(elsewhere).exists()
    excluded = make_user(Role.SENIOR_PROBATION_OFFICER, scope_level="NATIONAL")
    assert list(action_needed(excluded)) == [failure]  # in scope until excluded from the case
    CaseAccessEntry.objects.create(
        person=person, user=excluded, kind=AccessListKind.EXCLUDED, reason="Conflict of interest"
    )
    assert not action_needed(excluded).exists()


def test_the_caseload_does_not_grow_with_failures(case: dict[str, Any], client_for: Any) -> None:
    user = case["user"]
    client = client_for(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cases/?mine=on").status_code == 200
        return len(queries.captured_queries)

    _appointment(user, case["person"], AppointmentOutcome.UNACCEPTABLE_ABSENCE)
    few = count()
    for _ in range(5):
        person = PersonFactory(team=user.staff.team, practitioner=user.staff)
        community_order(person, sentenced_on=date(2026, 1, 5))
        _appointment(user, person, AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY)
    assert count() == few


def test_the_api_lists_failures_awaiting_a_decision(case: dict[str, Any], client_for: Any) -> None:
    failure = _appointment(case["user"], case["person"], AppointmentOutcome.UNACCEPTABLE_ABSENCE)
    body = client_for(case["user"]).get("/api/v1/enforcement/action-needed?mine=true").json()
    assert body["count"] == 1
    assert body["items"][0]["appointment_id"] == failure.pk
    assert body["items"][0]["crn"] == case["person"].crn


def test_the_caseload_api_counts_and_filters_action_needed(case: dict[str, Any], client_for: Any) -> None:
    user = case["user"]
    PersonFactory(team=user.staff.team, practitioner=user.staff)
    _appointment(user, case["person"], AppointmentOutcome.UNACCEPTABLE_ABSENCE)
    body = client_for(user).get("/api/v1/people?mine=true&action=true").json()
    assert [(p["crn"], p["action_needed"]) for p in body["items"]] == [(case["person"].crn, 1)]
