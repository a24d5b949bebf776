"""The competition lifecycle table: its states are the model's, every state is reachable
from a draft, every step has a page and every page a step, and each service refuses its
step from every state the table does not list as a source.

Proved able to fail: with the ``COMPETITION.guard`` call removed from ``services.score``
all six of its refusal cases went red (a mark was saved on a draft, published, awarded
or closed competition); restored, green."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from commissioning.competitions import services as comp
from commissioning.competitions.lifecycle import COMPETITION
from commissioning.competitions.views import MOVES_THE_COMPETITION, STEPS
from commissioning.constants import CompetitionStatus, Criterion
from commissioning.models import Bid, Clarification, Competition, Supplier
from commissioning.tests.test_competitions import draft, people  # noqa: F401  (the fixture)
from core.exceptions import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_the_table_names_the_models_states_and_reaches_every_one() -> None:
    assert set(COMPETITION.states) == set(CompetitionStatus.values)
    assert COMPETITION.reachable() == set(CompetitionStatus.values)


def test_every_step_has_a_page_and_steps_that_move_it_name_the_version() -> None:
    assert set(STEPS) == set(COMPETITION.by_name)
    assert {"publish", "open-bids", "award", "contract", "rerun", "direct-award"} == MOVES_THE_COMPETITION


def _call(
    name: str, p: dict[str, Any], c: Competition, bid: Bid, question: Clarification
) -> Callable[[], Any]:
    lead, version = p["lead"], c.version
    return {
        "publish": lambda: comp.publish(acting_user=lead, competition_id=c.pk, expected_version=version),
        "ask": lambda: comp.ask(acting_user=p["one"], competition_id=c.pk, question="When?"),
        "answer": lambda: comp.answer(acting_user=lead, clarification_id=question.pk, text="Soon"),
        "bid": lambda: comp.submit_bid(
            acting_user=p["one"],
            competition_id=c.pk,
            price=Decimal(1000),
            quality_response="q",
            social_value_response="s",
        ),
        "open-bids": lambda: comp.open_bids(acting_user=lead, competition_id=c.pk, expected_version=version),
        "score": lambda: comp.score(
            acting_user=p["evaluators"][0], bid_id=bid.pk, criterion=Criterion.QUALITY, mark=50, comment="ok"
        ),
        "moderate": lambda: comp.moderate(
            acting_user=lead, bid_id=bid.pk, criterion=Criterion.QUALITY, mark=50, rationale="ok"
        ),
        "award": lambda: comp.decide_award(acting_user=lead, competition_id=c.pk, expected_version=version),
        "contract": lambda: comp.make_contract(
            acting_user=lead, competition_id=c.pk, expected_version=version
        ),
        "rerun": lambda: comp.rerun(
            acting_user=lead,
            competition_id=c.pk,
            expected_version=version,
            reason="none",
            bid_deadline=c.bid_deadline,
            clarification_deadline=c.clarification_deadline,
        ),
        "direct-award": lambda: comp.direct_award(
            acting_user=lead,
            competition_id=c.pk,
            expected_version=version,
            supplier_id=bid.supplier_id,
            value=Decimal(1000),
            reason="none",
        ),
    }[name]


def _signed_draft(p: dict[str, Any]) -> Competition:
    comp.sign_user_agreement(acting_user=p["lead"])
    comp.sign_user_agreement(acting_user=p["rpd"])
    return draft(p)


REFUSALS = [
    (t.name, state)
    for t in COMPETITION.transitions
    for state in CompetitionStatus.values
    if state not in t.sources
]


@pytest.mark.parametrize(("step", "state"), REFUSALS)
def test_each_service_refuses_its_step_from_a_state_outside_its_sources(
    people: dict[str, Any],  # noqa: F811
    step: str,
    state: str,
) -> None:
    competition = _signed_draft(people)
    supplier = Supplier.objects.get(code="ONE")
    bid = Bid.objects.create(
        competition=competition,
        supplier=supplier,
        price=Decimal(1000),
        quality_response="q",
        social_value_response="s",
        submitted_at=timezone.now(),
        submitted_by=people["one"],
    )
    question = Clarification.objects.create(
        competition=competition, asked_by=supplier, question="When?", asked_at=timezone.now()
    )
    Competition.objects.filter(pk=competition.pk).update(status=state)
    competition.refresh_from_db()
    label = COMPETITION.label_of(state).lower()
    with pytest.raises(TransitionNotAllowed, match=f"while the competition is {label}"):
        _call(step, people, competition, bid, question)()


def test_the_detail_lists_the_next_steps_each_user_may_take(
    people: dict[str, Any],  # noqa: F811
    client: Any,
) -> None:
    competition = _signed_draft(people)
    client.force_login(people["lead"])
    answer = client.get(f"/api/v1/commissioning/competitions/{competition.pk}")
    assert answer.status_code == 200, answer.content
    assert answer.json()["next_steps"] == ["publish"]
    comp.publish(
        acting_user=people["lead"], competition_id=competition.pk, expected_version=competition.version
    )
    client.force_login(people["one"])
    assert client.get(f"/api/v1/commissioning/competitions/{competition.pk}").json()["next_steps"] == [
        "ask",
        "bid",
    ]
