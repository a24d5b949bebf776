from typing import Any

import pytest
from django.test import Client

from core.roles import Role

pytestmark = pytest.mark.django_db

BASE: dict[str, Any] = {
    "as_of": "2026-11-22",
    "has_active_event": True,
    "sex": "MALE",
    "rosh": "HIGH",
    "mappa": None,
    "predictors": {
        "arp": {"score": 80, "type": "DYNAMIC"},
        "csrp": {"score": 3.5, "type": "DYNAMIC"},
        "dc_srp": None,
        "rsr": 4.2,
        "ogrs3": 66,
    },
    "registrations": ["DOMESTIC_ABUSE"],
    "latest_release_date": None,
    "ever_sexual_offence": False,
    "needs": {"ACCOMMODATION": "STANDARD", "THINKING_AND_BEHAVIOUR": "SEVERE", "ATTITUDES": "SEVERE"},
    "women": None,
    "breach_or_recall_within_year": False,
    "mandate_for_change": True,
}


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/calculations/tier", body, content_type="application/json")


def test_the_calculation_contract(make_user: Any, client_for: Any) -> None:
    response = _post(client_for(make_user(Role.PRACTITIONER)), BASE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "tier",
        "provisional",
        "legacy_tier",
        "protect_level",
        "protect_points",
        "change_level",
        "change_points",
        "reasons",
    }
    assert body["tier"] == "B"  # CSRP 3.0+ row, ARP 75+ column
    assert body["provisional"] is False
    # Protect: RoSH high 20 + RSR 10 - min(10, 20) = 20 -> B. Change: 1 + 4 + 4 + floor(66/10) = 15 -> 2.
    assert body["legacy_tier"] == "B2" and body["protect_points"] == 20 and body["change_points"] == 15
    assert body["reasons"]


def test_no_assessment_and_not_supervised(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.PRACTITIONER))
    body = _post(client, BASE | {"needs": None}).json()
    assert body["change_level"] == 2
    assert _post(client, BASE | {"has_active_event": False}).json()["tier"] == "NOT_SUPERVISED"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sex": "UNKNOWN"}, "sex"),
        ({"mappa": {"category": 5, "level": 1}}, "mappa.category"),
        (
            {"predictors": BASE["predictors"] | {"arp": {"score": 101, "type": "STATIC"}}},
            "predictors.arp.score",
        ),
        (
            {"predictors": BASE["predictors"] | {"dc_srp": {"score": 0.5, "band": "MEDIUM"}}},
            "predictors.dc_srp.score",
        ),
        ({"registrations": ["NOT_A_CODE"]}, "registrations.0"),
        ({"as_of": "22/11/2026"}, "as_of"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_input_is_a_422_problem_naming_the_field(
    make_user: Any, client_for: Any, change: dict[str, Any], field: str
) -> None:
    response = _post(client_for(make_user(Role.PRACTITIONER)), BASE | change)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


def test_the_calculator_needs_sign_in() -> None:

    assert _post(Client(), BASE).status_code == 401
