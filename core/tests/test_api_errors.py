"""Every API error is an RFC 9457 problem document with a 4xx status, never HTML or a 500.

Each test sends one kind of bad input: unknown paths, bodies that are too large or
not JSON, text with NUL or beyond the limits, numbers beyond what the database
holds, and values the database would refuse.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError
from django.test import Client

from core.limits import JSON_STRING_MAX, REQUEST_BODY_MAX_BYTES, REQUEST_MAX_BYTES
from core.roles import Role
from supervision import services

pytestmark = pytest.mark.django_db
JSON = "application/json"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status and body["title"]
    return body


@pytest.fixture
def practitioner_api(make_user: Any, client_for: Any) -> Client:
    client: Client = client_for(make_user(Role.PRACTITIONER))
    return client


@pytest.fixture
def crn(practitioner_api: Client) -> str:
    created = practitioner_api.post(
        "/api/v1/people",
        {"first_name": "Dee", "last_name": "Jones", "date_of_birth": "1991-04-03", "sex": "FEMALE"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    return str(created.json()["crn"])


def event(**sentence: Any) -> dict[str, Any]:
    return {
        "court": "Nottingham Magistrates' Court",
        "convicted_on": "2026-01-12",
        "sentenced_on": "2026-01-12",
        "offences": [
            {"description": "Theft", "category": "THEFT", "committed_on": "2025-12-20", "is_main": True}
        ],
        "sentence": {"disposal_type": "CO", "length_months": 12} | sentence,
        "requirements": [{"type": "RAR", "amount": 10}],
    }


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/people/X1/nothing/here", "/api/v1/"])
def test_unknown_paths_answer_a_404_problem(practitioner_api: Client, path: str) -> None:
    """Proved able to fail: without the catch-all route these answer the HTML 404 page."""
    assert_problem(practitioner_api.get(path), 404)
    assert_problem(practitioner_api.post(path, {}, content_type=JSON), 404)


def test_unknown_paths_answer_a_404_problem_when_signed_out() -> None:
    assert_problem(Client().get("/api/v1/nope"), 404)


def test_a_body_over_the_limit_answers_413(practitioner_api: Client, crn: str) -> None:
    """Proved able to fail: without the RequestDataTooBig handling this was a 400."""
    body = json.dumps({"text": "x" * REQUEST_BODY_MAX_BYTES})
    assert_problem(practitioner_api.post(f"/api/v1/people/{crn}/notes", body, content_type=JSON), 413)


def test_a_request_over_the_hard_limit_is_refused_unread(practitioner_api: Client) -> None:
    response = practitioner_api.post(
        "/api/v1/people", "{}", content_type=JSON, CONTENT_LENGTH=str(REQUEST_MAX_BYTES + 1)
    )
    assert_problem(response, 413)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_body_that_is_not_json_answers_415(practitioner_api: Client, crn: str, content_type: str) -> None:
    """Proved able to fail: without the media type checks (``RequestLimitsMiddleware`` and
    ``JsonOnlyParser``) a text/plain JSON body was accepted."""
    body = json.dumps({"text": "Seen at the office"})
    response = practitioner_api.post(f"/api/v1/people/{crn}/notes", body, content_type=content_type)
    assert_problem(response, 415)


def test_json_with_a_charset_or_a_json_suffix_is_accepted(practitioner_api: Client, crn: str) -> None:
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = practitioner_api.post(
            f"/api/v1/people/{crn}/notes", {"text": "Seen"}, content_type=content_type
        )
        assert response.status_code == 201, response.content


def test_malformed_json_answers_a_400_problem(practitioner_api: Client, crn: str) -> None:
    assert_problem(practitioner_api.post(f"/api/v1/people/{crn}/notes", "{", content_type=JSON), 400)


def test_nul_in_any_string_answers_422(practitioner_api: Client, crn: str) -> None:
    """Proved able to fail: without ``JsonOnlyParser`` the note was stored with its NUL."""
    response = practitioner_api.post(f"/api/v1/people/{crn}/notes", {"text": "a\x00b"}, content_type=JSON)
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "text"


def test_a_string_at_the_limit_passes_and_one_beyond_fails(practitioner_api: Client, crn: str) -> None:
    url = f"/api/v1/people/{crn}/notes"
    at_limit = practitioner_api.post(url, {"text": "x" * JSON_STRING_MAX}, content_type=JSON)
    assert at_limit.status_code == 201, at_limit.content
    assert_problem(practitioner_api.post(url, {"text": "x" * (JSON_STRING_MAX + 1)}, content_type=JSON), 422)


@pytest.mark.parametrize("page", [str(10**30), str(2**63), "-1", "0", "abc"])
def test_out_of_range_page_numbers_answer_a_problem(practitioner_api: Client, crn: str, page: str) -> None:
    """Proved able to fail: with ninja's unbounded page number, page=10**30 was a 500 on SQLite."""
    response = practitioner_api.get(f"/api/v1/people/{crn}/notes", {"page": page})
    assert response.status_code in {404, 422}
    assert_problem(response, response.status_code)


@pytest.mark.parametrize("identifier", [str(2**63), str(10**30), "18446744073709551616"])
def test_ids_beyond_the_database_answer_404(practitioner_api: Client, crn: str, identifier: str) -> None:
    response = practitioner_api.post(
        f"/api/v1/people/{crn}/appointments/{identifier}/outcome", {"outcome": "ATTENDED"}, content_type=JSON
    )
    assert response.status_code in {404, 422}
    assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    "field", ["length_months", "supervision_months", "operational_months", "custodial_days"]
)
def test_negative_sentence_lengths_are_refused_before_the_database(
    practitioner_api: Client, crn: str, field: str
) -> None:
    """The database's positive-integer constraint would otherwise answer 500.

    Proved able to fail: without ``ge=0`` on SentenceIn, supervision_months=-1 reached the
    database (a 500 before the IntegrityError handler, a 409 after)."""
    response = practitioner_api.post(f"/api/v1/people/{crn}/events", event(**{field: -1}), content_type=JSON)
    body = assert_problem(response, 422)
    assert any(field in error["field"] for error in body["errors"])


def test_a_constraint_violation_that_slips_through_answers_409(
    practitioner_api: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line: any IntegrityError from a write is a 409 problem, not a 500."""

    def refuse(**kwargs: Any) -> None:
        raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(services, "add_contact_note", refuse)
    assert_problem(
        practitioner_api.post(f"/api/v1/people/{crn}/notes", {"text": "x"}, content_type=JSON), 409
    )


def test_an_unexpected_error_is_still_a_problem_document(
    practitioner_api: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "add_contact_note", fail)
    body = assert_problem(
        practitioner_api.post(f"/api/v1/people/{crn}/notes", {"text": "x"}, content_type=JSON), 500
    )
    assert "boom" not in json.dumps(body)


def test_short_fields_are_refused_beyond_their_column(practitioner_api: Client) -> None:
    """A PNC number longer than its column is a 422 before the database sees it."""
    response = practitioner_api.post(
        "/api/v1/people",
        {
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1990-01-01",
            "sex": "MALE",
            "pnc_number": "1" * 14,
        },
        content_type=JSON,
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "pnc_number"


@pytest.mark.parametrize("error", ["does_not_exist", "permission_denied"])
def test_a_missing_record_deep_in_a_service_is_a_404_problem(
    practitioner_api: Client, crn: str, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:

    def fail(**kwargs: Any) -> None:
        raise ObjectDoesNotExist() if error == "does_not_exist" else PermissionDenied()

    monkeypatch.setattr(services, "add_contact_note", fail)
    assert_problem(
        practitioner_api.post(f"/api/v1/people/{crn}/notes", {"text": "x"}, content_type=JSON), 404
    )


@pytest.mark.parametrize("address", ["/api/v1/people?q=a%00b", "/api/v1/people/X%0012"])
def test_nul_in_the_address_is_a_400_problem(practitioner_api: Client, address: str) -> None:
    """PostgreSQL refuses NUL in a search term with an error; the request never gets that far."""
    assert_problem(practitioner_api.get(address), 400)


def test_nul_in_a_page_address_is_a_400(practitioner_api: Client) -> None:
    assert practitioner_api.get("/cases/?q=a%00b").status_code == 400


@pytest.mark.parametrize("number", [str(2**63), str(10**30), str(-(2**63) - 1)])
def test_out_of_range_ids_in_query_strings_answer_a_problem(practitioner_api: Client, number: str) -> None:
    response = practitioner_api.get("/api/v1/organisation/teams", {"pdu_id": number})
    assert response.status_code in {200, 404, 422}
    if response.status_code != 200:
        assert_problem(response, response.status_code)


def test_out_of_range_ids_in_a_body_answer_a_problem(practitioner_api: Client, crn: str) -> None:
    response = practitioner_api.post(
        f"/api/v1/people/{crn}/appointments",
        {
            "type": "SUPERVISION",
            "starts_at": "2026-12-01T10:00:00Z",
            "ends_at": "2026-12-01T11:00:00Z",
            "practitioner_id": 10**30,
            "office_id": 10**30,
            "event_id": 2**63,
        },
        content_type=JSON,
    )
    assert response.status_code in {404, 422}
    assert_problem(response, response.status_code)


def test_a_form_body_to_an_operation_without_a_body_is_415(make_user: Any, client_for: Any) -> None:
    """Even where the operation reads no body, the API accepts JSON or nothing."""
    provider = client_for(make_user(Role.PROVIDER))
    response = provider.post(
        "/api/v1/commissioning/agreement", "a=b", content_type="application/x-www-form-urlencoded"
    )
    assert_problem(response, 415)


def test_a_page_id_beyond_the_database_is_a_404_page(make_user: Any, client_for: Any) -> None:
    """Django answers an out-of-range integer lookup with no rows; this keeps it so on the pages."""
    commercial = client_for(make_user(Role.COMMERCIAL))
    assert commercial.get(f"/framework/applications/{10**30}/").status_code == 404
