"""The catalogue's rules: what a session template must hold, which template a group
starts from, whether a programme takes new referrals, and what every region must deliver.

Pure (no Django, no database) so each boundary is a microsecond test and the policy reads
line by line against docs/domain/programmes.md ("Catalogue, delivery suite, rooms and the
panel"). The vocabularies are the plain values of ``programmes.constants`` (a test keeps
them in step); the rules take any object with the attributes they read, so the services
pass model rows and the tests pass small dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, TypeVar

# The values of programmes.constants.SessionKind, ApprovalStatus, ProgrammeKind and the
# Structured Intervention need areas (SI_NEED_AREAS), kept in step by a test.
SESSION_KINDS = ("GROUP", "ONE_TO_ONE")


class PanelStanding(StrEnum):
    """A programme's standing with the panel: ``programmes.constants.ApprovalStatus``
    takes its values from here, so the pure rules and the model name each once."""

    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


APPROVED, WITHDRAWN = PanelStanding.APPROVED, PanelStanding.WITHDRAWN
STRUCTURED = "STRUCTURED"
SI_NEED_AREA_LABELS: dict[str, str] = {
    "ATB": "Attitudes, thinking and behaviour",
    "DA": "Domestic abuse",
    "EM": "Emotional management",
}

# A Structured Intervention is "a minimum of four sessions in length" (HMPPS, Brochure of
# probation interventions: Structured Interventions; the judicial brochures per region).
MINIMUM_SI_SESSIONS = 4

# The longest session a template may hold: a full working day. Not policy, a sanity bound
# so a typo (1500 for 150) is caught at entry rather than on a schedule.
MAXIMUM_SESSION_MINUTES = 480


# --- Session templates ------------------------------------------------------------------


def validate_modules(modules: Any) -> dict[str, str]:
    """Every problem with a template's modules, as {field path: message}; empty when valid.

    A template is a list of modules in delivery order, each ``{"name", "sessions"}``, each
    session ``{"name", "kind": "GROUP" | "ONE_TO_ONE", "minutes"}`` with minutes above zero;
    it holds at least one session. Paths name the place (``modules.2.sessions.0.minutes``)
    so the page and the API can point at it."""
    if not isinstance(modules, list):
        return {"modules": "Give the modules as a list"}
    errors: dict[str, str] = {}
    sessions = 0
    for m, module in enumerate(modules):
        where = f"modules.{m}"
        if not isinstance(module, Mapping):
            errors[where] = "Each module needs a name and its sessions"
            continue
        if not str(module.get("name") or "").strip():
            errors[f"{where}.name"] = f"Module {m + 1} needs a name"
        items = module.get("sessions")
        if not isinstance(items, list) or not items:
            errors[f"{where}.sessions"] = f"Module {m + 1} needs at least one session"
            continue
        for s, session in enumerate(items):
            sessions += 1
            errors |= _session_problems(session, f"{where}.sessions.{s}", f"Module {m + 1} session {s + 1}")
    if sessions == 0 and "modules" not in errors and not any(k.endswith(".sessions") for k in errors):
        errors["modules"] = "A template needs at least one session"
    return errors


def _session_problems(session: Any, where: str, label: str) -> dict[str, str]:
    if not isinstance(session, Mapping):
        return {where: f"{label} needs a name, a kind and its minutes"}
    errors: dict[str, str] = {}
    if not str(session.get("name") or "").strip():
        errors[f"{where}.name"] = f"{label} needs a name"
    if session.get("kind") not in SESSION_KINDS:
        errors[f"{where}.kind"] = f"{label} must be a group or a one-to-one session"
    minutes = session.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        errors[f"{where}.minutes"] = f"{label} must last a whole number of minutes, more than 0"
    elif minutes > MAXIMUM_SESSION_MINUTES:
        errors[f"{where}.minutes"] = f"{label} must last {MAXIMUM_SESSION_MINUTES} minutes or less"
    return errors


@dataclass(frozen=True)
class TemplateTotals:
    group_sessions: int
    one_to_ones: int
    group_minutes: int
    one_to_one_minutes: int

    @property
    def sessions(self) -> int:
        return self.group_sessions + self.one_to_ones

    @property
    def minutes(self) -> int:
        return self.group_minutes + self.one_to_one_minutes


def totals(modules: Sequence[Mapping[str, Any]]) -> TemplateTotals:
    """How many sessions of each kind a (valid) template holds, and their minutes."""
    sessions = [s for module in modules for s in module.get("sessions", [])]
    group = [s for s in sessions if s.get("kind") == "GROUP"]
    one = [s for s in sessions if s.get("kind") == "ONE_TO_ONE"]
    return TemplateTotals(
        group_sessions=len(group),
        one_to_ones=len(one),
        group_minutes=sum(int(s["minutes"]) for s in group),
        one_to_one_minutes=sum(int(s["minutes"]) for s in one),
    )


def session_count(modules: Sequence[Mapping[str, Any]]) -> int:
    return sum(len(module.get("sessions", [])) for module in modules)


class Dated(Protocol):
    @property
    def effective_from(self) -> date: ...


D = TypeVar("D", bound=Dated)


def template_in_force(templates: Iterable[D], day: date) -> D | None:
    """The template a group starting on ``day`` uses: the newest whose ``effective_from``
    is on or before that day; None before the first. A later version never reaches back:
    a group that has started keeps the template row it points at."""
    current = [t for t in templates if t.effective_from <= day]
    return max(current, key=lambda t: t.effective_from, default=None)


# --- Standing ----------------------------------------------------------------------------


class Standing(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def available_from(self) -> date | None: ...
    @property
    def withdrawn_on(self) -> date | None: ...


def accepts_new_referrals(programme: Standing, day: date) -> bool:
    """Whether a person may be referred to the programme on ``day``: approved (accredited,
    or approved by the panel), available by then, and not rolled down by then. A programme
    withdrawn on a day takes no referral that day; its running groups still finish.

    An approved intervention the panel later withdraws (status WITHDRAWN, with the
    ``available_from`` its approval set) still took referrals on the days before its
    withdrawal, so a question about a past day gets that day's answer; one withdrawn
    before it was ever approved has no ``available_from`` and never took any."""
    was_approved = programme.status == APPROVED or (
        programme.status == WITHDRAWN
        and programme.available_from is not None
        and programme.withdrawn_on is not None
    )
    return (
        was_approved
        and (programme.available_from is None or programme.available_from <= day)
        and (programme.withdrawn_on is None or day < programme.withdrawn_on)
    )


# --- The required delivery suite -----------------------------------------------------------


@dataclass(frozen=True)
class SuiteProgramme:
    """A programme as the suite rule sees it; ``replaces`` holds the codes it replaces
    from its ``available_from``."""

    code: str
    name: str
    kind: str
    need_area: str
    status: str
    available_from: date | None = None
    withdrawn_on: date | None = None
    replaces: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SuiteOffer:
    """One offer in the region: the programme delivered in a PDU from ``starts_on`` to
    ``ends_on`` (inclusive; None while it runs on)."""

    programme_code: str
    pdu: str
    starts_on: date
    ends_on: date | None = None

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class RequiredProgramme:
    code: str
    name: str


@dataclass(frozen=True)
class RequiredSuite:
    """What every region must deliver from ``effective_from``: named accredited programmes
    and at least one approved Structured Intervention in each need area."""

    effective_from: date
    programmes: tuple[RequiredProgramme, ...]
    si_need_areas: tuple[str, ...]
    source: str


# Effective-dated policy. From the Probation Service's unification on 26 June 2021 every
# region delivers the Thinking Skills Programme and Building Better Relationships, and
# at least one Structured Intervention in each of the three need areas (HMPPS, Brochure of
# probation interventions: Structured Interventions; the regional judicial brochures).
REQUIRED_SUITES: tuple[RequiredSuite, ...] = (
    RequiredSuite(
        effective_from=date(2021, 6, 26),
        programmes=(
            RequiredProgramme("thinking-skills-programme", "Thinking Skills Programme"),
            RequiredProgramme("building-better-relationships", "Building Better Relationships"),
        ),
        si_need_areas=("ATB", "DA", "EM"),
        source=(
            "Probation Service unification, 26 June 2021; HMPPS Brochure of probation interventions "
            "(Structured Interventions): every region delivers an SI in each need area"
        ),
    ),
)


def required_suite_on(day: date) -> RequiredSuite | None:
    """The policy in force on ``day``; None before the first (nothing was required)."""
    return template_in_force(REQUIRED_SUITES, day)


@dataclass(frozen=True)
class SuiteGap:
    """One thing the region does not deliver on the day: a required programme (``code``)
    or a need area with no approved Structured Intervention (``need_area``)."""

    kind: str  # "PROGRAMME" or "SI_NEED_AREA"
    key: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key, "message": self.message}


def _counts_on(programme: SuiteProgramme | None, day: date) -> bool:
    return programme is not None and accepts_new_referrals(programme, day)


def suite_gaps(
    programmes: Mapping[str, SuiteProgramme], offers: Iterable[SuiteOffer], day: date
) -> list[SuiteGap]:
    """Each gap in a region's delivery suite on ``day``, in the policy's order.

    A required programme is delivered when an offer runs on the day for it, or for a
    programme that replaces it and is available by then (Building Choices for the Thinking
    Skills Programme from Building Choices' date). A need area is covered when an offer
    runs on the day for a Structured Intervention in it that takes new referrals that day:
    approved, available, not withdrawn (submitted, rejected and withdrawn ones do not
    count). ``programmes`` maps code to programme; offers naming an unknown code are ignored."""
    policy = required_suite_on(day)
    if policy is None:
        return []
    running = [programmes.get(o.programme_code) for o in offers if o.runs_on(day)]
    delivered = [p for p in running if _counts_on(p, day)]
    gaps: list[SuiteGap] = []
    for required in policy.programmes:
        if not any(
            p is not None and (p.code == required.code or required.code in p.replaces) for p in delivered
        ):
            gaps.append(
                SuiteGap(
                    "PROGRAMME",
                    required.code,
                    f"{required.name} (or a programme replacing it) is not delivered in the region",
                )
            )
    for area in policy.si_need_areas:
        if not any(p is not None and p.kind == STRUCTURED and p.need_area == area for p in delivered):
            label = SI_NEED_AREA_LABELS.get(area, area)
            gaps.append(
                SuiteGap(
                    "SI_NEED_AREA",
                    area,
                    f"No approved Structured Intervention in {label.lower()} is delivered in the region",
                )
            )
    return gaps
