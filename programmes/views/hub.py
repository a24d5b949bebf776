"""The programmes landing page: each programmes job's pages in one place, shown by what
the user's roles allow, with the few figures that say where to start (the waitlist, groups
running, the user's sessions this week). Also the Partner Link Worker's caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audit import services as audit
from core.access import requires, signed_in
from core.roles import Capability
from programmes.selectors import groups as group_selectors
from programmes.selectors import referrals as referral_selectors
from programmes.selectors.performance import regions_for


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    capability: Capability
    description: str
    query: str = ""


# Each programmes page a user may open, in the order of the work: who is waiting, the
# groups that run, the sessions to deliver, the catalogue and suite, and the figures.
LINKS: tuple[Link, ...] = (
    Link(
        "Waitlist",
        "programmes:waitlist",
        Capability.DELIVER_PROGRAMMES,
        "People referred and not yet in a group, by PDU: pathway, weeks left and who cannot finish in time.",
    ),
    Link(
        "Groups",
        "programmes:groups",
        Capability.DELIVER_PROGRAMMES,
        "Form groups, add people from the waitlist, reschedule and take registers.",
    ),
    Link(
        "Facilitator diary",
        "programmes:facilitator_diary",
        Capability.DELIVER_PROGRAMMES,
        "Sessions by week for a facilitator.",
    ),
    Link(
        "Partner link work",
        "programmes:partner_work",
        Capability.PARTNER_SAFETY,
        "Men on Building Better Relationships, and when their partner was last contacted.",
    ),
    Link(
        "Catalogue",
        "programmes:catalogue",
        Capability.VIEW_ORGANISATION,
        "Accredited programmes and Structured Interventions: who each is for, and its sessions.",
    ),
    Link(
        "Structured Interventions awaiting the panel",
        "programmes:catalogue",
        Capability.APPROVE_INTERVENTIONS,
        "Interventions regions have submitted for the Effective Interventions Panel's decision.",
        query="?kind=STRUCTURED&status=SUBMITTED",
    ),
    Link(
        "Submit a Structured Intervention",
        "programmes:intervention_new",
        Capability.PROPOSE_INTERVENTIONS,
        "Send a region's intervention to the Effective Interventions Panel.",
    ),
    Link(
        "Delivery suite",
        "programmes:suites",
        Capability.VIEW_ORGANISATION,
        "What each PDU delivers, where, and any gap against the required suite.",
    ),
    Link("Rooms", "programmes:rooms", Capability.MANAGE_PROGRAMMES, "Rooms suitable for group programmes."),
    Link(
        "Commencements",
        "programmes:commencements",
        Capability.VIEW_INSIGHTS,
        "Programmes started within 12 weeks of sentence, and why the others never started.",
    ),
)


def links_for(user: Any) -> list[dict[str, str]]:
    """The links the user's capabilities open; commencements only where the user has a
    region to see (a commissioner's insight has no geography here)."""
    has_region = regions_for(user).exists()
    return [
        {"label": link.label, "url": reverse(link.url_name) + link.query, "description": link.description}
        for link in LINKS
        if user.has_capability(link.capability)
        and (link.url_name != "programmes:commencements" or has_region)
    ]


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Everyone signed in may open it; it lists only what their roles open (nothing for a
    role with no programmes work, which the page says)."""
    user: Any = request.user
    figures: dict[str, Any] = {}
    if user.has_capability(Capability.DELIVER_PROGRAMMES):
        figures["waiting"] = referral_selectors.waitlist_size(user)
        figures["running"] = group_selectors.running_groups_count(user)
        if user.staff_id:
            today = timezone.localdate()
            monday = today - timedelta(days=today.weekday())
            start = timezone.make_aware(datetime.combine(monday, time.min))
            figures["my_sessions"] = len(
                group_selectors.diary_of(user, user.staff, start, start + timedelta(days=7))
            )
    return render(
        request,
        "programmes/hub/home.html",
        {"links": links_for(user), "figures": figures},
    )


@requires(Capability.PARTNER_SAFETY)
def partner_work(request: HttpRequest) -> HttpResponse:
    """The Partner Link Worker's caseload: open BBR referrals in scope, the longest since a
    contact first (never contacted at the top)."""
    page = Paginator(referral_selectors.partner_work_referrals(request.user), 50).get_page(
        request.GET.get("page")
    )
    audit.record_read(
        "partner link work caseload", actor=request.user, people=[r.person.crn for r in page.object_list]
    )
    return render(request, "programmes/hub/partner_work.html", {"page_obj": page})
