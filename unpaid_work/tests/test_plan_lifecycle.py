"""The placement plan's lifecycle table: its states are the model's, every state is
reachable from a proposal, and each service refuses its step from every state the table
does not list as a source.

Proved able to fail: with ``PLAN_RUN.guard`` removed from ``services.plans._proposed_run``
all six refusal cases went red (a confirmed plan was discarded, a discarded one
confirmed...); restored, green."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from unpaid_work import services
from unpaid_work.constants import PlanStatus
from unpaid_work.lifecycle import PLAN_RUN
from unpaid_work.models import PlanRun

pytestmark = pytest.mark.django_db


def test_the_table_names_the_models_states_and_reaches_every_one() -> None:
    assert set(PLAN_RUN.states) == set(PlanStatus.values)
    assert PLAN_RUN.reachable() == set(PlanStatus.values)


def _run(user: Any, status: str) -> PlanRun:
    return PlanRun.objects.create(
        pdu=user.staff.pdu,
        starts_on=date(2026, 11, 23),
        ends_on=date(2026, 11, 27),
        status=status,
        created_at=timezone.now(),
        created_by=user,
        solver_status="OPTIMAL",
        objective=0,
        bound=0,
        gap=0,
        seconds=0,
        people_considered=0,
        sessions_considered=0,
        greedy_minutes=0,
    )


def _call(step: str, user: Any, run: PlanRun) -> Callable[[], Any]:
    common = {"acting_user": user, "run_id": run.pk, "expected_version": run.version}
    return {
        "edit": lambda: services.set_proposals_included(included=set(), **common),
        "confirm": lambda: services.confirm_plan(**common),
        "discard": lambda: services.discard_plan(**common),
    }[step]


REFUSALS = [(t.name, s) for t in PLAN_RUN.transitions for s in PlanStatus.values if s not in t.sources]


@pytest.mark.parametrize(("step", "state"), REFUSALS)
def test_each_service_refuses_its_step_from_a_state_outside_its_sources(
    make_user: Any, step: str, state: str
) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    run = _run(coordinator, state)
    with pytest.raises(TransitionNotAllowed, match=f"while the plan is {PLAN_RUN.label_of(state).lower()}"):
        _call(step, coordinator, run)()


def test_the_api_lists_the_next_steps(make_user: Any, client: Any) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    client.force_login(coordinator)
    proposed, confirmed = _run(coordinator, PlanStatus.PROPOSED), _run(coordinator, PlanStatus.CONFIRMED)
    assert client.get(f"/api/v1/unpaid-work/plans/{proposed.pk}").json()["next_steps"] == [
        "edit",
        "confirm",
        "discard",
    ]
    assert client.get(f"/api/v1/unpaid-work/plans/{confirmed.pk}").json()["next_steps"] == []
