"""Roles, what each may do, and how far each sees: the one table of who-can-what.

Pure Python (no Django imports) so it can be read, reviewed and tested alone.
Each value carries a description: this is the glossary of access in code.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "PRACTITIONER"
    SENIOR_PROBATION_OFFICER = "SENIOR_PROBATION_OFFICER"
    UNPAID_WORK = "UNPAID_WORK"
    TREATMENT_MANAGER = "TREATMENT_MANAGER"
    FACILITATOR = "FACILITATOR"
    PROGRAMME_COORDINATOR = "PROGRAMME_COORDINATOR"
    PARTNER_LINK_WORKER = "PARTNER_LINK_WORKER"
    INTERVENTIONS_PANEL = "INTERVENTIONS_PANEL"
    COMMISSIONER = "COMMISSIONER"
    PROVIDER = "PROVIDER"
    COMMERCIAL = "COMMERCIAL"
    REGIONAL_DIRECTOR = "REGIONAL_DIRECTOR"
    NATIONAL_ANALYST = "NATIONAL_ANALYST"
    ADMINISTRATOR = "ADMINISTRATOR"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: "Probation practitioner",
    Role.SENIOR_PROBATION_OFFICER: "Senior probation officer",
    Role.UNPAID_WORK: "Unpaid Work team member",
    Role.TREATMENT_MANAGER: "Treatment manager",
    Role.FACILITATOR: "Programme facilitator",
    Role.PROGRAMME_COORDINATOR: "Programme coordinator",
    Role.PARTNER_LINK_WORKER: "Partner Link Worker",
    Role.INTERVENTIONS_PANEL: "Effective Interventions Panel member",
    Role.COMMISSIONER: "Commissioner",
    Role.PROVIDER: "Provider user",
    Role.COMMERCIAL: "Commercial and contract management",
    Role.REGIONAL_DIRECTOR: "Regional Probation Director",
    Role.NATIONAL_ANALYST: "National analyst",
    Role.ADMINISTRATOR: "Administrator",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.PRACTITIONER: "Probation officer or PSO managing a blended caseload of people on probation.",
    Role.SENIOR_PROBATION_OFFICER: "Manages a team and allocates new cases to practitioners.",
    Role.UNPAID_WORK: "Unpaid Work staff: placement coordinators, supervisors and case administrators.",
    Role.TREATMENT_MANAGER: (
        "Supervises accredited programme facilitators and the quality of the groups they run, "
        "across a region."
    ),
    Role.FACILITATOR: "Runs accredited programme group and one-to-one sessions in a PDU.",
    Role.PROGRAMME_COORDINATOR: (
        "Schedules accredited programme groups, assigns people and facilitators to them, across a region."
    ),
    Role.PARTNER_LINK_WORKER: (
        "Keeps in touch with the partners and ex-partners of men on Building Better Relationships, "
        "for their safety."
    ),
    Role.INTERVENTIONS_PANEL: (
        "Sits on HMPPS's national Effective Interventions Panel, which approves or rejects the "
        "Structured Interventions regions submit."
    ),
    Role.COMMISSIONER: "Buys services through the Dynamic Framework (HMPPS region, PCC, local authority).",
    Role.PROVIDER: "Staff of a contracted provider; sees only their own organisation's referrals.",
    Role.COMMERCIAL: "HMPPS commercial staff: run the Dynamic Framework, assess suppliers' applications.",
    Role.REGIONAL_DIRECTOR: "Leads a region: performance, commissioning and oversight.",
    Role.NATIONAL_ANALYST: "Analyses national performance; sees aggregates, not individual records.",
    Role.ADMINISTRATOR: "Maintains reference data and user accounts and reviews the audit trail.",
}

# Roles held by people employed by the Probation Service, who need a staff record.
STAFF_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.SENIOR_PROBATION_OFFICER,
        Role.UNPAID_WORK,
        Role.TREATMENT_MANAGER,
        Role.FACILITATOR,
        Role.PROGRAMME_COORDINATOR,
        Role.PARTNER_LINK_WORKER,
        Role.INTERVENTIONS_PANEL,
        Role.REGIONAL_DIRECTOR,
        Role.NATIONAL_ANALYST,
        Role.ADMINISTRATOR,
        Role.COMMERCIAL,
    }
)
# Roles held by people outside the service, who belong to an external organisation.
EXTERNAL_ROLES = frozenset({Role.COMMISSIONER, Role.PROVIDER})


class Capability(StrEnum):
    VIEW_CASES = "VIEW_CASES"
    MANAGE_CASES = "MANAGE_CASES"
    ALLOCATE_CASES = "ALLOCATE_CASES"
    VIEW_ORGANISATION = "VIEW_ORGANISATION"
    MANAGE_REFERENCE_DATA = "MANAGE_REFERENCE_DATA"
    MANAGE_USERS = "MANAGE_USERS"
    VIEW_AUDIT = "VIEW_AUDIT"
    VIEW_INSIGHTS = "VIEW_INSIGHTS"
    MANAGE_UNPAID_WORK = "MANAGE_UNPAID_WORK"
    VIEW_CONTRACTS = "VIEW_CONTRACTS"
    MANAGE_FRAMEWORK = "MANAGE_FRAMEWORK"
    DELIVER_SERVICES = "DELIVER_SERVICES"
    MANAGE_JOBS = "MANAGE_JOBS"
    MANAGE_PROGRAMMES = "MANAGE_PROGRAMMES"
    DELIVER_PROGRAMMES = "DELIVER_PROGRAMMES"
    PROPOSE_INTERVENTIONS = "PROPOSE_INTERVENTIONS"
    APPROVE_INTERVENTIONS = "APPROVE_INTERVENTIONS"
    REVIEW_DELIVERY_SUITE = "REVIEW_DELIVERY_SUITE"
    PARTNER_SAFETY = "PARTNER_SAFETY"


CAPABILITY_DESCRIPTIONS: dict[Capability, str] = {
    Capability.VIEW_CASES: "Open the records of people on probation within the user's geography.",
    Capability.MANAGE_CASES: "Record and change information on cases within the user's geography.",
    Capability.ALLOCATE_CASES: "Allocate and transfer cases between practitioners and teams.",
    Capability.VIEW_ORGANISATION: "See regions, PDUs, offices, teams and staff.",
    Capability.MANAGE_REFERENCE_DATA: "Add, rename and retire PDUs and offices.",
    Capability.MANAGE_USERS: "Create user accounts and set their role and scope.",
    Capability.VIEW_AUDIT: "Search the audit trail.",
    Capability.VIEW_INSIGHTS: "See aggregate performance figures for the user's geography.",
    Capability.MANAGE_UNPAID_WORK: "Run Community Payback: nominations, projects, sessions, bookings and attendance.",
    Capability.VIEW_CONTRACTS: "See the Dynamic Framework's contracts, suppliers and the services they offer.",
    Capability.DELIVER_SERVICES: "Work the referrals sent to the user's own organisation (providers only).",
    Capability.MANAGE_FRAMEWORK: "Assess suppliers' Selection Questionnaires and appoint them to the framework.",
    Capability.MANAGE_JOBS: "See, cancel and retry anyone's background jobs, the scheduled ones included.",
    Capability.MANAGE_PROGRAMMES: (
        "Run programmes: the waitlist, suitability assessments, groups, rooms and the delivery suite."
    ),
    Capability.DELIVER_PROGRAMMES: "Record programme session attendance and write session notes.",
    Capability.PROPOSE_INTERVENTIONS: "Submit a region's Structured Intervention to the Effective Interventions Panel.",
    Capability.APPROVE_INTERVENTIONS: "Approve, reject or withdraw Structured Interventions for the national panel.",
    Capability.REVIEW_DELIVERY_SUITE: "Record the dated review of the region's programme delivery suite.",
    Capability.PARTNER_SAFETY: "Record and read Partner Link Work contacts with the partners of men on BBR.",
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.MANAGE_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_CONTRACTS,
        }
    ),
    Role.SENIOR_PROBATION_OFFICER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.MANAGE_CASES,
            Capability.ALLOCATE_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_INSIGHTS,
            Capability.VIEW_CONTRACTS,
        }
    ),
    Role.UNPAID_WORK: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.MANAGE_UNPAID_WORK,
            Capability.VIEW_INSIGHTS,
        }
    ),
    Role.TREATMENT_MANAGER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_INSIGHTS,
            Capability.MANAGE_PROGRAMMES,
            Capability.DELIVER_PROGRAMMES,
            Capability.PROPOSE_INTERVENTIONS,
            Capability.PARTNER_SAFETY,
        }
    ),
    Role.FACILITATOR: frozenset(
        {Capability.VIEW_CASES, Capability.VIEW_ORGANISATION, Capability.DELIVER_PROGRAMMES}
    ),
    Role.PROGRAMME_COORDINATOR: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_INSIGHTS,
            Capability.MANAGE_PROGRAMMES,
            Capability.DELIVER_PROGRAMMES,
        }
    ),
    Role.PARTNER_LINK_WORKER: frozenset(
        {Capability.VIEW_CASES, Capability.VIEW_ORGANISATION, Capability.PARTNER_SAFETY}
    ),
    Role.INTERVENTIONS_PANEL: frozenset(
        {Capability.VIEW_ORGANISATION, Capability.VIEW_INSIGHTS, Capability.APPROVE_INTERVENTIONS}
    ),
    Role.COMMISSIONER: frozenset(
        {Capability.VIEW_ORGANISATION, Capability.VIEW_INSIGHTS, Capability.VIEW_CONTRACTS}
    ),
    Role.PROVIDER: frozenset({Capability.VIEW_CONTRACTS, Capability.DELIVER_SERVICES}),
    Role.COMMERCIAL: frozenset(
        {
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_INSIGHTS,
            Capability.VIEW_CONTRACTS,
            Capability.MANAGE_FRAMEWORK,
        }
    ),
    Role.REGIONAL_DIRECTOR: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_INSIGHTS,
            Capability.VIEW_CONTRACTS,
            Capability.PROPOSE_INTERVENTIONS,
            Capability.REVIEW_DELIVERY_SUITE,
        }
    ),
    Role.NATIONAL_ANALYST: frozenset(
        {Capability.VIEW_ORGANISATION, Capability.VIEW_INSIGHTS, Capability.VIEW_CONTRACTS}
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.VIEW_ORGANISATION,
            Capability.MANAGE_REFERENCE_DATA,
            Capability.MANAGE_USERS,
            Capability.VIEW_AUDIT,
            Capability.MANAGE_JOBS,
        }
    ),
}


class ScopeLevel(StrEnum):
    """How much of the country a user's case access covers."""

    NONE = "NONE"
    TEAM = "TEAM"
    PDU = "PDU"
    REGION = "REGION"
    NATIONAL = "NATIONAL"


SCOPE_LABELS: dict[ScopeLevel, str] = {
    ScopeLevel.NONE: "No case access",
    ScopeLevel.TEAM: "Own team",
    ScopeLevel.PDU: "Own Probation Delivery Unit",
    ScopeLevel.REGION: "Own region",
    ScopeLevel.NATIONAL: "England and Wales",
}

DEFAULT_SCOPE: dict[Role, ScopeLevel] = {
    Role.PRACTITIONER: ScopeLevel.TEAM,
    Role.SENIOR_PROBATION_OFFICER: ScopeLevel.PDU,
    Role.UNPAID_WORK: ScopeLevel.PDU,
    Role.TREATMENT_MANAGER: ScopeLevel.REGION,
    Role.FACILITATOR: ScopeLevel.PDU,
    Role.PROGRAMME_COORDINATOR: ScopeLevel.REGION,
    Role.PARTNER_LINK_WORKER: ScopeLevel.REGION,
    Role.INTERVENTIONS_PANEL: ScopeLevel.NONE,
    Role.COMMISSIONER: ScopeLevel.NONE,
    Role.PROVIDER: ScopeLevel.NONE,
    Role.COMMERCIAL: ScopeLevel.NONE,
    Role.REGIONAL_DIRECTOR: ScopeLevel.REGION,
    Role.NATIONAL_ANALYST: ScopeLevel.NATIONAL,
    Role.ADMINISTRATOR: ScopeLevel.NONE,
}


# Narrowest first: a set of roles defaults to the widest of its roles' defaults.
SCOPE_BREADTH: tuple[ScopeLevel, ...] = (
    ScopeLevel.NONE,
    ScopeLevel.TEAM,
    ScopeLevel.PDU,
    ScopeLevel.REGION,
    ScopeLevel.NATIONAL,
)

NO_ROLE_MESSAGE = "Choose at least one role"
MIXED_ROLES_MESSAGE = (
    "Choose either Probation Service staff roles or external organisation roles, not both: "
    "{external} cannot be held with {staff}"
)


def as_roles(values: Iterable[Role | str]) -> frozenset[Role]:
    """The roles named, ignoring any value no longer in the table: a role that was
    removed grants nothing rather than failing every page its holder opens."""
    known = {role.value for role in Role}
    return frozenset(Role(value) for value in values if str(value) in known)


def in_table_order(roles: Iterable[Role | str]) -> list[Role]:
    """Roles in the order of the table, so labels and audit rows read the same every time."""
    held = as_roles(roles)
    return [role for role in Role if role in held]


def capabilities_for(role: Role | str) -> frozenset[Capability]:
    return capabilities_for_roles([role])


def capabilities_for_roles(roles: Iterable[Role | str]) -> frozenset[Capability]:
    """What a user holding these roles may do: the union of each role's capabilities.
    No role (or only unknown ones) grants nothing: default deny."""
    granted: set[Capability] = set()
    for role in as_roles(roles):
        granted |= ROLE_CAPABILITIES[role]
    return frozenset(granted)


def default_scope_for_roles(roles: Iterable[Role | str]) -> ScopeLevel:
    """The usual case access for someone holding these roles: the widest of their
    defaults, so adding a role never narrows what a user's other job needs to see."""
    defaults = [DEFAULT_SCOPE[role] for role in as_roles(roles)]
    return max(defaults, key=SCOPE_BREADTH.index, default=ScopeLevel.NONE)


def role_set_problem(roles: Iterable[Role | str]) -> str | None:
    """Why these roles cannot be held together, or None when they can.

    Staff roles rest on a staff record (team, PDU, region) and external roles on an
    external organisation; one account cannot be both, or a provider's caseworker
    could be given case access through a staff role."""
    held = as_roles(roles)
    if not held:
        return NO_ROLE_MESSAGE
    staff, external = held & STAFF_ROLES, held & EXTERNAL_ROLES
    if staff and external:
        return MIXED_ROLES_MESSAGE.format(external=_labels(external), staff=_labels(staff))
    return None


def _labels(roles: Iterable[Role]) -> str:
    return " and ".join(ROLE_LABELS[role] for role in in_table_order(roles))
