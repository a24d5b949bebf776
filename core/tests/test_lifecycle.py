"""The lifecycle kernel at its boundaries: a state in and out of a transition's sources,
a user with and without the capability or relationship, a condition that holds and
one that fails, and a table that names a state it does not have."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.exceptions import TransitionNotAllowed
from core.lifecycle import Lifecycle, Transition


@dataclass
class Thing:
    status: str
    ready: bool = True
    owner: str = "ann"


@dataclass
class User:
    name: str
    capabilities: frozenset[str]

    def has_capability(self, capability: str) -> bool:
        return capability in self.capabilities


def _owner(user: Any, thing: Any) -> bool:
    """the owner"""
    return bool(user.name == thing.owner)


DOOR = Lifecycle(
    noun="door",
    states={"SHUT": "Shut", "OPEN": "Open", "LOCKED": "Locked", "GONE": "Removed"},
    initial="SHUT",
    transitions=(
        Transition("open", "Open the door", {"SHUT"}, "OPEN", when=lambda d: d.ready, refusal="It is stuck."),
        Transition("close", "Close the door", {"OPEN"}, "SHUT"),
        Transition("lock", "Lock the door", {"SHUT"}, "LOCKED", capability="KEYS", forbidden="No key."),
        Transition("unlock", "Unlock the door", {"LOCKED"}, "SHUT", capability="KEYS", who=_owner),
        Transition("kick", "Kick the door", {"SHUT", "LOCKED"}, None, ends={"OPEN", "GONE"}),
    ),
)

ANN = User("ann", frozenset({"KEYS"}))
BOB = User("bob", frozenset())


def test_transitions_from_a_state_are_those_listing_it_as_a_source() -> None:
    assert [t.name for t in DOOR.transitions_from("SHUT")] == ["open", "lock", "kick"]
    assert [t.name for t in DOOR.transitions_from("GONE")] == []


def test_allowed_needs_the_state_the_capability_the_relationship_and_the_condition() -> None:
    assert [t.name for t in DOOR.allowed(Thing("SHUT"), ANN)] == ["open", "lock", "kick"]
    assert [t.name for t in DOOR.allowed(Thing("SHUT"), BOB)] == ["open", "kick"]
    assert [t.name for t in DOOR.allowed(Thing("SHUT", ready=False), ANN)] == ["lock", "kick"]
    assert [t.name for t in DOOR.allowed(Thing("LOCKED"), ANN)] == ["unlock", "kick"]
    assert [t.name for t in DOOR.allowed(Thing("LOCKED", owner="bob"), ANN)] == ["kick"]


def test_guard_refuses_a_state_outside_the_sources_and_names_the_state() -> None:
    with pytest.raises(TransitionNotAllowed, match="“Close the door” is not possible while the door is shut"):
        DOOR.guard(Thing("SHUT"), "close")
    assert DOOR.guard(Thing("OPEN"), "close").target == "SHUT"


def test_guard_checks_the_user_only_when_given_one() -> None:
    DOOR.guard(Thing("SHUT"), "lock")
    with pytest.raises(TransitionNotAllowed, match="No key"):
        DOOR.guard(Thing("SHUT"), "lock", BOB)
    with pytest.raises(TransitionNotAllowed, match="You may not “Unlock the door”"):
        DOOR.guard(Thing("LOCKED", owner="bob"), "unlock", ANN)


def test_guard_refuses_a_failing_condition_with_its_message() -> None:
    with pytest.raises(TransitionNotAllowed, match="It is stuck"):
        DOOR.guard(Thing("SHUT", ready=False), "open")


def test_an_unknown_transition_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        DOOR.guard(Thing("SHUT"), "paint")


def test_a_table_naming_a_state_it_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="AJAR"):
        Lifecycle(
            noun="door",
            states={"SHUT": "Shut"},
            initial="SHUT",
            transitions=(Transition("x", "X", {"AJAR"}, "SHUT"),),
        )
    with pytest.raises(ValueError, match="twice"):
        Lifecycle(
            noun="door",
            states={"SHUT": "Shut"},
            initial="SHUT",
            transitions=(Transition("x", "X", {"SHUT"}, "SHUT"), Transition("x", "Y", {"SHUT"}, "SHUT")),
        )


def test_reachability_and_the_graph_follow_service_decided_ends() -> None:
    assert DOOR.reachable() == {"SHUT", "OPEN", "LOCKED", "GONE"}
    assert ("LOCKED", "kick", "GONE") in DOOR.as_graph()
    assert "| `unlock` | Unlock the door | LOCKED | SHUT | KEYS and the owner |" in DOOR.as_markdown()
    assert "decided: OPEN, GONE" in DOOR.as_markdown()


def test_can_is_what_allowed_offers() -> None:
    assert DOOR.can(Thing("SHUT"), "lock", ANN) and not DOOR.can(Thing("SHUT"), "lock", BOB)
