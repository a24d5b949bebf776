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


def _header(body: str) -> str:
    return body[body.index("moj-primary-navigation") : body.index('id="main-content"')]


@pytest.mark.django_db
def test_two_roles_show_both_sets_of_work_and_the_union_in_navigation(
    make_user: Any, client_for: Any
) -> None:
    """A practitioner who also works in Unpaid Work: both jobs on the home page, each with its
    own links, and the header navigation opens what either role opens (each role alone
    lacks one of "Referrals" and "Unpaid Work").

    Proved able to fail: building the header from the first role's capabilities only
    (``capabilities_for_roles(in_table_order(user.roles)[:1])`` in ``nav_items_for``) dropped
    "Unpaid Work" and turned it red; restored, green."""
    user = make_user(roles=[Role.UNPAID_WORK, Role.PRACTITIONER])
    body = client_for(user).get("/").content.decode()
    assert "Probation practitioner, Unpaid Work team member" in body
    for role in (Role.PRACTITIONER, Role.UNPAID_WORK):
        assert f'data-testid="work-{role.value}"' in body
    for item in ("Cases", "Referrals", "Services", "Unpaid Work", "Enforcement", "Organisation"):
        assert f">{item}<" in _header(body)
    practitioner = _header(client_for(make_user(Role.PRACTITIONER)).get("/").content.decode())
    unpaid_work = client_for(make_user(Role.UNPAID_WORK)).get("/").content.decode()
    assert ">Unpaid Work<" not in practitioner and ">Referrals<" not in _header(unpaid_work)
    assert "Your work" not in unpaid_work  # one role: the usual single list


@pytest.mark.django_db
def test_an_spo_who_is_also_a_treatment_manager_sees_cases_awaiting_allocation(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(roles=[Role.TREATMENT_MANAGER, Role.SENIOR_PROBATION_OFFICER])
    body = client_for(user).get("/").content.decode()
    assert "Awaiting allocation" in body and ">Allocations<" in body
