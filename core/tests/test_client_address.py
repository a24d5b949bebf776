"""The client address comes from the trusted proxies, never from what the client wrote."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils import timezone

from accounts import throttle
from audit.constants import AuditAction
from audit.models import AuditEvent
from core.middleware import client_address
from core.policy import value_on
from unpaid_work.forms import NominationForm
from unpaid_work.models import Nomination

PROXY = "10.0.0.5"  # REMOTE_ADDR: the proxy nearest the app


def test_no_trusted_proxy_uses_remote_addr_and_ignores_the_header() -> None:
    assert client_address("198.51.100.1", "203.0.113.9", 0) == "198.51.100.1"


def test_one_trusted_proxy_takes_the_rightmost_entry() -> None:
    assert client_address(PROXY, "203.0.113.9", 1) == "203.0.113.9"


def test_two_trusted_proxies_take_the_second_from_the_right() -> None:
    # The outer proxy appended the client; the inner proxy appended the outer proxy.
    assert client_address(PROXY, "203.0.113.9, 10.0.0.4", 2) == "203.0.113.9"


def test_spoofed_leftmost_entries_are_ignored() -> None:
    """Proved able to fail: taking entries[0] (the old rule) turns it red."""
    assert client_address(PROXY, "1.2.3.4, 5.6.7.8, 203.0.113.9", 1) == "203.0.113.9"
    assert client_address(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.4", 2) == "203.0.113.9"


def test_a_header_shorter_than_the_proxy_count_falls_back_to_remote_addr() -> None:
    assert client_address(PROXY, "203.0.113.9", 2) == PROXY


@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9:443", " , ", "<script>"])
def test_a_malformed_entry_falls_back_to_remote_addr(forwarded: str) -> None:
    assert client_address(PROXY, forwarded, 1) == PROXY


def test_ipv6_addresses_are_normalised() -> None:
    assert client_address(PROXY, "2001:DB8::0001", 1) == "2001:db8::1"
    assert client_address("not-an-address", "", 0) is None


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_audit_rows_carry_the_trusted_address_not_the_spoofed_one() -> None:
    """Proved able to fail: reverting client_ip to the leftmost entry turns it red."""
    Client(REMOTE_ADDR=PROXY).post(
        "/sign-in/",
        {"username": "nobody", "password": "wrong-password-123"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.ip_address == "203.0.113.9"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_public_form_limits_count_the_trusted_address() -> None:
    """Proved able to fail: reverting client_ip to the leftmost entry turns it red."""

    started = signing.dumps(int(time.time()) - 30, salt=NominationForm.salt)
    Client(REMOTE_ADDR=PROXY).post(
        "/community-payback/nominate/",
        {
            "nominator_name": "Jo",
            "email": "jo@example.org",
            "description": "Clear the brook",
            "address": "Brook Lane",
            "postcode": "ng2 3aa",
            "website": "",
            "started": started,
        },
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert Nomination.objects.get().client_ip == "203.0.113.9"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_sign_in_throttling_cannot_be_dodged_by_changing_the_spoofed_entries() -> None:
    """Proved able to fail: reverting client_ip to the leftmost entry turns it red."""

    limit = value_on("sign_in_failure_limits", date.today())["PAIR"]
    for n in range(limit):
        Client(REMOTE_ADDR=PROXY).post(
            "/sign-in/",
            {"username": "someone", "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.9",
        )
    assert throttle.refused_until("someone", "203.0.113.9", timezone.now()) is not None
    assert throttle.refused_until("someone", "6.6.6.0", timezone.now()) is None
