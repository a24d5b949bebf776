"""The Unpaid Work order's lifecycle table (ADR 19): its states are the model's and all
reachable; the assessment moves an order to working; when its requirement ends (the
sentences context publishes ``SentenceChanged``) the order ends with it, and an ended
order takes no booking, adjustment or assessment, through the services, the planner's
list of people and the API.

Proved able to fail: with ``ORDER.guard(order, "book")`` removed from
``services.book``, an ended order was booked and the refusal case went red; restored,
green."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from people.tests.factories import PersonFactory
from sentences import services as sentences
from sentences.constants import TerminationReason
from sentences.models import Requirement
from unpaid_work import services
from unpaid_work.constants import AdjustmentReason, OrderStatus
from unpaid_work.lifecycle import ORDER
from unpaid_work.models import UnpaidWorkOrder
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 1)


def test_the_table_names_the_models_states_and_reaches_every_one() -> None:
    assert set(ORDER.states) == set(OrderStatus.values)
    assert ORDER.reachable() == set(OrderStatus.values)


def _order(make_user: Any) -> tuple[Any, UnpaidWorkOrder]:
    coordinator = make_user(Role.UNPAID_WORK)
    person = PersonFactory(pdu=coordinator.staff.pdu, team=None)
    return coordinator, upw_order(person, sentenced_on=date(2026, 9, 7))


def _assess(coordinator: Any, order: UnpaidWorkOrder) -> UnpaidWorkOrder:
    return services.update_assessment(
        acting_user=coordinator,
        order_id=order.pk,
        expected_version=UnpaidWorkOrder.objects.get(pk=order.pk).version,
        assessed_on=date(2026, 9, 10),
        home_postcode="NG1 1AA",
    )


def _end_requirement(coordinator: Any, order: UnpaidWorkOrder) -> None:
    requirement = Requirement.objects.get(pk=order.requirement_id)
    sentences.end_requirement(
        acting_user=coordinator,
        requirement_id=requirement.pk,
        ended_on=date(2026, 9, 30),
        reason=TerminationReason.REVOKED_GOOD_PROGRESS,
        expected_version=requirement.version,
    )


@time_machine.travel(TODAY, tick=False)
def test_an_order_waits_for_its_assessment_then_works_then_ends_with_its_requirement(make_user: Any) -> None:
    coordinator, order = _order(make_user)
    assert order.status == OrderStatus.AWAITING_ASSESSMENT
    assert _assess(coordinator, order).status == OrderStatus.WORKING
    _end_requirement(coordinator, order)
    assert UnpaidWorkOrder.objects.get(pk=order.pk).status == OrderStatus.ENDED


def _call(step: str, coordinator: Any, order: UnpaidWorkOrder) -> Callable[[], Any]:
    session = project(pdu=coordinator.staff.pdu)
    return {
        "assess": lambda: _assess(coordinator, order),
        "book": lambda: services.book(
            acting_user=coordinator,
            session_id=services.generate_sessions(
                acting_user=coordinator, project_id=session.pk, start=date(2026, 10, 5), end=date(2026, 10, 9)
            )[0].pk,
            order_id=order.pk,
        ),
        "adjust": lambda: services.add_adjustment(
            acting_user=coordinator, order_id=order.pk, minutes=60, reason=AdjustmentReason.OTHER, note="x"
        ),
    }[step]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("step", ["assess", "book", "adjust"])
def test_an_ended_order_refuses_every_step(make_user: Any, step: str) -> None:
    coordinator, order = _order(make_user)
    _end_requirement(coordinator, order)
    ended = UnpaidWorkOrder.objects.get(pk=order.pk)
    with pytest.raises(TransitionNotAllowed, match="while the order is ended"):
        _call(step, coordinator, ended)()


@time_machine.travel(TODAY, tick=False)
def test_the_api_shows_the_status_and_next_steps(make_user: Any, client: Any) -> None:
    coordinator, order = _order(make_user)
    client.force_login(coordinator)
    shown = client.get(f"/api/v1/unpaid-work/orders/{order.pk}").json()
    assert (shown["status"], shown["next_steps"]) == ("AWAITING_ASSESSMENT", ["assess", "book", "adjust"])
    _end_requirement(coordinator, order)
    shown = client.get(f"/api/v1/unpaid-work/orders/{order.pk}").json()
    assert (shown["status"], shown["next_steps"]) == ("ENDED", [])
    refused = client.post(
        f"/api/v1/unpaid-work/orders/{order.pk}/adjustments",
        {"minutes": 60, "reason": "OTHER", "note": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused["Content-Type"].startswith("application/problem+json")
