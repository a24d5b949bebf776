"""Walks every page and every API operation as every role and proves nothing leaks.

The URLs are generated from the URL resolver and the OpenAPI document, so a new
page or endpoint is covered automatically; one with a path parameter this test
does not know how to fill fails until a sample is added below. Writes, with valid
bodies and out-of-scope ids, are walked in ``test_write_access_matrix``.

The world's programmes records (a group in Nottingham with the TeamA and the restricted
person, one in Leeds, a register, a partner contact naming its person) are walked too.
Proved able to fail: listing a group's members in ``programmes.selectors.groups.members_of``
without ``people_visible_to`` turns the page walk red (the treatment manager sees the
restricted person on the group's page).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from commissioning.models import (
    ApplicationDocument,
    Bid,
    Clarification,
    Competition,
    Contract,
    Supplier,
    SupplierApplication,
)
from core.access import access_rule_of
from core.models import Job
from core.roles import Capability
from core.tests.world import World, build_world
from organisation.models import Office, Pdu
from probation.api import api
from programmes.models import DeliveryOffer, GroupMember, ProgrammeGroup, ProgrammeReferral, Room
from referrals.models import Referral
from risk.models import Registration
from sentences.models import Requirement, Sentence
from supervision.models import Appointment, Breach
from unpaid_work.models import Booking, Nomination, PlanRun, Project, UnpaidWorkOrder, WorkSession

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue  # the API is walked from its OpenAPI document
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def _ids(model: Any) -> list[str]:
    """The first and last ids (in the world, the first and last people's records) and a missing one."""
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return [str(ids[0]), str(ids[-1]), "99999"]


def _samples(world: World) -> dict[str, list[str]]:
    made = world.programmes
    office = Office.objects.filter(pdu__name="Nottingham City").first()
    leeds_office = Office.objects.filter(pdu__name="Leeds").first()
    assert office and leeds_office
    return {
        "crn": [p.crn for p in world.people] + ["Z999999"],
        "region_id": ["F", "C", "Q"],
        "pdu_id": [
            str(Pdu.objects.get(name="Nottingham City").pk),
            str(Pdu.objects.get(name="Leeds").pk),
            "99999",
        ],
        "office_id": [str(office.pk), str(leeds_office.pk), "99999"],
        "team_id": [*[str(p.team_id) for p in world.people if p.team_id][:2], "99999"],
        "user_id": [str(world.users["PRACTITIONER"].pk), "99999"],
        "staff_id": [str(world.users["PRACTITIONER"].staff_id), "99999"],
        "appointment_id": _ids(Appointment),
        "breach_id": _ids(Breach),
        "sentence_id": _ids(Sentence),
        "requirement_id": _ids(Requirement),
        "registration_id": _ids(Registration),
        "nomination_id": _ids(Nomination),
        "project_id": _ids(Project),
        # Unpaid Work's sessions, then a programme group's: its past session (with a
        # register), the restricted member's one-to-one, and the Leeds group's session.
        "session_id": list(
            dict.fromkeys(
                [
                    *_ids(WorkSession)[:2],
                    *(str(made[k].pk) for k in ("session", "restricted_one_to_one", "leeds_session")),
                    "99999",
                ]
            )
        ),
        "order_id": _ids(UnpaidWorkOrder),
        "booking_id": _ids(Booking),
        "plan_id": _ids(PlanRun),
        "job_id": _ids(Job),
        "contract_id": _ids(Contract),
        "referral_id": _ids(Referral),
        "application_id": _ids(SupplierApplication),
        "document_id": _ids(ApplicationDocument),
        "competition_id": _ids(Competition),
        "step": ["publish", "bid", "score", "approve", "no-such-step"],
        "clarification_id": _ids(Clarification),
        "bid_id": _ids(Bid),
        "supplier_id": _ids(Supplier),
        "action": ["assign", "withdraw", "report", "no-such-step"],
        "programme_referral_id": _ids(ProgrammeReferral),
        "referral_step": ["withdraw", "assess", "no-such-step"],
        "code": ["building-choices-moderate", made["intervention"].code, "no-such"],
        "offer_id": _ids(DeliveryOffer),
        "room_id": _ids(Room),
        "group_id": _ids(ProgrammeGroup),
        # Every member: the TeamA person's, the restricted person's, and the Leeds person's.
        "member_id": [
            *(str(pk) for pk in GroupMember.objects.order_by("pk").values_list("pk", flat=True)),
            "99999",
        ],
        "staff_code": [made["facilitator"].staff_code, made["leeds_facilitator"].staff_code, "ZZZ99"],
    }


def _expand(template: str, samples: dict[str, list[str]], brace: bool = False) -> list[str]:
    names = re.findall(r"{(\w+)}", template) if brace else [m.group("name") for m in PARAM.finditer(template)]
    if not names:
        return [template]
    missing = [n for n in names if n not in samples]
    assert not missing, f"Add samples for path parameters {missing} used by {template}"
    urls = []
    for values in itertools.product(*(samples[n] for n in names)):
        url = template
        for name, value in zip(names, values, strict=True):
            pattern = r"{%s}" % name if brace else r"<(?:[^>:]+:)?%s>" % name  # noqa: UP031
            url = re.sub(pattern, value, url)
        urls.append(url)
    return urls


AUDIT_PATHS = ("/audit/", "/api/v1/audit/")


def _assert_no_leak(world: World, user: Any, url: str, body: str) -> None:
    # The audit trail names records by identifier so administrators can investigate
    # misuse; it must still never show a person's name.
    identifiers_allowed = url.startswith(AUDIT_PATHS) and user.has_capability(Capability.VIEW_AUDIT)
    for person in world.people:
        if not world.may_read_about(user, person):
            if not identifiers_allowed:
                assert person.crn not in body, f"{user.username} saw {person.crn} at {url}"
            assert person.last_name not in body, f"{user.username} saw {person.last_name} at {url}"


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def test_every_page_for_every_role_stays_in_scope(world: World) -> None:
    samples = _samples(world)
    pages = [
        (url, view)
        for template, view in _walk(get_resolver().url_patterns)
        for url in _expand(template, samples)
    ]
    assert len(pages) > 20
    for user in world.users.values():
        client = Client()
        client.force_login(user)
        for path, view in pages:
            url = "/" + path
            response = client.get(url)
            assert response.status_code in (200, 302, 400, 404, 405), (
                user.username,
                url,
                response.status_code,
            )
            body = response.content.decode()
            _assert_no_leak(world, user, url, body)
            rule = access_rule_of(view)
            assert rule is not None
            if not rule.allows(user):
                assert response.status_code == 404, f"{user.username} reached {url}"
            crn = next((p for p in world.people if f"/cases/{p.crn}/" == url), None)
            if crn is not None:
                expected = 200 if world.may_see(user, crn) else 404
                assert response.status_code == expected, (user.username, url)


def test_signed_out_visitors_reach_only_public_pages(world: World) -> None:
    samples = _samples(world)
    client = Client()
    for template, view in _walk(get_resolver().url_patterns):
        for path in _expand(template, samples):
            response = client.get("/" + path)
            rule = access_rule_of(view)
            assert rule is not None, f"/{path} has no access rule"
            if not rule.public:
                assert response.status_code in (302, 404), (
                    f"/{path} answered {response.status_code} signed out"
                )
                if response.status_code == 302:
                    assert response["Location"].startswith("/sign-in/")
            for person in world.people:
                assert person.crn not in response.content.decode()


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def test_every_api_read_for_every_role_stays_in_scope(world: World) -> None:
    samples = _samples(world)
    reads = [path for method, path in _api_operations() if method == "GET"]
    assert any("/people" in p for p in reads)
    for user in world.users.values():
        client = Client()
        client.force_login(user)
        for template in reads:
            for url in _expand(template, samples, brace=True):
                response = client.get(url)
                assert response.status_code in (200, 404, 422), (user.username, url, response.status_code)
                _assert_no_leak(world, user, url, response.content.decode())
                person = next((p for p in world.people if url.endswith(f"/people/{p.crn}")), None)
                if person is not None:
                    assert response.status_code == (200 if world.may_see(user, person) else 404), (
                        user.username,
                        url,
                    )


def test_api_requires_sign_in(world: World) -> None:
    samples = _samples(world)
    client = Client()
    for method, template in _api_operations():
        url = _expand(template, samples, brace=True)[0]
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response["Content-Type"] == "application/problem+json"


def test_lists_show_everything_in_scope(world: World) -> None:
    """The other half of the proof: scoping hides only what it should."""
    for user in world.users.values():
        client = Client()
        client.force_login(user)
        visible = [p for p in world.people if world.may_see(user, p)]
        page = client.get("/cases/?sort=name")  # any filter turns off the "my caseload" default
        listed = client.get("/api/v1/people")
        if not user.has_capability(Capability.VIEW_CASES):
            assert page.status_code == 404 and listed.status_code == 404
            continue
        assert listed.json()["count"] == len(visible), user.username
        for person in visible:
            assert person.crn in page.content.decode(), (user.username, person.crn)
