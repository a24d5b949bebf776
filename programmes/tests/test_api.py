"""The PNI calculator's contract: the answer's shape, and a 422 problem naming the field for
every kind of invalid input (a missing key, an unknown key, a value outside its range or list)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from core.roles import Role

pytestmark = pytest.mark.django_db

URL = "/api/v1/calculations/pni"
BASE: dict[str, Any] = {
    "sex": "MALE",
    "risk": {
        "ogrs3": 80,
        "ovp": 20.5,
        "osp_dc": None,
        "osp_iic": "NOT_APPLICABLE",
        "rsr": 2.5,
        "sara_partner": None,
        "sara_others": "LOW",
    },
    "needs": {
        "sex": None,
        "thinking": {"pro_criminal_attitudes": 2, "hostile_orientation": 0},
        "relationships": {
            "current_relationship_close_family": 2,
            "previous_close_relationships": 2,
            "easily_influenced": 1,
            "aggressive_controlling_behaviour": 0,
        },
        "self_management": {
            "impulsivity": 2,
            "temper_control": 2,
            "problem_solving": 1,
            "difficulties_coping": 1,
        },
    },
}


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


def _changed(path: str, value: Any = ..., delete: bool = False) -> dict[str, Any]:
    """BASE with the value at a dotted path replaced (or the key removed)."""
    body = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[key]
    if delete:
        del target[last]
    else:
        target[last] = value
    return body


def test_the_calculation_contract(make_user: Any, client_for: Any) -> None:
    response = _post(client_for(make_user(Role.PRACTITIONER)), BASE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "risk_level": "HIGH",  # OGRS3 80
        "need_level": "HIGH",  # sex 0 (not assessed, no OSP band) + thinking 2 + relationships 2 + self 2
        "need_score": 6,
        "domain_scores": {"sex": 0, "thinking": 2, "relationships": 2, "self_management": 2},
        "pathway": "HIGH_INTENSITY",
        "reasons": body["reasons"],
    }
    assert body["reasons"][0] == "Risk is high: OGRS3 80% is high."
    assert "Sex domain scores 0: not assessed, and no OSP band calls for it." in body["reasons"]


def test_missing_data_answers_missing_information(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.PROGRAMME_COORDINATOR))
    no_needs = _post(client, _changed("needs", None)).json()
    assert no_needs["need_level"] == "MISSING" and no_needs["need_score"] is None
    assert no_needs["domain_scores"] is None and no_needs["pathway"] == "MISSING_INFORMATION"
    gap = _post(client, _changed("needs.thinking.hostile_orientation", None)).json()
    assert gap["domain_scores"] == {"sex": 0, "thinking": None, "relationships": 2, "self_management": 2}
    assert gap["need_score"] is None and gap["pathway"] == "MISSING_INFORMATION"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # a missing key: every key is required, null or not
        (_changed("sex", delete=True), "sex"),
        (_changed("needs", delete=True), "needs"),
        (_changed("risk.ogrs3", delete=True), "risk.ogrs3"),
        (_changed("risk.sara_others", delete=True), "risk.sara_others"),
        (_changed("needs.thinking.hostile_orientation", delete=True), "needs.thinking.hostile_orientation"),
        (_changed("needs.sex", delete=True), "needs.sex"),
        # an unknown key
        (_changed("unexpected", 1), "unexpected"),
        (_changed("risk.ogrs4", 50), "risk.ogrs4"),
        (_changed("needs.thinking.impulsivity", 1), "needs.thinking.impulsivity"),
        # a value outside its range or list
        (_changed("risk.ogrs3", 100.5), "risk.ogrs3"),
        (_changed("risk.ovp", -0.01), "risk.ovp"),
        (_changed("risk.rsr", 101), "risk.rsr"),
        (_changed("risk.osp_iic", "VERY_HIGH"), "risk.osp_iic"),  # OSP-IIC has no Very High
        (_changed("risk.osp_dc", "SEVERE"), "risk.osp_dc"),
        (_changed("risk.sara_partner", "NOT_APPLICABLE"), "risk.sara_partner"),
        (_changed("sex", "UNKNOWN"), "sex"),
        (_changed("needs.relationships.easily_influenced", 3), "needs.relationships.easily_influenced"),
        (_changed("needs.self_management.impulsivity", -1), "needs.self_management.impulsivity"),
        (_changed("needs.thinking.pro_criminal_attitudes", 1.5), "needs.thinking.pro_criminal_attitudes"),
        # a number given as text or a flag is not a number
        (_changed("risk.ogrs3", "80"), "risk.ogrs3"),
        (_changed("needs.thinking.hostile_orientation", True), "needs.thinking.hostile_orientation"),
    ],
)
def test_invalid_input_is_a_422_problem_naming_the_field(
    make_user: Any, client_for: Any, body: dict[str, Any], field: str
) -> None:
    """Proved able to fail: with ``extra="ignore"`` on ``PniStrict`` and the items not strict,
    the three unknown keys and ``true`` as an item score turned red; restored, green."""
    response = _post(client_for(make_user(Role.PRACTITIONER)), body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert field in [e["field"] for e in problem["errors"]], problem


@pytest.mark.parametrize("role", list(Role))
def test_any_signed_in_role_may_calculate(make_user: Any, client_for: Any, role: Role) -> None:
    """As the tier calculator: it reads and stores nothing, so it needs no capability.

    Proved able to fail: ``@api_requires(Capability.MANAGE_CASES)`` on the operation turned
    ten roles red; restored, green."""
    assert _post(client_for(make_user(role)), BASE).status_code == 200


def test_the_calculator_needs_sign_in() -> None:
    assert _post(Client(), BASE).status_code == 401


def test_the_openapi_document_marks_every_key_required_and_nullable(make_user: Any, client_for: Any) -> None:
    """The document is true: integrators see that each key must be sent, and which take null."""
    schema = client_for(make_user(Role.PRACTITIONER)).get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    risk = components["PniRiskIn"]
    assert set(risk["required"]) == set(BASE["risk"]) and risk["additionalProperties"] is False
    assert {"type": "null"} in risk["properties"]["ogrs3"]["anyOf"]
    request = components["PniRequest"]
    assert set(request["required"]) == {"sex", "risk", "needs"}
    assert {"type": "null"} in request["properties"]["needs"]["anyOf"]
