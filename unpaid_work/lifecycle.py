"""A placement plan's lifecycle, written once (ADR 19): the planner proposes it, and the
coordinator edits which bookings to keep, then confirms it (bookings are made) or
discards it. ``services.plans`` guards each step with it, the plan page shows its
buttons from it and the API's plan lists ``next_steps`` from it."""

from __future__ import annotations

from core.lifecycle import Lifecycle, Transition
from core.roles import Capability
from unpaid_work.constants import PlanStatus

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
