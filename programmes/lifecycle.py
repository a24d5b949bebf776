"""The lifecycles of the programmes context (ADR 19), each declared once and read by the
services' guards, the pages' next-step buttons and the API's ``next_steps``.

REFERRAL: a person's referral to a programme, after HMPPS Accredited Programmes: Manage
and Deliver, from awaiting assessment to programme complete, with its side states.
Steps taken by the system, not a person (``who=_system``), never show as buttons: the
referral is scheduled when the coordinator adds it to a group, goes on programme at the
first session attended and completes when every required session is attended.

GROUP: a group forms, runs from its first session and ends after its last.

INTERVENTION: a region's Structured Intervention through the Effective Interventions Panel.
"""

from __future__ import annotations

from typing import Any

from core.lifecycle import Lifecycle, Transition
from core.roles import Capability
from programmes.constants import ApprovalStatus, GroupStatus, ReferralStatus

R = ReferralStatus

OPEN_BEFORE_GROUP = {
    R.AWAITING_ASSESSMENT,
    R.AWAITING_ALLOCATION,
    R.SUITABLE_NOT_READY,
    R.DEPRIORITISED,
    R.DEFERRED,
}
IN_DELIVERY = {R.SCHEDULED, R.ON_PROGRAMME}


def _system(user: Any, obj: Any) -> bool:
    """Taken by the service itself when something else happens; no person takes it."""
    return False


def _programmes_or_referrer(user: Any, referral: Any) -> bool:
    """The Programmes team, or a practitioner who manages cases in whose scope it is."""
    return bool(
        user.has_capability(Capability.MANAGE_PROGRAMMES) or user.has_capability(Capability.MANAGE_CASES)
    )


REFERRAL = Lifecycle(
    noun="referral",
    states=dict(ReferralStatus.choices),
    initial=R.AWAITING_ASSESSMENT,
    transitions=(
        Transition(
            "assess",
            "Record the suitability assessment",
            {R.AWAITING_ASSESSMENT, R.SUITABLE_NOT_READY, R.DEFERRED},
            ends={R.AWAITING_ALLOCATION, R.SUITABLE_NOT_READY, R.WITHDRAWN},
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "ready",
            "Mark ready to join a group",
            {R.SUITABLE_NOT_READY, R.DEPRIORITISED, R.DEFERRED},
            R.AWAITING_ALLOCATION,
            capability=Capability.MANAGE_PROGRAMMES,
            when=lambda referral: bool(referral.suitability),
            refusal="Record the suitability assessment first.",
        ),
        Transition(
            "deprioritise",
            "Deprioritise",
            {R.AWAITING_ALLOCATION},
            R.DEPRIORITISED,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "defer",
            "Defer",
            {R.AWAITING_ASSESSMENT, R.AWAITING_ALLOCATION},
            R.DEFERRED,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "schedule",
            "Add to a group",
            {R.AWAITING_ALLOCATION},
            R.SCHEDULED,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "unschedule",
            "Take out of the group",
            {R.SCHEDULED},
            R.AWAITING_ALLOCATION,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition("start", "Start the programme", {R.SCHEDULED}, R.ON_PROGRAMME, who=_system),
        Transition(
            "complete",
            "Complete the programme",
            {R.ON_PROGRAMME},
            R.PROGRAMME_COMPLETE,
            who=_system,
            forbidden="A programme completes when every required session has been attended.",
        ),
        Transition(
            "deselect",
            "Deselect from the group",
            IN_DELIVERY,
            R.AWAITING_ALLOCATION,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "breach",
            "Record breach (non-attendance)",
            IN_DELIVERY,
            R.BREACH,
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "recall",
            "Record recall",
            OPEN_BEFORE_GROUP | IN_DELIVERY,
            R.RECALL,
            capability=Capability.MANAGE_PROGRAMMES,
            when=lambda referral: referral.licence_condition_id is not None,
            refusal="Only a referral under a licence can end in recall.",
        ),
        Transition(
            "return_to_court",
            "Record return to court",
            OPEN_BEFORE_GROUP | IN_DELIVERY,
            R.RETURN_TO_COURT,
            capability=Capability.MANAGE_PROGRAMMES,
            when=lambda referral: referral.licence_condition_id is None,
            refusal="A referral under a licence ends in recall, not return to court.",
        ),
        Transition(
            "withdraw",
            "Withdraw the referral",
            OPEN_BEFORE_GROUP | IN_DELIVERY,
            R.WITHDRAWN,
            who=_programmes_or_referrer,
        ),
    ),
)

# The moves that need a coded reason (the side states and the closures).
NEEDS_REASON = frozenset(
    {"deprioritise", "defer", "deselect", "breach", "recall", "return_to_court", "withdraw", "unschedule"}
)


G = GroupStatus

GROUP = Lifecycle(
    noun="group",
    states=dict(GroupStatus.choices),
    initial=G.FORMING,
    transitions=(
        Transition(
            "add_member", "Add people", {G.FORMING, G.RUNNING}, capability=Capability.MANAGE_PROGRAMMES
        ),
        Transition(
            "reschedule",
            "Reschedule a session",
            {G.FORMING, G.RUNNING},
            capability=Capability.MANAGE_PROGRAMMES,
        ),
        Transition(
            "record_attendance",
            "Record attendance",
            {G.FORMING, G.RUNNING},
            ends={G.RUNNING, G.ENDED},
            capability=Capability.DELIVER_PROGRAMMES,
        ),
        Transition(
            "cancel", "Cancel the group", {G.FORMING}, G.CANCELLED, capability=Capability.MANAGE_PROGRAMMES
        ),
    ),
)


A = ApprovalStatus


def _panel_or_proposer(user: Any, programme: Any) -> bool:
    """The national panel, or the region's proposers (who see only their own region's)."""
    return bool(
        user.has_capability(Capability.APPROVE_INTERVENTIONS)
        or user.has_capability(Capability.PROPOSE_INTERVENTIONS)
    )


INTERVENTION = Lifecycle(
    noun="intervention",
    states=dict(ApprovalStatus.choices),
    initial=A.SUBMITTED,
    transitions=(
        Transition(
            "approve", "Approve", {A.SUBMITTED}, A.APPROVED, capability=Capability.APPROVE_INTERVENTIONS
        ),
        Transition(
            "reject", "Reject", {A.SUBMITTED}, A.REJECTED, capability=Capability.APPROVE_INTERVENTIONS
        ),
        Transition(
            "withdraw",
            "Withdraw (roll down)",
            {A.SUBMITTED, A.APPROVED},
            A.WITHDRAWN,
            who=_panel_or_proposer,
        ),
    ),
)
