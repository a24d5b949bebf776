"""Walks every page and every API read as every role and proves each read of case data
writes exactly one audit row.

The URLs come from the URL resolver and the OpenAPI document (as in the access
matrix), so a new page or endpoint that shows case data without recording the read
fails here until it calls ``audit.services.record_read``. Reads that show no case
data are listed below with the reason; the walk also checks that those pages never
name any of the world's people, so a page cannot hide in the list.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import get_resolver

from audit.constants import AuditAction
from audit.models import AuditEvent
from core.tests.test_access_matrix import _api_operations, _expand, _samples, _walk
from core.tests.world import World, build_world

pytestmark = pytest.mark.django_db

READS = (AuditAction.VIEW, AuditAction.SEARCH)

# Pages that show no case data: reference data, geography, staff accounts, catalogues,
# commissioning, aggregate figures, public pages, and blank forms.
NOT_CASE_DATA_PAGES = {
    "": "landing page: counts of cases only",
    "healthz": "health check",
    "accessibility/": "statement",
    "privacy/": "statement",
    "sign-in/": "sign-in form",
    "sign-out/": "sign-out",
    "users/": "staff accounts",
    "users/new/": "staff accounts",
    "users/<int:user_id>/": "staff accounts",
    "organisation/": "geography",
    "organisation/regions/<str:region_id>/": "geography",
    "organisation/pdus/new/": "geography",
    "organisation/pdus/<int:pdu_id>/": "geography",
    "organisation/pdus/<int:pdu_id>/rename/": "geography",
    "organisation/pdus/<int:pdu_id>/retire/": "geography",
    "organisation/pdus/<int:pdu_id>/teams/new/": "geography",
    "organisation/pdus/<int:pdu_id>/staff/new/": "geography",
    "organisation/teams/<int:team_id>/": "geography and staff",
    "organisation/staff/<int:staff_id>/": "staff",
    "organisation/offices/new/": "geography",
    "organisation/offices/<int:office_id>/": "geography",
    "organisation/offices/<int:office_id>/edit/": "geography",
    "organisation/offices/<int:office_id>/retire/": "geography",
    "cases/new/": "blank form: no person yet",
    "community-payback/nominate/": "public nomination form",
    "unpaid-work/nominations/": "nominations from the public: no people on probation",
    "unpaid-work/nominations/<int:nomination_id>/decline/": "nominations from the public",
    "unpaid-work/projects/": "projects catalogue",
    "unpaid-work/projects/new/": "projects catalogue",
    "unpaid-work/projects/<int:project_id>/": "project and its sessions: counts of bookings only",
    "unpaid-work/planner/": "planner form and past runs: counts only",
    "unpaid-work/sessions/<int:session_id>/stand-down/": "POST only: answers with a redirect",
    "unpaid-work/sessions/<int:session_id>/supervisors/": "POST only: answers with a redirect",
    "unpaid-work/requirements/<int:requirement_id>/order/": "answers with a redirect to the order, audited there",
    "services/contracts/": "contracts catalogue",
    "services/contracts/<int:contract_id>/": "contracts catalogue",
    "services/regional/": "contracts catalogue",
    "services/performance/": "aggregate figures",
    "services/contracts/<int:contract_id>/performance/": "aggregate figures",
    "framework/apply/": "supplier applications",
    "framework/extend/": "supplier applications",
    "framework/applications/": "supplier applications",
    "framework/applications/<int:application_id>/": "supplier applications",
    "framework/applications/<int:application_id>/documents/<int:document_id>/": "supplier applications",
    "framework/suppliers/": "suppliers",
    "framework/suppliers/<int:supplier_id>/organisation/": "linking a supplier to its organisation",
    "framework/agreement/": "framework agreement",
    "framework/commissioners/": "commissioners",
    "framework/competitions/": "competitions",
    "framework/competitions/new/": "competitions",
    "framework/competitions/<int:competition_id>/": "competitions",
    "framework/competitions/<int:competition_id>/<slug:step>/": "competitions",
    "audit/": "the audit trail itself (names records by identifier, never by name)",
    # A job's page shows its label (a PDU and dates, a schedule), its stage, percentage,
    # times and error, and its result's one-line summary (counts) and link. Handlers put
    # no case data in any of them; the linked page (a plan) audits its own read.
    "jobs/<int:job_id>/": "a background job's progress: counts and a link, no case data",
    "programmes/catalogue/": "the programmes catalogue: national reference data",
    "programmes/catalogue/<slug:code>/": "a programme, its templates, offers and panel decisions",
    "programmes/catalogue/<slug:code>/templates/new/": "the catalogue: a new template",
    "programmes/catalogue/<slug:code>/panel/<slug:step>/": "the panel's decision on an intervention",
    "programmes/interventions/new/": "a blank form: a region's intervention",
    "programmes/delivery-suite/": "the delivery suites: regions",
    "programmes/delivery-suite/<str:region_id>/": "a region's delivery suite: programmes by PDU",
    "programmes/delivery-suite/<str:region_id>/offers/new/": "the delivery suite",
    "programmes/delivery-suite/<str:region_id>/reviews/": "the delivery suite's reviews",
    "programmes/delivery-suite/<str:region_id>/reviews/new/": "the delivery suite",
    "programmes/offers/<int:offer_id>/end/": "the delivery suite",
    "programmes/rooms/": "rooms",
    "programmes/rooms/new/": "rooms",
    "programmes/rooms/<int:room_id>/": "rooms",
    "programmes/rooms/<int:room_id>/retire/": "rooms",
    "programmes/groups/": "groups: codes, rooms, dates and counts of members only",
    "programmes/groups/new/": "a blank form: programmes, rooms and staff",
    "programmes/groups/<int:group_id>/sessions/<int:session_id>/reschedule/": "a session's time: no people",
    "programmes/commencements/": "aggregate figures",
    "programmes/": "the programmes landing page: links and counts only",
    "programmes/groups/<int:group_id>/cancel/": "a reason form naming the group and programme, no people",
}

NOT_CASE_DATA_API = {
    "/api/v1/me": "the signed-in user",
    "/api/v1/users": "staff accounts",
    "/api/v1/users/{user_id}": "staff accounts",
    "/api/v1/organisation/regions": "geography",
    "/api/v1/organisation/pdus": "geography",
    "/api/v1/organisation/pdus/{pdu_id}": "geography",
    "/api/v1/organisation/offices": "geography",
    "/api/v1/organisation/offices/{office_id}": "geography",
    "/api/v1/organisation/teams": "geography",
    "/api/v1/organisation/staff": "staff",
    "/api/v1/organisation/staff/{staff_id}": "staff",
    "/api/v1/audit/events": "the audit trail itself",
    "/api/v1/unpaid-work/projects": "projects catalogue",
    "/api/v1/unpaid-work/projects/{project_id}/sessions": "sessions: counts of bookings only",
    "/api/v1/unpaid-work/nominations": "nominations from the public",
    "/api/v1/commissioning/categories": "catalogue",
    "/api/v1/commissioning/suppliers": "suppliers",
    "/api/v1/commissioning/contracts": "contracts catalogue",
    "/api/v1/commissioning/contracts/{contract_id}": "contracts catalogue",
    "/api/v1/commissioning/contracts/{contract_id}/performance": "aggregate figures",
    "/api/v1/commissioning/performance": "aggregate figures",
    "/api/v1/commissioning/competitions": "competitions",
    "/api/v1/commissioning/competitions/{competition_id}": "competitions",
    "/api/v1/commissioning/competitions/{competition_id}/bids": "competitions",
    "/api/v1/commissioning/competitions/{competition_id}/ranking": "competitions",
    "/api/v1/commissioning/applications": "supplier applications",
    "/api/v1/commissioning/applications/{application_id}": "supplier applications",
    "/api/v1/commissioning/commissioners": "commissioners",
    "/api/v1/jobs/{job_id}": "a background job's progress: counts and a link, no case data",
    "/api/v1/programmes": "the programmes catalogue: national reference data",
    "/api/v1/programmes/{code}": "a programme, its templates, offers and panel decisions",
    "/api/v1/delivery-suite/{region_id}": "a region's delivery suite",
    "/api/v1/rooms": "rooms",
    "/api/v1/programme-groups": "groups: codes, rooms, dates and staff, no members",
    "/api/v1/programme-commencements": "aggregate figures",
}

# The sample ids that name nothing: never a 200, so never tried.
MISSING = ("99999", "Z999999", "no-such")


def _candidates(template: str, samples: dict[str, list[str]], brace: bool = False) -> list[str]:
    """Every expansion of the template with the matrix's samples of real records. A user
    is measured on the first that answers them 200: a path parameter's samples may hold
    another context's ids (Unpaid Work's sessions and a programme group's share
    ``session_id``), so the first expansion alone may suit no one."""
    return [url for url in _expand(template, samples, brace=brace) if not any(m in url for m in MISSING)]


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def _last_id() -> int:
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def _check(world: World, user: Any, url: str, *, body: str, after: int, allowed: bool) -> None:
    rows = list(AuditEvent.objects.filter(id__gt=after, action__in=READS))
    if allowed:
        if not url.startswith(("/audit/", "/api/v1/audit/")):
            for person in world.people:
                for shown in (person.crn, person.last_name):
                    assert shown not in body, f"{url} shows {shown}: not exempt from auditing"
        return
    assert len(rows) == 1, f"{user.username} read {url}: {len(rows)} audit rows, expected one"
    row = rows[0]
    assert row.actor_id == user.pk and row.path == url.split("?", maxsplit=1)[0]
    written = f"{row.object_repr} {row.changes}"
    for person in world.people:
        assert person.last_name not in written, f"{url} wrote the name {person.last_name} to the audit trail"


def test_every_page_that_shows_case_data_audits_the_read(world: World) -> None:
    """Proved able to fail: removing the ``record_read`` call from
    ``supervision.views.unallocated`` turns it red ("0 audit rows, expected one"); the
    programme group's one-to-one booking page, naming the member without auditing the
    read, was red the same way until it audited it."""
    samples = _samples(world)
    pages = [(template, _candidates(template, samples)) for template, _ in _walk(get_resolver().url_patterns)]
    unknown = {t for t, _ in pages} - set(NOT_CASE_DATA_PAGES)
    reached: set[str] = set()
    for user in world.users.values():
        client = Client()
        client.force_login(user)
        for template, paths in pages:
            for path in paths:
                url = "/" + path
                after = _last_id()
                response = client.get(url)
                if response.status_code != 200:
                    continue
                allowed = template in NOT_CASE_DATA_PAGES
                reached.add(template)
                _check(world, user, url, body=response.content.decode(), after=after, allowed=allowed)
                break
    assert unknown <= reached, f"never shown to anyone, so not proved audited: {sorted(unknown - reached)}"


def test_every_api_read_of_case_data_audits_the_read(world: World) -> None:
    """Proved able to fail: removing the ``record_read`` call from
    ``supervision.api.list_notes`` turns it red ("0 audit rows, expected one")."""
    samples = _samples(world)
    reads = [
        (template, _candidates(template, samples, brace=True))
        for method, template in _api_operations()
        if method == "GET"
    ]
    unknown = {t for t, _ in reads} - set(NOT_CASE_DATA_API)
    reached: set[str] = set()
    for user in world.users.values():
        client = Client()
        client.force_login(user)
        for template, urls in reads:
            for url in urls:
                after = _last_id()
                response = client.get(url)
                if response.status_code != 200:
                    continue
                reached.add(template)
                allowed = template in NOT_CASE_DATA_API
                _check(world, user, url, body=response.content.decode(), after=after, allowed=allowed)
                break
    assert unknown <= reached, f"never answered anyone, so not proved audited: {sorted(unknown - reached)}"
