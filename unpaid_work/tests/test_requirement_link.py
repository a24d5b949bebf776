"""The sentence panel links an Unpaid Work requirement to its order by the requirement's
id (``sentences`` sits below ``unpaid_work`` and may not read its tables), and the link
resolves through the user's scope like every other read. Proved able to fail: with the
selector reading every order instead of the scoped ones, the outsider got a redirect."""

from __future__ import annotations

from typing import Any

import pytest

from core.tests.world import build_world
from unpaid_work.models import UnpaidWorkOrder


@pytest.mark.django_db
def test_a_requirement_leads_to_its_order_for_a_user_who_may_see_it_and_404_otherwise(
    client_for: Any,
) -> None:
    world = build_world()
    order = UnpaidWorkOrder.objects.get(person=world.people[0])  # team A's case
    url = f"/unpaid-work/requirements/{order.requirement_id}/order/"
    viewer = world.users["NATIONAL_CASE_VIEWER"]
    response = client_for(viewer).get(url)
    assert response.status_code == 302 and response["Location"] == f"/unpaid-work/orders/{order.pk}/"
    outsider = world.users["TEAM_B_PRACTITIONER"]  # same PDU, another team: cannot see it
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get("/unpaid-work/requirements/99999/order/").status_code == 404
