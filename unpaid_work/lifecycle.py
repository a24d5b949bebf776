"""The lifecycles of Unpaid Work (ADR 19).

A placement plan: the planner proposes it, and the coordinator edits which bookings to
keep, then confirms it (bookings are made) or discards it. ``services.plans`` guards
each step with it, the plan page shows its buttons from it and the API's plan lists
``next_steps`` from it.

An order: it waits for its assessment, works, and ends when its requirement ends.
``services.orders`` and ``services.bookings`` guard with it, the planner lists only
orders it lets book, and the order page and API show its steps."""

from __future__ import annotations

from typing import Any

from core.lifecycle import Lifecycle, Transition
from core.roles import Capability
from unpaid_work.constants import OrderStatus, PlanStatus

S = PlanStatus

PLAN_RUN = Lifecycle(
    noun="plan",
    states=dict(PlanStatus.choices),
    initial=S.PROPOSED,
    transitions=(
        Transition("edit", "Save changes", {S.PROPOSED}, capability=Capability.MANAGE_UNPAID_WORK),
        Transition(
            "confirm", "Confirm and book", {S.PROPOSED}, S.CONFIRMED, capability=Capability.MANAGE_UNPAID_WORK
        ),
        Transition(
            "discard", "Discard plan", {S.PROPOSED}, S.DISCARDED, capability=Capability.MANAGE_UNPAID_WORK
        ),
    ),
)


OS = OrderStatus


def _no_person(user: Any, order: Any) -> bool:
    """Nobody ends an order by hand: it ends with its requirement (no button, no API step)."""
    return False


# An order's lifecycle. "end" is taken by the system, not a person: when the order's
# requirement ends (sentences publishes SentenceChanged; ``unpaid_work.handlers``).
ORDER = Lifecycle(
    noun="order",
    states=dict(OrderStatus.choices),
    initial=OS.AWAITING_ASSESSMENT,
    transitions=(
        Transition(
            "assess",
            "Save the assessment",
            {OS.AWAITING_ASSESSMENT, OS.WORKING},
            OS.WORKING,
            capability=Capability.MANAGE_UNPAID_WORK,
        ),
        Transition(
            "book",
            "Book on a session",
            {OS.AWAITING_ASSESSMENT, OS.WORKING},
            capability=Capability.MANAGE_UNPAID_WORK,
        ),
        Transition(
            "adjust",
            "Record an adjustment",
            {OS.AWAITING_ASSESSMENT, OS.WORKING},
            capability=Capability.MANAGE_UNPAID_WORK,
        ),
        Transition(
            "end",
            "End the order",
            {OS.AWAITING_ASSESSMENT, OS.WORKING},
            OS.ENDED,
            who=_no_person,
            forbidden="The order ends when its requirement or sentence ends.",
        ),
    ),
)
