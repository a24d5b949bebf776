"""Suppliers do not learn which rivals were invited to an open competition: only the
people who manage it (the lead commissioner and commercial staff) see the list."""

from __future__ import annotations

from typing import Any

import pytest

from commissioning.competitions import services as comp
from commissioning.tests.test_competitions import draft, people  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_an_invited_supplier_sees_the_competition_but_not_who_else_was_invited(
    people: dict[str, Any],  # noqa: F811
    client_for: Any,
    make_user: Any,
) -> None:
    """Proved able to fail: making ``invitations_visible_to`` return every invitation
    shows "Two" to supplier "One" and turns this red."""
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    competition = comp.publish(
        acting_user=people["lead"],
        competition_id=draft(people).pk,
        expected_version=1,
    )
    supplier = client_for(people["one"])
    api = supplier.get(f"/api/v1/commissioning/competitions/{competition.pk}")
    assert api.status_code == 200 and api.json()["invited"] == []
    listed = supplier.get("/api/v1/commissioning/competitions").json()
    assert [c["invited"] for c in listed if c["id"] == competition.pk] == [[]]
    page = supplier.get(f"/framework/competitions/{competition.pk}/").content.decode()
    assert "Invited suppliers" not in page and "Two" not in page
    # The lead sees who was invited, on the page and through the API.
    lead = client_for(people["lead"])
    assert sorted(lead.get(f"/api/v1/commissioning/competitions/{competition.pk}").json()["invited"]) == [
        "One",
        "Two",
    ]
    assert "Invited suppliers (2)" in lead.get(f"/framework/competitions/{competition.pk}/").content.decode()
