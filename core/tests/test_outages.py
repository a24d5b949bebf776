"""Database outages and read-only mode (ADR 22): what pages and the API answer.

The database failing is simulated by patching the one function a view calls to raise
``OperationalError`` (or the read-only refusal each engine raises); the operator's
switch by the ``READ_ONLY`` setting or the flag file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.backends import db as db_sessions
from django.core.management import call_command
from django.db import InterfaceError, InternalError, OperationalError
from django.test import Client
from django.test.utils import override_settings

from accounts.tests.factories import TEST_PASSWORD
from audit.models import AuditEvent
from core import outages
from core.roles import Role
from people.models import Person
from portal import selectors as portal_selectors
from supervision import selectors as supervision_selectors
from supervision import services as supervision_services

pytestmark = pytest.mark.django_db
JSON = "application/json"
SQLITE_READ_ONLY = "attempt to write a readonly database"
PERSON = {"first_name": "Dee", "last_name": "Jones", "date_of_birth": "1991-04-03", "sex": "FEMALE"}
PERSON_FORM = {
    "first_name": "Ada",
    "last_name": "Page",
    "date_of_birth": "3/4/1990",
    "sex": "FEMALE",
    "gender_identity": "NOT_RECORDED",
    "ethnicity": "NOT_RECORDED",
    "disability": "NOT_RECORDED",
    "religion": "NOT_RECORDED",
}


@pytest.fixture(autouse=True)
def writable(tmp_path: Path) -> Iterator[None]:
    """Each test starts writable: no flag file on this machine counts, nothing remembered."""
    outages.forget_refusal()
    with override_settings(READ_ONLY=False, READ_ONLY_FLAG_FILE=tmp_path / "read-only"):
        yield
    outages.forget_refusal()


@pytest.fixture
def practitioner(make_user: Any, client_for: Any) -> Client:
    client: Client = client_for(make_user(Role.PRACTITIONER))
    return client


@pytest.fixture
def crn(practitioner: Client) -> str:
    created = practitioner.post("/api/v1/people", PERSON, content_type=JSON)
    assert created.status_code == 201, created.content
    return str(created.json()["crn"])


class ReadOnlySqlTransaction(Exception):
    """Stands in for psycopg's error of that name: what Django wraps as InternalError."""

    sqlstate = outages.READ_ONLY_SQLSTATE


def raiser(exc: Exception) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


def assert_problem_503(response: Any, reason: str, retry_after: int) -> dict[str, Any]:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(retry_after)
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == 503 and body["reason"] == reason and body["title"] and body["detail"]
    return body


# --- The database is unavailable ------------------------------------------------------


@override_settings(SERVICE_UNAVAILABLE_RETRY_AFTER=30)
def test_the_api_answers_a_503_problem_with_retry_after_when_the_database_fails(
    practitioner: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervision_selectors, "notes_of", raiser(OperationalError("connection refused")))
    body = assert_problem_503(practitioner.get(f"/api/v1/people/{crn}/notes"), "database_unavailable", 30)
    assert "connection refused" not in json.dumps(body)


def test_a_lost_connection_is_also_a_503_problem(
    practitioner: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        supervision_selectors, "notes_of", raiser(InterfaceError("connection already closed"))
    )
    assert_problem_503(practitioner.get(f"/api/v1/people/{crn}/notes"), "database_unavailable", 30)


def test_other_internal_errors_stay_a_500_problem(
    practitioner: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervision_selectors, "notes_of", raiser(InternalError("something else")))
    assert practitioner.get(f"/api/v1/people/{crn}/notes").status_code == 500


@override_settings(SERVICE_UNAVAILABLE_RETRY_AFTER=45)
def test_a_page_answers_the_unavailable_page_with_retry_after(
    practitioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal_selectors, "case_counts_for", raiser(OperationalError("timeout")))
    response = practitioner.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "45"
    assert response["Content-Type"].startswith("text/html")
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_a_failure_outside_any_view_is_a_503_too(make_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the signed-in user happens in middleware, before the view: the portal's
    500 handler turns that failure into the same 503 page, rendered without the database."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PRACTITIONER))
    monkeypatch.setattr(
        "django.contrib.auth.get_user", raiser(OperationalError("server closed the connection"))
    )
    response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_healthz_keeps_its_own_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("portal.views.connection", SimpleNamespace(cursor=raiser(OperationalError("down"))))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


# --- Read-only mode: the operator's switch ---------------------------------------------


def test_read_only_refuses_an_api_write_and_writes_nothing(practitioner: Client) -> None:
    """Proved able to fail: with the ``is_read_only()`` test in
    ``ReadOnlyMiddleware.process_view`` replaced by ``False``, this answered 201 and
    created the person."""
    people, events = Person.objects.count(), AuditEvent.objects.count()
    with override_settings(READ_ONLY=True, READ_ONLY_RETRY_AFTER=300):
        response = practitioner.post("/api/v1/people", PERSON, content_type=JSON)
    body = assert_problem_503(response, "read_only", 300)
    assert "read-only" in body["detail"] and "Nothing was saved" in body["detail"]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_read_only_refuses_a_page_write_and_writes_nothing(practitioner: Client) -> None:
    """Proved able to fail, as the API test above: 302 and a new person without the check."""
    people, events = Person.objects.count(), AuditEvent.objects.count()
    with override_settings(READ_ONLY=True):
        response = practitioner.post("/cases/new/", PERSON_FORM)
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    page = response.content.decode()
    assert "You cannot make changes at the moment" in page
    assert "Your change has not been saved" in page and "back button" in page
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)
    # The same form is accepted once the switch is off.
    assert practitioner.post("/cases/new/", PERSON_FORM).status_code == 302
    assert Person.objects.count() == people + 1


def test_the_flag_file_switches_without_a_restart(practitioner: Client, tmp_path: Path) -> None:
    out = StringIO()
    call_command("read_only", "on", stdout=out)
    assert (tmp_path / "read-only").exists() and "read-only" in out.getvalue()
    assert practitioner.post("/api/v1/people", PERSON, content_type=JSON).status_code == 503
    call_command("read_only", "off", stdout=out)
    assert "writable" in out.getvalue()
    assert practitioner.post("/api/v1/people", PERSON, content_type=JSON).status_code == 201


def test_every_page_shows_the_banner_in_read_only_mode(practitioner: Client) -> None:
    assert 'id="read-only-banner"' not in practitioner.get("/").content.decode()
    with override_settings(READ_ONLY=True):
        home = practitioner.get("/")
        statement = Client().get("/accessibility/")
    assert home.status_code == 200 and statement.status_code == 200
    for response in (home, statement):
        page = response.content.decode()
        assert 'id="read-only-banner"' in page and "The service is read-only for now." in page


def test_reads_keep_working_and_keep_their_audit_rows(practitioner: Client, crn: str) -> None:
    events = AuditEvent.objects.count()
    with override_settings(READ_ONLY=True):
        assert practitioner.get(f"/cases/{crn}/").status_code == 200
        assert practitioner.get(f"/api/v1/people/{crn}/notes").status_code == 200
    assert AuditEvent.objects.count() == events + 2


def test_sign_in_and_sign_out_still_work_in_read_only_mode(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = Client()
    with override_settings(READ_ONLY=True):
        signed_in = client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
        assert signed_in.status_code == 302
        assert client.get("/").status_code == 200
        assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302  # signed out: sent to sign in


# --- Read-only mode: the database refuses writes ----------------------------------------


@pytest.mark.parametrize(
    "refusal",
    [OperationalError(SQLITE_READ_ONLY), "postgres"],
    ids=["sqlite", "postgresql"],
)
def test_a_refused_write_answers_read_only_and_is_remembered(
    practitioner: Client, crn: str, monkeypatch: pytest.MonkeyPatch, refusal: Any
) -> None:
    if refusal == "postgres":
        refusal = InternalError("cannot execute INSERT in a read-only transaction")
        refusal.__cause__ = ReadOnlySqlTransaction()
    notes = {"text": "Seen at the office"}
    monkeypatch.setattr(supervision_services, "add_contact_note", raiser(refusal))
    assert_problem_503(
        practitioner.post(f"/api/v1/people/{crn}/notes", notes, content_type=JSON), "read_only", 300
    )
    monkeypatch.undo()
    # Remembered: the next write is refused before it reaches the database, on pages too.
    people = Person.objects.count()
    assert_problem_503(practitioner.post("/api/v1/people", PERSON, content_type=JSON), "read_only", 300)
    assert practitioner.post("/cases/new/", PERSON_FORM).status_code == 503
    assert 'id="read-only-banner"' in practitioner.get("/").content.decode()
    assert Person.objects.count() == people
    outages.forget_refusal()
    other = PERSON | {"first_name": "Ola", "date_of_birth": "1985-02-01"}
    assert practitioner.post("/api/v1/people", other, content_type=JSON).status_code == 201


def test_a_case_read_that_cannot_be_audited_is_refused(
    practitioner: Client, crn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 17: every read of case data is audited. When the database refuses the audit
    row the read is refused with a 503 that says why; the home page is still served."""
    monkeypatch.setattr("audit.services.record", raiser(OperationalError(SQLITE_READ_ONLY)))
    page = practitioner.get(f"/cases/{crn}/")
    assert page.status_code == 503
    assert "cannot show case data" in page.content.decode()
    assert_problem_503(practitioner.get(f"/api/v1/people/{crn}/notes"), "read_only", 300)
    assert practitioner.get("/").status_code == 200


def test_a_session_the_database_will_not_renew_does_not_fail_the_read(
    practitioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_sessions.SessionStore, "save", raiser(OperationalError(SQLITE_READ_ONLY)))
    assert practitioner.get("/").status_code == 200
    assert outages.database_refusing_writes()


def test_the_errors_are_told_apart() -> None:
    assert outages.classify(OperationalError("could not connect")) is outages.Outage.UNAVAILABLE
    assert outages.classify(InterfaceError("closed")) is outages.Outage.UNAVAILABLE
    assert outages.classify(OperationalError(SQLITE_READ_ONLY)) is outages.Outage.READ_ONLY
    assert outages.classify(InternalError("other")) is None
    assert outages.classify(ValueError("x")) is None
