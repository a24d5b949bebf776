"""Dates of decisions are never in the future: warnings, breach steps (information laid,
presented, court outcome), convictions and sentences and their ends, risk assessments.
Today is accepted, tomorrow refused, with a field message on the page and in the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.roles import Role
from people.tests.factories import PersonFactory
from risk import services as risk
from sentences import services as sentences
from sentences.constants import TerminationReason
from sentences.models import Requirement, Sentence
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType, BreachStatus, EnforcementDecision
from supervision.models import Appointment, Breach

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Late in the evening, so a UTC "today" would already be wrong by an hour in summer time.
NOW = datetime(2026, 7, 15, 23, 30, tzinfo=LONDON)
TODAY, TOMORROW = date(2026, 7, 15), date(2026, 7, 16)
JSON = "application/json"


@pytest.fixture
def case(make_user: Any) -> dict[str, Any]:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    with time_machine.travel(NOW, tick=False):
        event = community_order(person, sentenced_on=date(2026, 1, 5))
        start = datetime(2026, 7, 1, 10, tzinfo=LONDON)
        appointment = services.book_appointment(
            acting_user=user,
            person=person,
            type=AppointmentType.SUPERVISION,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            practitioner=user.staff,
        )
        services.record_outcome(
            acting_user=user,
            appointment_id=appointment.pk,
            outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
            notes="No show",
            expected_version=Appointment.objects.get(pk=appointment.pk).version,
        )
    return {"user": user, "person": person, "event": event, "appointment": appointment}


def _decide(case: dict[str, Any], on: date, decision: EnforcementDecision) -> Any:
    return services.take_enforcement_action(
        acting_user=case["user"],
        appointment_id=case["appointment"].pk,
        decision=decision,
        circumstances="Missed the appointment",
        on=on,
    )


@time_machine.travel(NOW, tick=False)
def test_a_warning_dated_tomorrow_is_refused_and_today_accepted(case: dict[str, Any]) -> None:
    """Proved able to fail: removing ``refuse_future`` from ``take_enforcement_action`` turns this red."""
    with pytest.raises(ValidationError) as error:
        _decide(case, TOMORROW, EnforcementDecision.WARNING)
    assert error.value.message_dict["on"] == ["The date of the decision must be today or in the past"]
    assert _decide(case, TODAY, EnforcementDecision.WARNING).given_on == TODAY


@time_machine.travel(NOW, tick=False)
def test_a_decision_cannot_come_before_the_failure(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="before the failure"):
        _decide(case, date(2026, 6, 30), EnforcementDecision.WARNING)


def _requested_breach(case: dict[str, Any]) -> Breach:
    with time_machine.travel(datetime(2026, 7, 2, 10, tzinfo=LONDON), tick=False):
        breach = _decide(case, date(2026, 7, 2), EnforcementDecision.BREACH)
    assert isinstance(breach, Breach)
    return breach


@pytest.mark.parametrize("step", [BreachStatus.ACTIONED, BreachStatus.PRESENTED, BreachStatus.CONCLUDED])
@time_machine.travel(NOW, tick=False)
def test_no_breach_step_is_dated_tomorrow(case: dict[str, Any], step: BreachStatus) -> None:
    """Information laid, presented at court and the court's outcome: today yes, tomorrow no.

    Proved able to fail: removing ``refuse_future`` from ``advance_breach`` turns this red.
    """
    breach = _requested_breach(case)
    path = [BreachStatus.ACTIONED, BreachStatus.PRESENTED, BreachStatus.CONCLUDED]
    for earlier in path[: path.index(step)]:
        breach = services.advance_breach(
            acting_user=case["user"],
            breach_id=breach.pk,
            to=earlier,
            on=TODAY,
            expected_version=Breach.objects.get(pk=breach.pk).version,
        )
    outcome = "CONTINUED" if step == BreachStatus.CONCLUDED else None
    with pytest.raises(ValidationError) as error:
        services.advance_breach(
            acting_user=case["user"],
            breach_id=breach.pk,
            to=step,
            on=TOMORROW,
            expected_version=Breach.objects.get(pk=breach.pk).version,
            court_outcome=outcome,
        )
    assert error.value.message_dict["on"] == ["The date it happened must be today or in the past"]
    done = services.advance_breach(
        acting_user=case["user"],
        breach_id=breach.pk,
        to=step,
        on=TODAY,
        expected_version=Breach.objects.get(pk=breach.pk).version,
        court_outcome=outcome,
    )
    assert done.status == step


@time_machine.travel(NOW, tick=False)
def test_the_breach_page_and_api_name_the_date_field(case: dict[str, Any], client_for: Any) -> None:
    breach = _requested_breach(case)
    client = client_for(case["user"])
    crn = case["person"].crn
    page = client.post(
        f"/cases/{crn}/breaches/{breach.pk}/",
        {"to": "ACTIONED", "on": TOMORROW.strftime("%d/%m/%Y"), "version": str(breach.version)},
    )
    content = page.content.decode()
    assert page.status_code == 400 and "govuk-error-summary" in content
    assert 'href="#id_on"' in content and "The date it happened must be today or in the past" in content
    api = client.post(
        f"/api/v1/people/{crn}/breaches/{breach.pk}/transitions",
        {"to": "ACTIONED", "on": TOMORROW.isoformat(), "version": breach.version},
        content_type=JSON,
    )
    assert api.status_code == 422 and api["Content-Type"] == "application/problem+json"
    assert api.json()["errors"] == [
        {"field": "on", "message": "The date it happened must be today or in the past"}
    ]
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REQUESTED and breach.actioned_on is None


@time_machine.travel(NOW, tick=False)
def test_a_risk_assessment_completed_tomorrow_is_refused(case: dict[str, Any], client_for: Any) -> None:
    """Proved able to fail: removing ``refuse_future`` from ``risk.services.record_assessment`` turns this red."""
    person = case["person"]
    with pytest.raises(ValidationError) as error:
        risk.record_assessment(acting_user=case["user"], person=person, completed_on=TOMORROW, rosh="LOW")
    assert error.value.message_dict["completed_on"] == ["The date completed must be today or in the past"]
    client = client_for(case["user"])
    page = client.post(
        f"/cases/{person.crn}/risk/assessments/new/", {"completed_on": TOMORROW.strftime("%d/%m/%Y")}
    )
    assert page.status_code == 400 and 'href="#id_completed_on"' in page.content.decode()
    api = client.post(
        f"/api/v1/people/{person.crn}/risk-assessments",
        {"completed_on": TOMORROW.isoformat()},
        content_type=JSON,
    )
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "completed_on"
    assert risk.record_assessment(acting_user=case["user"], person=person, completed_on=TODAY, rosh="LOW")


@time_machine.travel(NOW, tick=False)
def test_a_conviction_or_sentence_dated_tomorrow_is_refused(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        community_order(case["person"], sentenced_on=TOMORROW)
    assert "convicted_on" in error.value.message_dict
    assert community_order(case["person"], sentenced_on=TODAY).sentenced_on == TODAY


@time_machine.travel(NOW, tick=False)
def test_a_sentence_or_requirement_ended_tomorrow_is_refused(case: dict[str, Any], client_for: Any) -> None:
    sentence = case["event"].sentence
    requirement = sentence.requirements.get()
    for end in (
        lambda on: sentences.end_requirement(
            acting_user=case["user"],
            requirement_id=requirement.pk,
            ended_on=on,
            reason=TerminationReason.COMPLETED,
            expected_version=Requirement.objects.get(pk=requirement.pk).version,
        ),
        lambda on: sentences.end_sentence(
            acting_user=case["user"],
            sentence_id=sentence.pk,
            ended_on=on,
            reason=TerminationReason.REVOKED_GOOD_PROGRESS,
            expected_version=Sentence.objects.get(pk=sentence.pk).version,
        ),
    ):
        with pytest.raises(ValidationError) as error:
            end(TOMORROW)
        assert error.value.message_dict["ended_on"] == ["The end date must be today or in the past"]
        assert end(TODAY).ended_on == TODAY
