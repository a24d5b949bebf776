"""The portal's own pages: the health check, the GOV.UK 404 page and each role's home."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.roles import Role


@pytest.mark.django_db
def test_healthz_checks_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_missing_pages_use_the_govuk_404(make_user: Any, client_for: Any) -> None:
    response = client_for(make_user()).get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_each_role_has_a_home_page_with_its_own_navigation(make_user: Any, client_for: Any) -> None:
    expected = {
        Role.PRACTITIONER: ("Cases", "Audit trail"),
        Role.ADMINISTRATOR: ("Audit trail", "Cases"),
        Role.PROVIDER: (None, "Cases"),
    }
    for role, (present, absent) in expected.items():
        body = client_for(make_user(role)).get("/").content.decode()
        assert role.label in body
        if present:
            assert f">{present}<" in body
        assert f">{absent}<" not in body
