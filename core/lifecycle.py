"""Lifecycles written once: for each aggregate with states, one table of transitions
(the states each may start from, who may take it, any further condition) that the
services' guards, the pages' next-step buttons and the API's ``next_steps`` all read,
so none of them restates when a step is possible (ADR 19).

Kernel code: it imports no app of ours. A table names its states from its own app's
enums; a user is anything with ``has_capability``; the object is read through the
lifecycle's status attribute and the transitions' own conditions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.exceptions import TransitionNotAllowed


@dataclass(frozen=True)
class Transition:
    """One step an aggregate can take.

    ``sources`` are the states it may start from; ``target`` the state it ends in, or
    None when the service decides (a referral's session may complete it or not), and
    then ``ends`` lists where it may end (for the docs and the reachability test; the
    source itself when empty).
    ``capability`` is the role-based "who may"; ``who`` the relationship-based one (the
    competition's lead commissioner, an invited supplier), given the user and the object.
    ``when`` is a further condition on the object (a deadline passed), and ``refusal``
    the message, or a function of the object giving it, when that condition fails;
    ``forbidden`` the message when the user may not take it."""

    name: str
    label: str
    sources: Collection[str]
    target: str | None = None
    ends: Collection[str] = frozenset()
    capability: str | None = None
    who: Callable[[Any, Any], bool] | None = None
    when: Callable[[Any], bool] | None = None
    refusal: str | Callable[[Any], str] = ""
    forbidden: str = ""

    def __post_init__(self) -> None:
        # Accept any iterable of states but store a frozenset, so "in" is the test.
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "ends", frozenset(self.ends))
        if self.target is not None and self.ends:
            raise ValueError(f"{self.name}: a transition with a target has no other ends")

    def permits(self, user: Any, obj: Any) -> bool:
        """Whether this user may take it on this object (ignoring state and condition)."""
        if self.capability is not None and not user.has_capability(self.capability):
            return False
        return self.who is None or bool(self.who(user, obj))

    def refusal_for(self, obj: Any) -> str:
        if callable(self.refusal):
            return self.refusal(obj)
        return self.refusal or f"“{self.label}” is not possible now."


@dataclass(frozen=True)
class Lifecycle:
    """The table for one aggregate: its states (with their labels), the state a new one
    starts in, the attribute that holds its state, and its transitions by name."""

    noun: str
    states: Mapping[str, str]
    initial: str
    transitions: tuple[Transition, ...]
    attribute: str = "status"
    by_name: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"The {self.noun} lifecycle names a transition twice: {names}")
        unknown = {
            s for t in self.transitions for s in (*t.sources, *t.ends, *([t.target] if t.target else []))
        } - set(self.states)
        if self.initial not in self.states or unknown:
            raise ValueError(f"The {self.noun} lifecycle names states it does not have: {sorted(unknown)}")
        object.__setattr__(self, "by_name", {t.name: t for t in self.transitions})

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.attribute))

    def label_of(self, state: str) -> str:
        return self.states.get(state, state)

    def transitions_from(self, state: str) -> list[Transition]:
        """Every transition that may start from this state, whoever takes it."""
        return [t for t in self.transitions if state in t.sources]

    def allowed(self, obj: Any, user: Any) -> list[Transition]:
        """The transitions this user may take on this object now: the pages' buttons
        and the API's ``next_steps``."""
        return [
            t
            for t in self.transitions_from(self.state_of(obj))
            if t.permits(user, obj) and (t.when is None or t.when(obj))
        ]

    def can(self, obj: Any, name: str, user: Any) -> bool:
        """Whether ``allowed`` would offer this transition to this user now."""
        return self.by_name[name] in self.allowed(obj, user)

    def guard(self, obj: Any, name: str, user: Any = None) -> Transition:
        """Refuses the transition unless the object's state is one of its sources, the
        user (when given) may take it, and its condition holds. The message names the
        state, so a 409 says why. Returns the transition so the service can read its target."""
        transition = self.by_name[name]  # an unknown name is a programming error: KeyError
        state = self.state_of(obj)
        if state not in transition.sources:
            raise TransitionNotAllowed(
                f"“{transition.label}” is not possible while the {self.noun} is "
                f"{self.label_of(state).lower()}."
            )
        if user is not None and not transition.permits(user, obj):
            raise TransitionNotAllowed(transition.forbidden or f"You may not “{transition.label}”.")
        if transition.when is not None and not transition.when(obj):
            raise TransitionNotAllowed(transition.refusal_for(obj))
        return transition

    def outcomes(self, transition: Transition, source: str) -> tuple[str, ...]:
        """Where a transition can end from a source: its target; for one the service
        decides, its ``ends`` (or the source itself, staying put)."""
        if transition.target is not None:
            return (transition.target,)
        return self._ordered(transition.ends) or (source,)

    def _ordered(self, states: Iterable[str]) -> tuple[str, ...]:
        order = list(self.states)
        return tuple(sorted(states, key=order.index))

    def reachable(self) -> set[str]:
        """The states reachable from the initial one by the table's transitions."""
        seen, queue = {self.initial}, deque([self.initial])
        while queue:
            state = queue.popleft()
            for t in self.transitions_from(state):
                for target in self.outcomes(t, state):
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
        return seen

    def as_graph(self) -> list[tuple[str, str, str]]:
        """(source, transition name, target) for every edge, in table order, for the docs;
        a service-decided transition shows each end it may reach."""
        return [
            (source, t.name, target)
            for t in self.transitions
            for source in self._ordered(t.sources)
            for target in self.outcomes(t, source)
        ]

    def as_markdown(self) -> str:
        """The table the domain docs show: step, label, from, to, who."""
        rows = ["| step | label | from | to | who |", "|---|---|---|---|---|"]
        for t in self.transitions:
            sources = ", ".join(self._ordered(t.sources))
            ends = t.target or (
                "decided: " + ", ".join(self._ordered(t.ends)) if t.ends else "stays where it is"
            )
            who = " and ".join(
                filter(None, [t.capability, getattr(t.who, "__doc__", None) if t.who else None])
            )
            rows.append(f"| `{t.name}` | {t.label} | {sources} | {ends} | {who or 'anyone who can see it'} |")
        return "\n".join(rows)
