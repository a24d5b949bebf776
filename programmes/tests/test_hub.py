"""The programmes landing page, the Partner Link Worker's caseload, the navigation entry,
and the referral page's links to the group steps."""

from __future__ import annotations

from typing import Any

import pytest

from core.roles import ROLE_CAPABILITIES, Role
from organisation.models import Pdu
from organisation.tests.factories import TeamFactory
from people.tests.factories import PersonFactory
from portal.navigation import nav_items_for_capabilities
from programmes.constants import NeedArea
from programmes.services import groups as group_services
from programmes.tests.factories import ProgrammeFactory, programme_referral
from programmes.tests.test_groups_world import GroupWorld, clock_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.PROGRAMME_COORDINATOR,
            ["Waitlist", "Groups", "Rooms"],
            ["Partner link work", "awaiting the panel"],
        ),
        (Role.FACILITATOR, ["Waitlist", "Facilitator diary"], ["Rooms", "Partner link work"]),
        (Role.PARTNER_LINK_WORKER, ["Partner link work"], ["Waitlist", "Rooms"]),
        (Role.INTERVENTIONS_PANEL, ["awaiting the panel", "Catalogue"], ["Waitlist", "Partner link work"]),
        (Role.REGIONAL_DIRECTOR, ["Delivery suite", "Commencements", "Submit a Structured"], ["Waitlist"]),
        (Role.COMMISSIONER, ["Catalogue"], ["Commencements", "Waitlist"]),
    ],
)
def test_the_landing_page_lists_what_each_role_opens(
    role: Role, shown: list[str], hidden: list[str], make_user: Any, client_for: Any
) -> None:
    html = client_for(make_user(role)).get("/programmes/").content.decode()
    for label in shown:
        assert label in html, label
    for label in hidden:
        assert label not in html, label


def test_a_role_with_no_programmes_work_is_told_so(make_user: Any, client_for: Any) -> None:
    html = client_for(make_user(Role.PROVIDER)).get("/programmes/").content.decode()
    assert "Your roles have no programmes work" in html


@pytest.mark.parametrize(
    ("role", "has_item"),
    [
        (Role.PROGRAMME_COORDINATOR, True),
        (Role.TREATMENT_MANAGER, True),
        (Role.FACILITATOR, True),
        (Role.PARTNER_LINK_WORKER, True),
        (Role.INTERVENTIONS_PANEL, True),
        (Role.REGIONAL_DIRECTOR, True),
        (Role.NATIONAL_ANALYST, True),
        (Role.PRACTITIONER, False),
        (Role.PROVIDER, False),
    ],
)
def test_the_navigation_has_one_programmes_item_for_the_roles_that_work_there(
    role: Role, has_item: bool
) -> None:
    labels = [item["label"] for item in nav_items_for_capabilities(ROLE_CAPABILITIES[role], "/")]
    assert labels.count("Programmes") == (1 if has_item else 0)


def test_the_partner_link_worker_sees_open_bbr_referrals_in_scope(make_user: Any, client_for: Any) -> None:
    """Proved able to fail: with ``partner_work_referrals`` reading every referral (not
    ``referrals_visible_to``), the other region's man showed."""
    plw = make_user(Role.PARTNER_LINK_WORKER)
    bbr = ProgrammeFactory(need_area=NeedArea.DOMESTIC_ABUSE, women=False)
    mine = PersonFactory(pdu=plw.staff.pdu, team=plw.staff.team, last_name="Inscope")
    programme_referral(mine, bbr)
    leeds = Pdu.objects.get(name="Leeds")
    elsewhere = PersonFactory(pdu=leeds, team=TeamFactory(pdu=leeds), last_name="Outofscope")
    assert elsewhere.pdu.region_id != plw.staff.pdu.region_id
    programme_referral(elsewhere, bbr)
    other_programme = PersonFactory(pdu=plw.staff.pdu, team=plw.staff.team, last_name="Notbbr")
    programme_referral(other_programme, ProgrammeFactory())
    html = client_for(plw).get("/programmes/partner-link-work/").content.decode()
    assert "Inscope" in html and "Not contacted" in html
    assert "Outofscope" not in html and "Notbbr" not in html
    assert client_for(make_user(Role.FACILITATOR)).get("/programmes/partner-link-work/").status_code == 404


def test_the_referral_page_links_to_the_group_steps(world: GroupWorld, client_for: Any) -> None:
    referral = world.waitlisted()
    client = client_for(world.coordinator)
    page = client.get(f"/programme-referrals/{referral.pk}/").content.decode()
    assert "Add to a group" in page and "Not in a group" in page
    group = world.form_group()
    member = group_services.add_member(
        acting_user=world.coordinator, group_id=group.pk, referral_id=referral.pk
    )
    page = client.get(f"/programme-referrals/{referral.pk}/").content.decode()
    assert group.code in page
    assert f"/programmes/groups/{group.pk}/members/{member.pk}/remove/" in page
