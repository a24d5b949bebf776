from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.roles import Role
from people import services
from people.models import Address
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_move_keeps_the_previous_address(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team)
    services.change_address(
        acting_user=user,
        person=person,
        line_1="1 High St",
        town="Nottingham",
        postcode="ng1 1aa",
        moved_on=date(2025, 1, 1),
        expected_version=person.version,
    )
    move = {"line_1": "2 Low Rd", "town": "Derby", "postcode": "DE1 2EQ", "moved_on": "2026-03-01"}
    response = client_for(user).post(
        f"/api/v1/people/{person.crn}/addresses", move | {"version": 2}, content_type="application/json"
    )
    assert response.status_code == 201
    stale = client_for(user).post(
        f"/api/v1/people/{person.crn}/addresses",
        move | {"moved_on": "2026-04-01", "version": 2},
        content_type="application/json",
    )
    assert stale.status_code == 409  # a second move entered from the same, now old, copy is refused
    history = list(Address.objects.filter(person=person).order_by("start_date"))
    assert history[0].end_date == date(2026, 2, 28) and not history[0].is_main and history[1].is_main
    with pytest.raises(ValidationError):
        services.change_address(
            acting_user=user,
            person=person,
            line_1="x",
            town="y",
            postcode="NOT VALID",
            moved_on=date(2026, 5, 1),
            expected_version=3,
        )
    page = client_for(user).get(f"/cases/{person.crn}/").content.decode()
    assert "2 Low Rd" in page and "Previously 1 High St" in page


def test_aliases_are_searchable_only_by_staff_in_scope(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team)
    client = client_for(user)
    assert (
        client.post(
            f"/cases/{person.crn}/aliases/new/", {"first_name": "Jay", "last_name": "Smyth"}
        ).status_code
        == 302
    )
    assert client.get(f"/api/v1/people/{person.crn}/aliases").json()[0]["last_name"] == "Smyth"
    found = client.get("/api/v1/people?q=Smyth").json()
    assert [p["crn"] for p in found["items"]] == [person.crn]
    other = make_user(Role.PRACTITIONER)
    assert client_for(other).get(f"/api/v1/people/{person.crn}/aliases").status_code == 404
