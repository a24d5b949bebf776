"""A user may hold several roles (issue 10, point 11): capabilities are the union of the
roles', scope stays one level, and staff roles never mix with external ones.

Proved able to fail: making ``User.has_capability`` check only the first of the user's
roles (``in_table_order(self.roles)[:1]``) turned ``test_a_second_role_opens_its_pages``
red (the practitioner in the Unpaid Work team got 404 on the projects page), and checking
only the last turned it red at MANAGE_CASES; making it
grant ``VIEW_CASES`` to a user with no roles turned ``test_no_role_opens_nothing`` red;
dropping the ``role_set_problem`` check from ``User.check_roles`` turned
``test_the_service_refuses_a_staff_and_external_mix`` red. Each restored, green.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import User, UserRole
from audit.constants import AuditAction
from audit.models import AuditEvent
from core.roles import Capability, Role, ScopeLevel
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-unusual-passphrase"
PROJECTS = "/unpaid-work/projects/"  # needs MANAGE_UNPAID_WORK: Unpaid Work's role only


def test_a_second_role_opens_its_pages(make_user: Any, client_for: Any) -> None:
    """The boundary both ways: MANAGE_UNPAID_WORK only from Unpaid Work, MANAGE_CASES only
    from the practitioner role (whichever comes first in the table)."""
    practitioner, unpaid_work = make_user(Role.PRACTITIONER), make_user(Role.UNPAID_WORK)
    both = make_user(roles=[Role.PRACTITIONER, Role.UNPAID_WORK])
    assert not practitioner.has_capability(Capability.MANAGE_UNPAID_WORK)
    assert not unpaid_work.has_capability(Capability.MANAGE_CASES)
    assert both.has_capability(Capability.MANAGE_UNPAID_WORK)
    assert both.has_capability(Capability.MANAGE_CASES)
    assert client_for(practitioner).get(PROJECTS).status_code == 404
    assert client_for(both).get(PROJECTS).status_code == 200


def test_no_role_opens_nothing(make_user: Any, client_for: Any) -> None:
    nobody = make_user(roles=[], staff=StaffFactory())
    assert nobody.roles == frozenset()
    assert not any(nobody.has_capability(c) for c in Capability)
    client = client_for(nobody)
    assert client.get("/cases/").status_code == 404
    assert client.get(PROJECTS).status_code == 404
    me = client.get("/api/v1/me").json()
    assert me["roles"] == [] and me["capabilities"] == []
    home = client.get("/").content.decode()
    assert "You hold no role yet" in home


def test_a_deactivated_user_with_several_roles_can_do_nothing(make_user: Any) -> None:
    user = make_user(roles=[Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER])
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    assert not any(user.has_capability(c) for c in Capability)


def test_the_service_refuses_a_staff_and_external_mix(make_user: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="not both"):
        services.create_user(
            acting_user=admin,
            username="mixed",
            password=STRONG,
            roles=[Role.PRACTITIONER, Role.PROVIDER],
            staff=StaffFactory(),
            organisation=ExternalOrganisationFactory(),
        )
    assert not User.objects.filter(username="mixed").exists()
    provider = make_user(Role.PROVIDER)
    with pytest.raises(ValidationError, match="not both"):
        services.change_user_access(
            acting_user=admin,
            user_id=provider.pk,
            roles=[Role.PROVIDER, Role.PRACTITIONER],
            scope_level=ScopeLevel.NONE.value,
            is_active=True,
            expected_version=provider.version,
        )
    assert set(UserRole.objects.filter(user=provider).values_list("role", flat=True)) == {Role.PROVIDER}


def test_a_staff_role_needs_a_staff_record_even_alongside_another(make_user: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="staff record"):
        services.create_user(
            acting_user=admin,
            username="nostaff",
            password=STRONG,
            roles=[Role.TREATMENT_MANAGER, Role.FACILITATOR],
        )


def _new_user(**overrides: Any) -> dict[str, Any]:
    return {
        "username": "sam.tm",
        "first_name": "Sam",
        "last_name": "Okafor",
        "roles": [Role.SENIOR_PROBATION_OFFICER.value, Role.TREATMENT_MANAGER.value],
        "scope_level": "",
        "staff_code": "N07S001",
        "password": STRONG,
    } | overrides


def test_the_pages_round_trip_several_roles(make_user: Any, client_for: Any) -> None:
    StaffFactory(staff_code="N07S001")
    client = client_for(make_user(Role.ADMINISTRATOR))
    form = client.get("/users/new/").content.decode()
    assert 'class="govuk-checkboxes__input"' in form and 'value="TREATMENT_MANAGER"' in form
    assert client.post("/users/new/", _new_user()).status_code == 302
    user = User.objects.get(username="sam.tm")
    assert user.roles == {Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER}
    assert user.scope_level == ScopeLevel.REGION.value  # the widest default of the two
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="accounts.user")
    assert created.changes["roles"] == [None, ["SENIOR_PROBATION_OFFICER", "TREATMENT_MANAGER"]]

    detail = client.get(f"/users/{user.pk}/").content.decode()
    for value in ("SENIOR_PROBATION_OFFICER", "TREATMENT_MANAGER"):
        assert f'value="{value}" checked' in detail
    assert 'value="PRACTITIONER" checked' not in detail

    changed = client.post(
        f"/users/{user.pk}/",
        {"roles": [Role.TREATMENT_MANAGER.value], "scope_level": "PDU", "is_active": "on", "version": "1"},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.roles == {Role.TREATMENT_MANAGER} and user.scope_level == ScopeLevel.PDU.value
    updated = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.user")
    assert updated.changes["roles"] == [
        ["SENIOR_PROBATION_OFFICER", "TREATMENT_MANAGER"],
        ["TREATMENT_MANAGER"],
    ]
    assert (
        '<td class="govuk-table__cell">Treatment manager</td>'
        in client.get("/users/?q=sam.tm").content.decode()
    )


def test_an_administrators_chosen_scope_wins_over_the_default(make_user: Any, client_for: Any) -> None:
    StaffFactory(staff_code="N07S001")
    client = client_for(make_user(Role.ADMINISTRATOR))
    assert client.post("/users/new/", _new_user(scope_level="TEAM")).status_code == 302
    assert User.objects.get(username="sam.tm").scope_level == ScopeLevel.TEAM.value


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([], "Choose at least one role"),
        ([Role.PRACTITIONER.value, Role.PROVIDER.value], "not both"),
    ],
)
def test_the_page_names_a_bad_set_of_roles_in_the_error_summary(
    make_user: Any, client_for: Any, roles: list[str], message: str
) -> None:
    StaffFactory(staff_code="N07S001")
    response = client_for(make_user(Role.ADMINISTRATOR)).post("/users/new/", _new_user(roles=roles))
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("</h1>")]
    assert message in summary and 'href="#id_roles"' in summary
    assert not User.objects.filter(username="sam.tm").exists()


def test_the_api_round_trips_several_roles(make_user: Any, client_for: Any) -> None:
    StaffFactory(staff_code="N07S001")
    client = client_for(make_user(Role.ADMINISTRATOR))
    created = client.post(
        "/api/v1/users",
        {
            "username": "sam.tm",
            "first_name": "Sam",
            "last_name": "Okafor",
            "roles": ["TREATMENT_MANAGER", "SENIOR_PROBATION_OFFICER"],
            "staff_code": "N07S001",
            "password": STRONG,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["roles"] == ["SENIOR_PROBATION_OFFICER", "TREATMENT_MANAGER"]  # the table's order
    assert body["scope_level"] == "REGION"
    assert client.get(f"/api/v1/users/{body['id']}").json()["roles"] == body["roles"]
    listed = client.get("/api/v1/users?role=TREATMENT_MANAGER").json()
    assert [u["username"] for u in listed["items"]] == ["sam.tm"]

    changed = client.put(
        f"/api/v1/users/{body['id']}/access",
        {
            "roles": ["SENIOR_PROBATION_OFFICER"],
            "scope_level": "PDU",
            "is_active": True,
            "version": body["version"],
        },
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["roles"] == ["SENIOR_PROBATION_OFFICER"]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.user")
    assert event.changes["roles"] == [
        ["SENIOR_PROBATION_OFFICER", "TREATMENT_MANAGER"],
        ["SENIOR_PROBATION_OFFICER"],
    ]

    for roles in ([], ["PRACTITIONER", "PROVIDER"], ["PROGRAMMES"]):
        refused = client.put(
            f"/api/v1/users/{body['id']}/access",
            {"roles": roles, "scope_level": "PDU", "is_active": True, "version": changed.json()["version"]},
            content_type="application/json",
        )
        assert refused.status_code in {400, 422}, (roles, refused.content)
        assert refused["Content-Type"] == "application/problem+json"
    assert User.objects.get(pk=body["id"]).roles == {Role.SENIOR_PROBATION_OFFICER}


def test_me_shows_every_role_and_the_union_of_capabilities(make_user: Any, client_for: Any) -> None:
    user = make_user(roles=[Role.FACILITATOR, Role.UNPAID_WORK])
    me = client_for(user).get("/api/v1/me").json()
    assert me["roles"] == ["UNPAID_WORK", "FACILITATOR"]
    assert me["role_labels"] == ["Unpaid Work team member", "Programme facilitator"]
    assert "MANAGE_UNPAID_WORK" in me["capabilities"] and "VIEW_CASES" in me["capabilities"]


def test_the_role_filter_lists_a_user_with_several_roles_once(make_user: Any, client_for: Any) -> None:
    both = make_user(roles=[Role.COMMERCIAL, Role.REGIONAL_DIRECTOR], username="two.jobs")
    client = client_for(make_user(Role.ADMINISTRATOR))
    for role in (Role.COMMERCIAL, Role.REGIONAL_DIRECTOR):
        page = client.get(f"/users/?role={role.value}").content.decode()
        assert page.count(">two.jobs<") == 1
    assert "Commercial and contract management, Regional Probation Director" in page
    assert both.roles_display == "Commercial and contract management, Regional Probation Director"
