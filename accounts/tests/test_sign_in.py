from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.tests.factories import TEST_PASSWORD
from audit.constants import AuditAction
from audit.models import AuditEvent
from core import policy
from core.roles import Role

pytestmark = pytest.mark.django_db

PAIR_LIMIT = policy.value_on("sign_in_failure_limits", date.today())["PAIR"]


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/sign-in/", {"username": username, "password": password})


def test_sign_in_is_audited_and_lands_on_home(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    client = Client()
    response = _sign_in(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor == user and event.request_id


def test_a_failed_sign_in_is_audited_with_an_error_summary(make_user: Any) -> None:
    user = make_user()
    response = _sign_in(Client(), user.username, "wrong-password-123")
    assert response.status_code == 401
    assert "There is a problem" in response.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor_username=user.username).count()
        == 1
    )


def test_empty_fields_are_named_in_the_error_summary() -> None:
    response = Client().post("/sign-in/", {"username": "", "password": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter your username" in body and "Enter your password" in body


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False)
def test_refusal_starts_at_the_failure_limit(make_user: Any) -> None:
    user = make_user()
    client = Client()
    limit = PAIR_LIMIT
    for _ in range(limit - 1):
        _sign_in(client, user.username, "wrong-password-123")
    # One below the limit: the right password still works.
    assert _sign_in(Client(), user.username, TEST_PASSWORD).status_code == 302
    for _ in range(limit):
        _sign_in(client, user.username, "wrong-password-123")
    locked = _sign_in(Client(), user.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.content.decode()
    assert locked["Retry-After"] == "60"
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED).count() == 1


def test_a_successful_sign_in_resets_the_failure_count(make_user: Any) -> None:
    user = make_user()
    for _ in range(PAIR_LIMIT - 1):
        _sign_in(Client(), user.username, "wrong-password-123")
    assert _sign_in(Client(), user.username, TEST_PASSWORD).status_code == 302
    _sign_in(Client(), user.username, "wrong-password-123")
    assert _sign_in(Client(), user.username, TEST_PASSWORD).status_code == 302


def test_sign_out_needs_post_and_is_audited(make_user: Any, client_for: Any) -> None:
    user = make_user()
    client = client_for(user)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=user).exists()
    assert client.get("/").status_code == 302


def test_next_is_followed_only_within_the_site(make_user: Any) -> None:
    user = make_user()
    response = Client().post(
        "/sign-in/?next=https://evil.example/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == "/"
    response = Client().post(
        "/sign-in/?next=/organisation/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == "/organisation/"


def test_sessions_time_out_after_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_password_policy_rejects_short_and_common_passwords(make_user: Any) -> None:

    for bad in ("short1!", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(bad)
    validate_password("a-long-unusual-passphrase")
