"""The referral lifecycle table: its states are the model's, every state is reachable,
every step has a page, and each service refuses its step from every state the table
does not list as a source (so the table, not a hand-written check, is the guard).

Proved able to fail: with ``REFERRAL.guard`` removed from ``services._locked`` all 63
refusal cases went red (the services then failed elsewhere or accepted the step);
restored, green."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from referrals import services
from referrals.actions import ACTIONS
from referrals.constants import ReferralStatus, WithdrawalReason
from referrals.lifecycle import REFERRAL
from referrals.models import Referral
from referrals.tests.factories import send

pytestmark = pytest.mark.django_db


def test_the_table_names_the_models_states_and_reaches_every_one() -> None:
    assert set(REFERRAL.states) == set(ReferralStatus.values)
    for t in REFERRAL.transitions:
        assert set(t.sources) <= set(ReferralStatus.values), t.name
    assert REFERRAL.reachable() == set(ReferralStatus.values)


def test_every_step_has_a_page_and_every_page_a_step() -> None:
    assert set(ACTIONS) == set(REFERRAL.by_name)


def _call(name: str, w: dict[str, Any], referral: Referral) -> Callable[[], Any]:
    """The service behind each step, with arguments that would pass if the state allowed it."""
    common = {"referral_id": referral.pk, "expected_version": referral.version}
    return {
        "assign": lambda: services.assign_caseworker(
            acting_user=w["caseworker"], caseworker_id=w["caseworker"].pk, **common
        ),
        "book-assessment": lambda: services.book_assessment(
            acting_user=w["caseworker"], at=timezone.now(), **common
        ),
        "record-assessment": lambda: services.record_assessment(
            acting_user=w["caseworker"], assessed_on=timezone.localdate(), notes="Seen", **common
        ),
        "action-plan": lambda: services.submit_action_plan(
            acting_user=w["caseworker"], number_of_sessions=2, activities="Housing", **common
        ),
        "plan-decision": lambda: services.decide_action_plan(
            acting_user=w["practitioner"], approve=True, **common
        ),
        "session": lambda: services.record_session(
            acting_user=w["caseworker"],
            number=1,
            happened_at=timezone.now(),
            method="IN_PERSON",
            attendance="YES",
            absence_acceptable=None,
            **common,
        ),
        "report": lambda: services.submit_report(acting_user=w["caseworker"], ratings={}, **common),
        "withdraw": lambda: services.withdraw(
            acting_user=w["practitioner"], reason=WithdrawalReason.MOV, **common
        ),
    }[name]


REFUSALS = [
    (t.name, state) for t in REFERRAL.transitions for state in ReferralStatus.values if state not in t.sources
]


@pytest.mark.parametrize(("step", "state"), REFUSALS)
def test_each_service_refuses_its_step_from_a_state_outside_its_sources(
    world: dict[str, Any], step: str, state: str
) -> None:
    referral = send(world)
    Referral.objects.filter(pk=referral.pk).update(status=state)
    referral.refresh_from_db()
    with pytest.raises(
        TransitionNotAllowed, match=f"while the referral is {REFERRAL.label_of(state).lower()}"
    ):
        _call(step, world, referral)()


def test_withdrawing_twice_is_refused_by_the_tables_condition(world: dict[str, Any]) -> None:
    referral = send(world)
    Referral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.AWAITING_REPORT, withdrawn_at=timezone.now()
    )
    referral.refresh_from_db()
    assert "withdraw" not in [t.name for t in REFERRAL.allowed(referral, world["practitioner"])]
    with pytest.raises(TransitionNotAllowed, match="already been withdrawn"):
        _call("withdraw", world, referral)()


def test_next_steps_in_the_api_are_the_tables(world: dict[str, Any], client: Any) -> None:
    referral = send(world, completion_deadline=date.today().replace(year=date.today().year + 1))
    client.force_login(world["practitioner"])
    assert client.get(f"/api/v1/referrals/{referral.pk}").json()["next_steps"] == ["withdraw"]
    client.force_login(world["caseworker"])
    assert client.get(f"/api/v1/referrals/{referral.pk}").json()["next_steps"] == ["assign"]


def test_a_step_from_the_wrong_state_answers_the_409_problem(world: dict[str, Any], client: Any) -> None:
    referral = send(world)
    client.force_login(world["caseworker"])
    answer = client.post(
        f"/api/v1/referrals/{referral.pk}/assessment",
        {"assessed_on": str(timezone.localdate()), "notes": "x", "version": referral.version},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "“Record the initial assessment” is not possible while the referral is "
        "sent, waiting for a caseworker."
    )
