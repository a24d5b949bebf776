"""A breach's lifecycle, written once (ADR 19): requested by the practitioner, the
information laid, presented at court, the court's outcome recorded; withdrawn before
court. ``services.advance_breach`` guards each move with it, the breach page offers its
choices from it and the API lists each breach's ``next_steps`` from it."""

from __future__ import annotations

from core.lifecycle import Lifecycle, Transition
from core.roles import Capability
from supervision.constants import BreachStatus

S = BreachStatus

BREACH = Lifecycle(
    noun="breach",
    states=dict(BreachStatus.choices),
    initial=S.REQUESTED,
    transitions=(
        Transition(
            "lay-information",
            "Information laid",
            {S.REQUESTED},
            S.ACTIONED,
            capability=Capability.MANAGE_CASES,
        ),
        Transition(
            "present", "Presented at court", {S.ACTIONED}, S.PRESENTED, capability=Capability.MANAGE_CASES
        ),
        Transition(
            "conclude",
            "Court outcome recorded",
            {S.PRESENTED},
            S.CONCLUDED,
            capability=Capability.MANAGE_CASES,
        ),
        Transition(
            "withdraw",
            "Withdrawn",
            {S.REQUESTED, S.ACTIONED},
            S.WITHDRAWN,
            capability=Capability.MANAGE_CASES,
        ),
    ),
)

# The page and the API name a move by the state it reaches (``to``); each state is
# reached by one transition.
STEP_TO: dict[str, str] = {str(t.target): t.name for t in BREACH.transitions}
