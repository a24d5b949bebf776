"""``Idempotency-Key`` on API POSTs (ADR 22): a retry replays, never duplicates."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from core import jobs, outages
from core.idempotency import IdempotencyKey, fingerprint
from core.roles import Role
from people.models import Person
from supervision import services as supervision_services

pytestmark = pytest.mark.django_db
JSON = "application/json"
PERSON = {"first_name": "Dee", "last_name": "Jones", "date_of_birth": "1991-04-03", "sex": "FEMALE"}


@pytest.fixture(autouse=True)
def writable() -> Any:
    outages.forget_refusal()
    with override_settings(READ_ONLY=False, READ_ONLY_FLAG_FILE=""):
        yield
    outages.forget_refusal()


@pytest.fixture
def practitioner(make_user: Any, client_for: Any) -> Client:
    client: Client = client_for(make_user(Role.PRACTITIONER))
    return client


def create(
    client: Client, key: str | None, body: dict[str, Any] = PERSON, path: str = "/api/v1/people"
) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type=JSON, headers=headers)


def test_a_retry_replays_the_first_response_and_creates_one_record(practitioner: Client) -> None:
    """Proved able to fail: without IdempotencyMiddleware in MIDDLEWARE the retry
    answered 409 (the duplicate check) and no Idempotent-Replayed header."""
    people = Person.objects.count()
    first = create(practitioner, "key-0001")
    assert first.status_code == 201
    # The same body, spaced and ordered differently, is the same request.
    retry = practitioner.post(
        "/api/v1/people",
        json.dumps(dict(reversed(PERSON.items())), indent=2),
        content_type=JSON,
        headers={"Idempotency-Key": "key-0001"},
    )
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert "Idempotent-Replayed" not in first
    assert Person.objects.count() == people + 1


def test_the_same_key_with_another_body_or_path_is_a_422_problem(practitioner: Client) -> None:
    assert create(practitioner, "key-0002").status_code == 201
    other = create(practitioner, "key-0002", PERSON | {"first_name": "Ola"})
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert "different request" in other.json()["detail"]
    crn = Person.objects.latest("pk").crn
    elsewhere = create(practitioner, "key-0002", {"text": "x"}, path=f"/api/v1/people/{crn}/notes")
    assert elsewhere.status_code == 422


def test_keys_belong_to_their_user(practitioner: Client, make_user: Any, client_for: Any) -> None:
    colleague = client_for(make_user(Role.PRACTITIONER))
    assert create(practitioner, "shared-key").status_code == 201
    second = create(colleague, "shared-key", PERSON | {"first_name": "Ola"})
    assert second.status_code == 201 and "Idempotent-Replayed" not in second


def test_a_key_older_than_a_day_is_new(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = Client()
    client.force_login(user)
    assert create(client, "key-0003").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        client.force_login(user)  # the session has long expired by then
        again = create(client, "key-0003", PERSON | {"first_name": "Ola"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert IdempotencyKey.objects.filter(key="key-0003").count() == 1


def test_a_key_still_being_processed_is_a_409_problem(make_user: Any, client_for: Any) -> None:
    """The first request's claim is committed before it runs; a concurrent retry meets it."""
    user = make_user(Role.PRACTITIONER)
    IdempotencyKey.objects.create(
        user_id=user.pk,
        key="key-0004",
        method="POST",
        path="/api/v1/people",
        request_hash=fingerprint(json.dumps(PERSON).encode()),
    )
    response = create(client_for(user), "key-0004")
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert not Person.objects.filter(last_name="Jones").exists()


def test_a_server_error_releases_the_key_and_saves_nothing(
    practitioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    crn = create(practitioner, None).json()["crn"]

    def fail(**kwargs: Any) -> None:
        raise OperationalError("connection lost")

    monkeypatch.setattr(supervision_services, "add_contact_note", fail)
    path = f"/api/v1/people/{crn}/notes"
    assert create(practitioner, "key-0005", {"text": "Seen"}, path=path).status_code == 503
    assert not IdempotencyKey.objects.filter(key="key-0005").exists()
    monkeypatch.undo()
    assert create(practitioner, "key-0005", {"text": "Seen"}, path=path).status_code == 201


def test_a_malformed_key_is_a_400_problem(practitioner: Client) -> None:
    assert create(practitioner, "").status_code == 400
    assert create(practitioner, "x" * 256).status_code == 400


def test_purge_deletes_only_expired_keys(practitioner: Client) -> None:
    assert create(practitioner, "old-key").status_code == 201
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=25))
    assert create(practitioner, "new-key", PERSON | {"first_name": "Ola"}).status_code == 201
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "Deleted 1 " in out.getvalue()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key"]


@pytest.mark.django_db
def test_the_scheduler_purges_expired_keys_once_a_day(practitioner: Client) -> None:
    """The purge is a periodic job (``core.periodic``): at 04:00 the scheduler starts it
    once, and running it deletes only keys past their lifetime."""

    old = IdempotencyKey.objects.create(
        user_id=1, key="old", method="POST", path="/x", request_hash="h", status=201
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = IdempotencyKey.objects.create(
        user_id=1, key="fresh", method="POST", path="/x", request_hash="h", status=201
    )
    at_four = timezone.localtime().replace(hour=4, minute=5)
    started = [j for j in jobs.schedule(at_four) if j.kind == "core.purge_idempotency_keys"]
    again = [j for j in jobs.schedule(at_four) if j.kind == "core.purge_idempotency_keys"]
    assert len(started) == 1 and again == []
    jobs.run_queued_jobs()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [fresh.key]
