"""Separation of duties: an administrator cannot raise (or otherwise change) their own
access; another administrator must."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import User
from core.roles import Role, ScopeLevel

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_widen_their_own_scope(make_user: Any) -> None:
    """Proved able to fail: dropping ``scope_level`` from the ``before``/``after`` sets the
    guard in ``change_user_access`` compares lets the call through and turns this red."""
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="your own roles or scope"):
        services.change_user_access(
            acting_user=admin,
            user_id=admin.pk,
            roles=admin.roles,
            scope_level=ScopeLevel.NATIONAL.value,
            is_active=True,
            expected_version=User.objects.get(pk=admin.pk).version,
        )
    assert User.objects.get(pk=admin.pk).scope_level == ScopeLevel.NONE.value


def test_an_administrator_may_resubmit_their_own_unchanged_access(make_user: Any) -> None:
    """The boundary: saving one's own access unchanged is not a change, so it is allowed."""
    admin = make_user(Role.ADMINISTRATOR)
    services.change_user_access(
        acting_user=admin,
        user_id=admin.pk,
        roles=admin.roles,
        scope_level=admin.scope_level,
        is_active=True,
        expected_version=User.objects.get(pk=admin.pk).version,
    )


def test_another_administrator_may_change_it(make_user: Any) -> None:
    admin, colleague = make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)
    services.change_user_access(
        acting_user=colleague,
        user_id=admin.pk,
        roles=admin.roles,
        scope_level=ScopeLevel.NATIONAL.value,
        is_active=True,
        expected_version=User.objects.get(pk=admin.pk).version,
    )
    assert User.objects.get(pk=admin.pk).scope_level == ScopeLevel.NATIONAL.value


def test_the_api_and_the_page_refuse_it_too(make_user: Any, client_for: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    client = client_for(admin)
    response = client.put(
        f"/api/v1/users/{admin.pk}/access",
        {"roles": [Role.ADMINISTRATOR.value], "scope_level": "NATIONAL", "is_active": True, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    page = client.post(
        f"/users/{admin.pk}/",
        {"roles": Role.ADMINISTRATOR.value, "scope_level": "NATIONAL", "is_active": "on", "version": "1"},
    )
    assert page.status_code == 400 and "own roles or scope" in page.content.decode()
    assert User.objects.get(pk=admin.pk).scope_level == ScopeLevel.NONE.value


def test_an_administrator_cannot_give_themselves_another_role(make_user: Any) -> None:
    """Adding a role is raising one's access as surely as widening scope.

    Proved able to fail: comparing only ``scope_level`` and ``is_active`` in the guard (leaving
    ``roles`` out of ``before``/``after``) let the administrator add a role; red, restored, green."""
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="your own roles or scope"):
        services.change_user_access(
            acting_user=admin,
            user_id=admin.pk,
            roles=[Role.ADMINISTRATOR, Role.NATIONAL_ANALYST],
            scope_level=admin.scope_level,
            is_active=True,
            expected_version=User.objects.get(pk=admin.pk).version,
        )
    assert User.objects.get(pk=admin.pk).roles == {Role.ADMINISTRATOR}
