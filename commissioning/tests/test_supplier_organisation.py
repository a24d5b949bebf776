"""Linking a supplier to the provider organisation its staff sign in through."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from commissioning.models import Supplier
from core.roles import Role
from organisation.tests.factories import ExternalOrganisationFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_commercial_staff_link_a_supplier_to_its_organisation(make_user: Any, client_for: Any) -> None:
    supplier = Supplier.objects.create(code="LEGACY", name="Legacy Ltd")
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    client = client_for(make_user(Role.COMMERCIAL))
    url = f"/api/v1/commissioning/suppliers/{supplier.pk}/organisation"
    response = client.put(url, {"organisation_id": organisation.pk, "version": 1}, content_type=JSON)
    assert response.status_code == 200 and response.json()["organisation_id"] == organisation.pk
    assert Supplier.objects.get(pk=supplier.pk).organisation_id == organisation.pk
    assert AuditEvent.objects.filter(object_type="commissioning.supplier", action="UPDATE").count() == 1
    listed = client_for(make_user(Role.PRACTITIONER)).get("/api/v1/commissioning/suppliers").json()
    assert any(s["code"] == "LEGACY" and s["organisation_id"] == organisation.pk for s in listed)


def test_an_organisation_serves_one_supplier_and_must_be_a_provider(make_user: Any, client_for: Any) -> None:
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    Supplier.objects.create(code="FIRST", name="First", organisation=organisation)
    second = Supplier.objects.create(code="SECOND", name="Second")
    client = client_for(make_user(Role.COMMERCIAL))
    url = f"/api/v1/commissioning/suppliers/{second.pk}/organisation"
    taken = client.put(url, {"organisation_id": organisation.pk, "version": 1}, content_type=JSON)
    assert taken.status_code == 422 and "already belongs to First" in taken.json()["detail"]
    pcc = ExternalOrganisationFactory(kind="PCC")
    assert client.put(url, {"organisation_id": pcc.pk, "version": 1}, content_type=JSON).status_code == 404
    provider = client_for(make_user(Role.PROVIDER))
    other = ExternalOrganisationFactory(kind="PROVIDER")
    assert (
        provider.put(url, {"organisation_id": other.pk, "version": 1}, content_type=JSON).status_code == 404
    )
    assert Supplier.objects.get(pk=second.pk).organisation_id is None


def test_the_suppliers_page_links_an_organisation(make_user: Any, client_for: Any) -> None:
    supplier = Supplier.objects.create(code="LEGACY", name="Legacy Ltd")
    organisation = ExternalOrganisationFactory(kind="PROVIDER", name="Legacy Org")
    client = client_for(make_user(Role.COMMERCIAL))
    assert "Link Legacy Ltd" in client.get("/framework/suppliers/").content.decode()
    url = f"/framework/suppliers/{supplier.pk}/organisation/"
    response = client.post(url, {"organisation": organisation.pk, "version": "1"})
    assert response.status_code == 302
    assert Supplier.objects.get(pk=supplier.pk).organisation_id == organisation.pk
    assert "Link Legacy Ltd" not in client.get("/framework/suppliers/").content.decode()
    other = Supplier.objects.create(code="OTHER", name="Other")
    taken = client.post(
        f"/framework/suppliers/{other.pk}/organisation/", {"organisation": organisation.pk, "version": "1"}
    )
    assert taken.status_code == 400  # already serving Legacy Ltd: not a valid choice
