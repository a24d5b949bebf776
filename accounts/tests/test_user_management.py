from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from audit.constants import AuditAction
from audit.models import AuditEvent
from core.roles import Role, ScopeLevel
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-unusual-passphrase"


def test_admin_creates_a_staff_user_with_the_role_default_scope(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    staff = StaffFactory(staff_code="N07A123")
    response = client_for(admin).post(
        "/users/new/",
        {
            "username": "new.po",
            "first_name": "New",
            "last_name": "Officer",
            "roles": Role.PRACTITIONER.value,
            "scope_level": "",
            "staff_code": "n07a123",
            "password": STRONG,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.po")
    assert user.staff == staff and user.scope_level == ScopeLevel.TEAM.value
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.user", actor=admin
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "password123"}, "This password is too short"),
        ({"staff_code": "NOPE"}, "No staff record has that staff code"),
        ({"staff_code": ""}, "Choose the staff record for this user"),
        ({"roles": Role.PROVIDER.value, "staff_code": ""}, "Choose the user&#x27;s organisation"),
    ],
)
def test_bad_user_details_are_named_and_nothing_is_saved(
    make_user: Any, client_for: Any, overrides: dict[str, str], message: str
) -> None:
    StaffFactory(staff_code="N07A124")
    data = {
        "username": "bad",
        "first_name": "B",
        "last_name": "D",
        "roles": Role.PRACTITIONER.value,
        "staff_code": "N07A124",
        "password": STRONG,
    } | overrides
    response = client_for(make_user(Role.ADMINISTRATOR)).post("/users/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="bad").exists()


def test_admin_changes_access_and_cannot_lock_themselves_out(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    other = make_user(Role.PRACTITIONER)
    client = client_for(admin)
    response = client.post(
        f"/users/{other.pk}/",
        {"roles": Role.SENIOR_PROBATION_OFFICER.value, "scope_level": "", "is_active": "", "version": "1"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (
        other.roles == {Role.SENIOR_PROBATION_OFFICER}
        and other.scope_level == ScopeLevel.PDU.value
        and not other.is_active
    )
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.user")
    assert event.changes["is_active"] == [True, False]
    response = client.post(
        f"/users/{admin.pk}/",
        {"roles": Role.ADMINISTRATOR.value, "scope_level": "NONE", "is_active": "", "version": "1"},
    )
    assert response.status_code == 400 and "cannot change your own roles" in response.content.decode()


def test_a_deactivated_user_cannot_sign_in_or_use_the_api(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = client_for(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/api/v1/me").status_code == 401


def test_api_creates_an_external_user(make_user: Any, client_for: Any) -> None:
    organisation = ExternalOrganisationFactory(code="PROVIDER-X")
    client = client_for(make_user(Role.ADMINISTRATOR))
    response = client.post(
        "/api/v1/users",
        {
            "username": "caseworker",
            "first_name": "Case",
            "last_name": "Worker",
            "roles": ["PROVIDER"],
            "organisation_code": "PROVIDER-X",
            "password": STRONG,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (
        response.json()["organisation_code"] == organisation.code and response.json()["scope_level"] == "NONE"
    )
    weak = client.post(
        "/api/v1/users",
        {
            "username": "weak",
            "first_name": "W",
            "last_name": "K",
            "roles": ["PROVIDER"],
            "organisation_code": "PROVIDER-X",
            "password": "short",
        },
        content_type="application/json",
    )
    assert weak.status_code == 422 and weak["Content-Type"] == "application/problem+json"
