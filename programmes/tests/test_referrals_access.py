"""Who sees a programme referral: only those who may see its person (pages and API alike),
the waitlist hides restricted and excluded cases, reads of case data are audited, and
Partner Link Work contacts are seen only by Partner Link Workers and treatment managers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from audit.models import AuditEvent
from core.roles import Role
from organisation.tests.factories import StaffFactory, TeamFactory
from people.constants import AccessListKind
from people.models import CaseAccessEntry
from people.tests.factories import PersonFactory
from programmes.constants import ReferralStatus
from programmes.models import PartnerContact
from programmes.tests.factories import ProgrammeFactory
from programmes.tests.referral_builders import bbr, person_of, referral_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)

PAGES = (
    "/programme-referrals/{id}/",
    "/programme-referrals/{id}/referred/",
    "/programme-referrals/{id}/steps/withdraw/",
    "/programme-referrals/{id}/steps/assess/",
    "/programme-referrals/{id}/ldc/",
    "/programme-referrals/{id}/availability/",
    "/programme-referrals/{id}/non-associations/new/",
    "/programme-referrals/{id}/partner-contacts/new/",
)
API_READS = ("/api/v1/programme-referrals/{id}", "/api/v1/programme-referrals/{id}/partner-contacts")
API_WRITES = (
    ("post", "/api/v1/programme-referrals/{id}/steps/withdraw", {"reason": "DUPLICATE", "version": 1}),
    (
        "post",
        "/api/v1/programme-referrals/{id}/suitability",
        {"suitability": "NOT_SUITABLE", "suitability_reasons": "x", "reason": "DUPLICATE", "version": 1},
    ),
    ("put", "/api/v1/programme-referrals/{id}/availability", {"slots": [], "version": 1}),
    ("post", "/api/v1/programme-referrals/{id}/non-associations", {"crn": "X000001", "reason": "x"}),
    ("post", "/api/v1/programme-referrals/{id}/ldc-overrides", {"score": 1, "reason": "x", "version": 1}),
    (
        "post",
        "/api/v1/programme-referrals/{id}/partner-contacts",
        {"contacted_on": "2026-11-30", "method": "PHONE", "notes": "x"},
    ),
)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TREATMENT_MANAGER])
def test_a_referral_of_a_person_out_of_scope_is_404_on_every_page_and_api_operation(
    make_user: Any, client_for: Any, role: Role
) -> None:
    """The person is in another region (and, for the practitioner, another team). Proved
    able to fail: with ``referrals_visible_to`` returning every referral, the detail
    page answered 200 and this test went red; restored, green."""
    user = make_user(role)
    elsewhere = PersonFactory(team=TeamFactory(pdu__region_id="C"))
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, elsewhere, programme=bbr())
    client = client_for(user)
    for page in PAGES:
        assert client.get(page.format(id=referral.pk)).status_code == 404, page
    for read in API_READS:
        assert client.get(read.format(id=referral.pk)).status_code == 404, read
    for method, url, body in API_WRITES:
        response = getattr(client, method)(url.format(id=referral.pk), body, content_type="application/json")
        assert response.status_code == 404, (url, response.content)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ASSESSMENT and referral.version == 1
    assert not PartnerContact.objects.exists()


def test_a_referral_in_scope_is_read_and_the_read_is_audited(make_user: Any, client_for: Any) -> None:
    practitioner = make_user(Role.PRACTITIONER)
    person = person_of(practitioner)
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person)
    client = client_for(practitioner)
    assert client.get(f"/programme-referrals/{referral.pk}/").status_code == 200
    assert client.get(f"/api/v1/programme-referrals/{referral.pk}").status_code == 200
    reads = AuditEvent.objects.filter(action="VIEW", object_id=person.crn)
    assert [e.changes["read"] for e in reads.order_by("id")] == ["programme referral", "programme referral"]


# --- The waitlist -----------------------------------------------------------------------------


def _coordinator_and_people(make_user: Any) -> tuple[Any, Any, list[Any]]:
    team = TeamFactory()
    coordinator = make_user(Role.PROGRAMME_COORDINATOR, staff=StaffFactory(team=team, pdu=team.pdu))
    practitioner = make_user(Role.PRACTITIONER, staff=StaffFactory(team=team, pdu=team.pdu))
    people = [person_of(practitioner, last_name=f"Waiting{n}") for n in range(3)]
    return coordinator, team.pdu, people


@time_machine.travel(TODAY, tick=False)
def test_the_waitlist_hides_restricted_and_excluded_people_on_the_page_the_csv_and_the_api(
    make_user: Any, client_for: Any
) -> None:
    """Proved able to fail: with ``selectors.waitlist`` reading every referral instead of
    ``referrals_visible_to``, the restricted and excluded people were listed and this
    test went red; restored, green."""
    coordinator, pdu, (seen, restricted, excluded) = _coordinator_and_people(make_user)
    restricted.is_restricted = True
    restricted.save()
    CaseAccessEntry.objects.create(
        person=excluded, user=coordinator, kind=AccessListKind.EXCLUDED, reason="Conflict of interest"
    )
    for person in (seen, restricted, excluded):
        referral_in(ReferralStatus.AWAITING_ASSESSMENT, person, sentenced_on=date(2026, 9, 7))
    client = client_for(coordinator)
    page = client.get(f"/programme-referrals/?pdu={pdu.pk}").content.decode()
    download = client.get(f"/programme-referrals/waitlist.csv?pdu={pdu.pk}").content.decode()
    listed = client.get(f"/api/v1/programme-referrals?pdu={pdu.pk}").json()
    for shown in (page, download):
        assert seen.crn in shown
        assert restricted.crn not in shown and restricted.last_name not in shown
        assert excluded.crn not in shown and excluded.last_name not in shown
    assert [row["crn"] for row in listed["items"]] == [seen.crn]
    CaseAccessEntry.objects.create(
        person=restricted, user=coordinator, kind=AccessListKind.PERMITTED, reason="Lead"
    )
    assert restricted.crn in client.get(f"/programme-referrals/?pdu={pdu.pk}").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_waitlist_lists_least_time_left_first_with_the_flags_and_filters(
    make_user: Any, client_for: Any
) -> None:
    coordinator, pdu, (soon, later, placed) = _coordinator_and_people(make_user)
    long = ProgrammeFactory(name="Long programme", typical_weeks=60)
    short = ProgrammeFactory(name="Short programme", typical_weeks=4)
    # Orders of 12 and 18 months from 7 September 2026: 40 and 66 weeks left on 1 December.
    first = referral_in(ReferralStatus.AWAITING_ALLOCATION, soon, programme=long, months=12)
    second = referral_in(ReferralStatus.AWAITING_ASSESSMENT, later, programme=short, months=18)
    referral_in(ReferralStatus.SCHEDULED, placed, programme=short)
    client = client_for(coordinator)
    listed = client.get(f"/api/v1/programme-referrals?pdu={pdu.pk}").json()["items"]
    assert [r["id"] for r in listed] == [first.pk, second.pk]  # the scheduled one is in a group
    assert (listed[0]["weeks_left"], listed[0]["cannot_finish_in_time"]) == (
        (first.must_finish_by - TODAY) // timedelta(weeks=1),
        True,
    )
    assert (listed[1]["cannot_finish_in_time"], listed[1]["weeks_waiting"]) == (False, 12)
    assert [
        r["id"]
        for r in client.get(f"/api/v1/programme-referrals?pdu={pdu.pk}&programme={short.pk}").json()["items"]
    ] == [second.pk]
    assert len(client.get(f"/api/v1/programme-referrals?pdu={pdu.pk}&status=SCHEDULED").json()["items"]) == 1
    page = client.get(f"/programme-referrals/?pdu={pdu.pk}").content.decode()
    assert page.index(soon.crn) < page.index(later.crn) and "Cannot finish" in page
    download = client.get(f"/programme-referrals/waitlist.csv?pdu={pdu.pk}")
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode().splitlines()
    assert lines[0].startswith("CRN,Name,PNI pathway,Programme,State") and len(lines) == 3
    assert lines[1].startswith(soon.crn) and lines[1].endswith(",Yes")
    reads = AuditEvent.objects.filter(action="VIEW").order_by("id").values_list("changes", flat=True)
    waitlist_reads = [c for c in reads if c["read"].startswith("programme waitlist")]
    assert len(waitlist_reads) == 5 and all(soon.crn in c["crns"] for c in waitlist_reads[:1])


def test_a_pdu_outside_the_users_scope_is_not_a_waitlist_they_can_open(
    make_user: Any, client_for: Any
) -> None:
    facilitator = make_user(Role.FACILITATOR)
    elsewhere = TeamFactory(pdu__region_id="C").pdu
    client = client_for(facilitator)
    assert client.get(f"/api/v1/programme-referrals?pdu={elsewhere.pk}").status_code == 404
    page = client.get(f"/programme-referrals/?pdu={elsewhere.pk}").content.decode()
    assert f'value="{elsewhere.pk}"' not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PROGRAMME_COORDINATOR, 200),
        (Role.TREATMENT_MANAGER, 200),
        (Role.FACILITATOR, 200),
        (Role.PRACTITIONER, 404),
        (Role.PARTNER_LINK_WORKER, 404),
    ],
)
def test_the_programmes_team_and_facilitators_read_the_waitlist(
    make_user: Any, client_for: Any, role: Role, status: int
) -> None:
    client = client_for(make_user(role))
    for url in ("/programme-referrals/", "/programme-referrals/waitlist.csv", "/api/v1/programme-referrals"):
        assert client.get(url).status_code == status, url


# --- Partner Link Work ------------------------------------------------------------------------


def _bbr_referral_and_team(make_user: Any) -> tuple[Any, dict[Role, Any]]:
    team = TeamFactory()
    users = {
        role: make_user(role, staff=StaffFactory(team=team, pdu=team.pdu))
        for role in (
            Role.PRACTITIONER,
            Role.PROGRAMME_COORDINATOR,
            Role.FACILITATOR,
            Role.PARTNER_LINK_WORKER,
            Role.TREATMENT_MANAGER,
        )
    }
    person = person_of(users[Role.PRACTITIONER], sex="MALE")
    return referral_in(ReferralStatus.AWAITING_ALLOCATION, person, programme=bbr()), users


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.PARTNER_LINK_WORKER, True),
        (Role.TREATMENT_MANAGER, True),
        (Role.PRACTITIONER, False),
        (Role.PROGRAMME_COORDINATOR, False),
        (Role.FACILITATOR, False),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_partner_contacts_are_seen_only_by_partner_link_workers_and_treatment_managers(
    make_user: Any, client_for: Any, role: Role, sees: bool
) -> None:
    """Proved able to fail: with the PARTNER_SAFETY check taken out of the referral page
    (``partner_safety = True``) and out of ``selectors.partner_contacts_of``, the
    practitioner, coordinator and facilitator saw the contact's notes and this test went
    red; restored, green. (With only the page's check taken out, the selector's refusal
    still held and the page answered 404: red too.)"""
    referral, users = _bbr_referral_and_team(make_user)
    worker = client_for(users[Role.PARTNER_LINK_WORKER])
    recorded = worker.post(
        f"/programme-referrals/{referral.pk}/partner-contacts/new/",
        {
            "contacted_on": "30/11/2026",
            "method": "PHONE",
            "safety_concern": "on",
            "notes": "Partner reports threats",
        },
    )
    assert recorded.status_code == 302
    client = client_for(users[role])
    detail = client.get(f"/programme-referrals/{referral.pk}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert ("Partner reports threats" in page) is sees
    assert ("Partner Link Work" in page) is sees
    api = client.get(f"/api/v1/programme-referrals/{referral.pk}/partner-contacts")
    assert api.status_code == (200 if sees else 404)
    if sees:
        assert api.json()[0] | {"id": 0} == {
            "id": 0,
            "contacted_on": "2026-11-30",
            "method": "PHONE",
            "safety_concern": True,
            "notes": "Partner reports threats",
        }
    assert (
        "Partner reports threats"
        not in client.get(f"/api/v1/programme-referrals/{referral.pk}").content.decode()
    )
    form = client.get(f"/programme-referrals/{referral.pk}/partner-contacts/new/")
    assert form.status_code == (200 if sees else 404)
    posted = client.post(
        f"/api/v1/programme-referrals/{referral.pk}/partner-contacts",
        {"contacted_on": "2026-11-30", "method": "LETTER", "notes": "Letter sent"},
        content_type="application/json",
    )
    assert posted.status_code == (201 if sees else 404)
    contacts = PartnerContact.objects.filter(referral=referral)
    assert contacts.count() == (2 if sees else 1)
    # The audit trail says a contact was made, never what was said.
    assert not any(
        "threats" in str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True)
    )


def test_partner_link_work_is_kept_only_for_building_better_relationships(
    make_user: Any, client_for: Any
) -> None:
    worker = make_user(Role.PARTNER_LINK_WORKER)
    practitioner = make_user(
        Role.PRACTITIONER, staff=StaffFactory(team=worker.staff.team, pdu=worker.staff.pdu)
    )
    referral = referral_in(
        ReferralStatus.AWAITING_ALLOCATION, person_of(practitioner), programme=ProgrammeFactory()
    )
    client = client_for(worker)
    assert client.get(f"/programme-referrals/{referral.pk}/partner-contacts/new/").status_code == 404
    response = client.post(
        f"/api/v1/programme-referrals/{referral.pk}/partner-contacts",
        {"contacted_on": "2026-11-30", "method": "PHONE", "notes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
