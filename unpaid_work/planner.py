"""The placement planner: proposes a fortnight of bookings with a real solver (CP-SAT).

Pure: it takes plain data (people, sessions, and the person-session pairs that pass
every hard rule) and returns a plan with the solver's objective, bound and gap and a
plain-English reason for each booking and for each person left unbooked. The
database side (which pairs are allowed, travel times) lives in ``unpaid_work.planning``.

Objective, in strict priority, solved lexicographically (tier 1 first, then the rest
holding tier 1's level; the weights make the combined figure rank plans the same way):
1. people past or near a deadline (the 15-business-day start, or the 12 months) get booked;
2. hours delivered;
3. less travel;
4. stability: keep people on the project they already work on.
Hard rules inside the model: each session's places, at most one session per person
per day, no more booked time than the person has left (plus one session's slack), and
ETE sessions within the person's remaining ETE allowance, and a woman who chose not to
work in an all-male group only where another woman is booked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

URGENCY_WEIGHT = 10_000_000  # per urgency level, for being booked at all
MINUTE_WEIGHT = 1_000  # per minute of work booked
TRAVEL_WEIGHT = 10  # per minute of travel (one way)
# Stability comes last: worth half a minute of travel, it decides between otherwise equal
# journeys so people are not moved from the project they know without a reason.
STABILITY_WEIGHT = 5  # per booking on the person's current project


@dataclass(frozen=True)
class Person:
    id: int
    remaining_minutes: int
    urgency: int  # 0 normal, 1 near a deadline, 2 past the start deadline or 12-month risk
    ete_left_minutes: int = 0
    current_project: int | None = None
    female: bool = False
    no_all_male_group: bool = False  # a woman's choice: only with another woman there
    priority_reason: str = ""  # why they are urgent, in plain words, for the explanation


@dataclass(frozen=True)
class Session:
    id: int
    project: int
    day: date
    minutes: int
    places: int
    is_ete: bool = False
    women_only: bool = False
    women_booked: int = 0  # women already booked before planning


@dataclass(frozen=True)
class Option:
    """A person-session pair that passes every hard rule checked outside the model."""

    person: int
    session: int
    travel_minutes: int


@dataclass
class Plan:
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    bookings: list[Option]
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)
    unbooked: dict[int, str] = field(default_factory=dict)

    @property
    def minutes_booked(self) -> int:
        return sum(self.session_minutes.get(o.session, 0) for o in self.bookings)

    session_minutes: dict[int, int] = field(default_factory=dict)


def plan(
    people: list[Person],
    sessions: list[Session],
    options: list[Option],
    *,
    refusals: dict[int, str] | None = None,
    seconds: float = 30.0,
    relative_gap: float = 0.01,
    workers: int = 2,
) -> Plan:
    """Solves for the best set of bookings; ``refusals`` explains people with no options."""
    by_person = {p.id: p for p in people}
    by_session = {s.id: s for s in sessions}
    options = [o for o in options if o.person in by_person and o.session in by_session]
    model = cp_model.CpModel()
    chosen = {(o.person, o.session): model.new_bool_var(f"x_{o.person}_{o.session}") for o in options}
    booked = {p.id: model.new_bool_var(f"y_{p.id}") for p in people}
    _add_rules(model, chosen, booked, by_person, by_session)
    # Start from the greedy first fit: a feasible plan at once, so the solver spends its
    # time improving the plan and its bound rather than finding a first one.
    for option in greedy(people, sessions, options):
        model.add_hint(chosen[(option.person, option.session)], 1)
    levels = _levels(chosen, booked, by_person, by_session, options)
    solved = _solve_in_order(
        model,
        levels,
        [*chosen.values(), *booked.values()],
        seconds=seconds,
        relative_gap=relative_gap,
        workers=workers,
    )
    if solved is None:
        return Plan("INFEASIBLE", 0.0, 0.0, 1.0, 0.0, [])
    solver, status_name, objective, bound, elapsed = solved
    bookings = [o for o in options if solver.value(chosen[(o.person, o.session)])]
    result = Plan(
        status=status_name,
        objective=objective,
        bound=bound,
        gap=abs(bound - objective) / max(1.0, abs(bound)),
        seconds=elapsed,
        bookings=bookings,
        session_minutes={s.id: s.minutes for s in sessions},
    )
    _explain(result, people, by_session, options, refusals or {})
    return result


def _add_rules(
    model: cp_model.CpModel,
    chosen: dict[tuple[int, int], cp_model.IntVar],
    booked: dict[int, cp_model.IntVar],
    by_person: dict[int, Person],
    by_session: dict[int, Session],
) -> None:
    per_session: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_person_day: dict[tuple[int, date], list[cp_model.IntVar]] = defaultdict(list)
    per_person: dict[int, list[tuple[cp_model.IntVar, Session]]] = defaultdict(list)
    women_on: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (person_id, session_id), var in chosen.items():
        session = by_session[session_id]
        per_session[session_id].append(var)
        if by_person[person_id].female:
            women_on[session_id].append((person_id, var))
        per_person_day[(person_id, session.day)].append(var)
        per_person[person_id].append((var, session))
    for session_id, variables in per_session.items():
        model.add(sum(variables) <= by_session[session_id].places)
    for variables in per_person_day.values():
        model.add_at_most_one(variables)
    # A woman who chose not to work in an all-male group goes only where another woman will be.
    for (person_id, session_id), var in chosen.items():
        session = by_session[session_id]
        if by_person[person_id].no_all_male_group and not session.women_only and not session.women_booked:
            others = [v for other, v in women_on[session_id] if other != person_id]
            model.add(var <= sum(others))
    for person_id, booked_var in booked.items():
        pairs = per_person.get(person_id, [])
        if not pairs:
            model.add(booked_var == 0)
            continue
        person = by_person[person_id]
        # The last session may run past what remains (credit is capped), but not a whole one more.
        longest = max(s.minutes for _, s in pairs)
        model.add(sum(s.minutes * v for v, s in pairs) <= person.remaining_minutes + longest - 1)
        ete = [(v, s) for v, s in pairs if s.is_ete]
        if ete:
            model.add(sum(s.minutes * v for v, s in ete) <= person.ete_left_minutes)
        model.add_max_equality(booked_var, [v for v, _ in pairs])


def _solver(seconds: float, relative_gap: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.relative_gap_limit = relative_gap
    solver.parameters.num_workers = workers
    return solver


# (weight in the combined objective, expression, share of the time limit), in priority order.
Level = tuple[int, cp_model.LinearExprT, float]


def _levels(
    chosen: dict[tuple[int, int], cp_model.IntVar],
    booked: dict[int, cp_model.IntVar],
    by_person: dict[int, Person],
    by_session: dict[int, Session],
    options: list[Option],
) -> list[Level]:
    """The objective's tiers. Each tier's weight exceeds anything the tiers below can add
    (a booked person is worth more than the hours any one place could take)."""
    urgency = sum((p.urgency + 1) * booked[p.id] for p in by_person.values())
    minutes = sum(by_session[o.session].minutes * chosen[(o.person, o.session)] for o in options)
    journeys = []
    for option in options:
        session = by_session[option.session]
        weight = -TRAVEL_WEIGHT * option.travel_minutes
        if by_person[option.person].current_project == session.project:
            weight += STABILITY_WEIGHT
        journeys.append(weight * chosen[(option.person, option.session)])
    return [(URGENCY_WEIGHT, urgency, 0.4), (MINUTE_WEIGHT, minutes, 0.3), (1, sum(journeys), 0.3)]


def _solve_in_order(
    model: cp_model.CpModel,
    levels: list[Level],
    hinted: list[cp_model.IntVar],
    *,
    seconds: float,
    relative_gap: float,
    workers: int,
) -> tuple[cp_model.CpSolver, str, float, float, float] | None:
    """Solves tier by tier, holding each tier at the level reached before the next.
    Returns the last solver, the status, the combined objective and bound, and the time."""
    objective = bound = elapsed = 0.0
    proved = True
    solver = None
    last: cp_model.CpSolver | None = None
    for weight, expression, share in levels:
        model.maximize(expression)
        solver = _solver(max(1.0, seconds * share), relative_gap / 10, workers)
        status = solver.solve(model)
        elapsed += solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if last is None:
                return None
            # A later tier ran out of time before any solution: keep the plan the tiers
            # above found (its objective and bound cover the tiers solved).
            return last, "FEASIBLE", objective, bound, elapsed
        # CP-SAT says OPTIMAL when it stops at the gap limit, so "proved" means bound = value.
        proved = proved and abs(solver.best_objective_bound - solver.objective_value) < 0.5
        reached = round(solver.objective_value)
        objective += weight * reached
        bound += weight * solver.best_objective_bound
        model.add(expression >= reached)
        last = solver
        model.clear_hints()  # type: ignore[no-untyped-call]
        for variable in hinted:
            model.add_hint(variable, solver.value(variable))
    assert solver is not None
    return solver, "OPTIMAL" if proved else "FEASIBLE", objective, bound, elapsed


def _explain(
    result: Plan,
    people: list[Person],
    sessions: dict[int, Session],
    options: list[Option],
    refusals: dict[int, str],
) -> None:
    counts: dict[int, int] = defaultdict(int)
    for booking in result.bookings:
        counts[booking.session] += 1
    had_options = {o.person for o in options}
    booked_people = {b.person for b in result.bookings}
    by_person = {p.id: p for p in people}
    for booking in result.bookings:
        person, session = by_person[booking.person], sessions[booking.session]
        why = [
            person.priority_reason or ("past or near a deadline" if person.urgency else "has hours to work")
        ]
        if person.current_project == session.project:
            why.append("keeps them on their current project")
        why.append(f"about {booking.travel_minutes} minutes' travel each way")
        result.reasons[(booking.person, booking.session)] = "; ".join(why)
    for person in people:
        if person.id in booked_people:
            continue
        if person.id in refusals:
            result.unbooked[person.id] = refusals[person.id]
        elif person.id not in had_options:
            result.unbooked[person.id] = "no session in the horizon passes every rule"
        else:
            result.unbooked[person.id] = (
                "every session they could do is full with people who are more urgent or nearer"
            )


def greedy(people: list[Person], sessions: list[Session], options: list[Option]) -> list[Option]:
    """The baseline: first fit in the order people and sessions are given, no optimisation."""
    places = {s.id: s.places for s in sessions}
    by_session = {s.id: s for s in sessions}
    by_person = {p.id: p for p in people}
    used_days: set[tuple[int, date]] = set()
    minutes: dict[int, int] = defaultdict(int)
    chosen = []
    for option in sorted(options, key=lambda o: (o.person, o.session)):
        session = by_session.get(option.session)
        person = by_person.get(option.person)
        if session is None or person is None or places[session.id] <= 0:
            continue
        if (person.id, session.day) in used_days or minutes[person.id] >= person.remaining_minutes:
            continue
        places[session.id] -= 1
        used_days.add((person.id, session.day))
        minutes[person.id] += session.minutes
        chosen.append(option)
    return chosen
