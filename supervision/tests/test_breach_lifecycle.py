"""The breach lifecycle table: its states are the model's, every state is reachable from
a request, and ``advance_breach`` refuses each move from every state the table does not
list as its source, naming the state.

Proved able to fail: with the ``BREACH.guard`` call removed from
``services.advance_breach`` all 15 refusal cases went red (a concluded breach was
withdrawn, a requested one concluded...); restored, green."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import BreachStatus, CourtOutcome
from supervision.lifecycle import BREACH, STEP_TO
from supervision.models import Breach

pytestmark = pytest.mark.django_db


def test_the_table_names_the_models_states_and_reaches_every_one() -> None:
    assert set(BREACH.states) == set(BreachStatus.values)
    assert BREACH.reachable() == set(BreachStatus.values)
    assert set(STEP_TO) == set(BreachStatus.values) - {BreachStatus.REQUESTED}


@pytest.fixture
def breach(make_user: Any) -> tuple[Any, Breach]:
    practitioner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=practitioner.staff.team, practitioner=practitioner.staff)
    event = community_order(person, sentenced_on=date(2025, 6, 2))
    found = Breach.objects.create(
        person=person, event=event, aware_on=date(2026, 1, 5), requested_on=date(2026, 1, 6), reason="x"
    )
    return practitioner, found


REFUSALS = [(t.name, s) for t in BREACH.transitions for s in BreachStatus.values if s not in t.sources]


@pytest.mark.parametrize(("step", "state"), REFUSALS)
def test_advance_breach_refuses_a_move_from_a_state_outside_its_sources(
    breach: tuple[Any, Breach], step: str, state: str
) -> None:
    user, found = breach
    Breach.objects.filter(pk=found.pk).update(status=state)
    with pytest.raises(TransitionNotAllowed, match=f"while the breach is {BREACH.label_of(state).lower()}"):
        services.advance_breach(
            acting_user=user,
            breach_id=found.pk,
            to=BreachStatus(BREACH[step].target),
            on=date(2026, 1, 7),
            expected_version=found.version,
            court_outcome=CourtOutcome.CONTINUED,
            withdrawn_reason="Sentence ended",
        )


def test_the_api_lists_the_next_steps(breach: tuple[Any, Breach], client: Any) -> None:
    user, found = breach
    client.force_login(user)
    listed = client.get(f"/api/v1/people/{found.person.crn}/breaches").json()
    assert listed[0]["next_steps"] == ["lay-information", "withdraw"]
