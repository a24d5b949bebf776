"""The primary navigation, derived from the same capabilities that guard the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from core.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: Capability | None
    section: str  # first path segment that marks the item as current
    unless: Capability | None = None  # hide when the user has this (a fuller item covers it)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "portal:home", None, ""),
    NavItem("Cases", "people:list", Capability.VIEW_CASES, "cases"),
    NavItem("Unpaid Work", "unpaid_work:projects", Capability.MANAGE_UNPAID_WORK, "unpaid-work"),
    NavItem(
        "Unpaid Work",
        "unpaid_work:dashboard",
        Capability.VIEW_INSIGHTS,
        "unpaid-work",
        unless=Capability.MANAGE_UNPAID_WORK,
    ),
    NavItem("Referrals", "referrals:list", Capability.DELIVER_SERVICES, "referrals"),
    NavItem(
        "Referrals",
        "referrals:list",
        Capability.MANAGE_CASES,
        "referrals",
        unless=Capability.DELIVER_SERVICES,
    ),
    NavItem("Programmes", "programmes:home", Capability.DELIVER_PROGRAMMES, "programmes"),
    NavItem(
        "Programmes",
        "programmes:home",
        Capability.PARTNER_SAFETY,
        "programmes",
        unless=Capability.DELIVER_PROGRAMMES,
    ),
    NavItem("Programmes", "programmes:home", Capability.APPROVE_INTERVENTIONS, "programmes"),
    NavItem("Programmes", "programmes:home", Capability.REVIEW_DELIVERY_SUITE, "programmes"),
    # Analysts (aggregate figures, no cases) find commencements there too.
    NavItem(
        "Programmes", "programmes:home", Capability.VIEW_INSIGHTS, "programmes", unless=Capability.VIEW_CASES
    ),
    NavItem("Services", "commissioning:contracts", Capability.VIEW_CONTRACTS, "services"),
    NavItem("Framework", "commissioning:applications", Capability.MANAGE_FRAMEWORK, "framework"),
    NavItem("Allocations", "supervision:unallocated", Capability.ALLOCATE_CASES, "allocations"),
    NavItem("Enforcement", "supervision:timeliness", Capability.VIEW_INSIGHTS, "enforcement"),
    NavItem("Organisation", "organisation:regions", Capability.VIEW_ORGANISATION, "organisation"),
    NavItem("Users", "accounts:users", Capability.MANAGE_USERS, "users"),
    NavItem("Audit trail", "audit:search", Capability.VIEW_AUDIT, "audit"),
)


def nav_items_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The signed-in user's navigation: what the union of their roles' capabilities opens."""
    if not getattr(user, "is_authenticated", False):
        return []
    return nav_items_for_capabilities(frozenset(c for c in Capability if user.has_capability(c)), path)


def nav_items_for_capabilities(capabilities: frozenset[Capability], path: str) -> list[dict[str, Any]]:
    """The items a set of capabilities opens; the home page uses it for each role's share of
    a user's work, the header for the user's whole set."""
    section = path.strip("/").split("/", 1)[0]
    items: list[dict[str, Any]] = []
    for item in NAV_ITEMS:
        if (item.capability is None or item.capability in capabilities) and not (
            item.unless and item.unless in capabilities
        ):
            entry = {"label": item.label, "url": reverse(item.url_name), "active": item.section == section}
            if entry not in items:  # several capabilities may open the same page: list it once
                items.append(entry)
    return items
