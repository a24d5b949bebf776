"""Sign-in throttling (ADR 12): by username-and-address, by address, and per username
only beyond a much higher limit; growing "refused until" times; one audit row per burst."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts import throttle
from accounts.constants import ThrottleScope
from accounts.models import SignInThrottle
from accounts.rules import counts_towards_username, refusal_delay
from accounts.tests.factories import TEST_PASSWORD
from audit.constants import AuditAction
from audit.models import AuditEvent
from core.policy import value_on

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
LIMITS = value_on("sign_in_failure_limits", T0.date())
DELAY = value_on("sign_in_refusal_delay_seconds", T0.date())
MEMORY = value_on("sign_in_failure_memory_minutes", T0.date())
HOME, ELSEWHERE = "203.0.113.10", "198.51.100.20"


def _fail(username: str, address: str | None, times: int, at: datetime = T0) -> datetime | None:
    until = None
    for _ in range(times):
        until = throttle.record_failure(username, address, at)
    return until


def _sign_in(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post("/sign-in/", {"username": username, "password": password})


# --- The pure rules ----------------------------------------------------------------


def test_no_delay_below_the_limit_and_the_base_delay_at_it() -> None:
    assert refusal_delay(4, 5, 60, 3600) is None
    assert refusal_delay(5, 5, 60, 3600) == timedelta(seconds=60)


def test_each_further_failure_doubles_the_delay_up_to_the_cap() -> None:
    assert refusal_delay(6, 5, 60, 3600) == timedelta(seconds=120)
    assert refusal_delay(10, 5, 60, 3600) == timedelta(seconds=1920)
    assert refusal_delay(11, 5, 60, 3600) == timedelta(seconds=3600)
    assert refusal_delay(10_000, 5, 60, 3600) == timedelta(seconds=3600)


def test_only_failures_up_to_the_pair_limit_count_against_the_username() -> None:
    assert counts_towards_username(4, 5)
    assert not counts_towards_username(5, 5)


# --- Counters in the database --------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_pair_limit_minus_one_failures_are_not_refused_and_the_limit_is() -> None:
    assert _fail("alice", HOME, LIMITS["PAIR"] - 1) is None
    assert throttle.refused_until("alice", HOME, T0) is None
    assert _fail("alice", HOME, 1) == T0 + timedelta(seconds=DELAY["base"])
    assert throttle.refused_until("alice", HOME, T0) == T0 + timedelta(seconds=DELAY["base"])


def test_any_number_of_failures_from_one_address_never_stop_the_user_elsewhere(make_user: Any) -> None:
    """Proved able to fail: making counts_towards_username always true turns it red."""
    user = make_user()
    with time_machine.travel(T0, tick=False):
        _fail(user.username, HOME, 500)
        assert _sign_in(user.username, TEST_PASSWORD, HOME).status_code == 429
        assert _sign_in(user.username, TEST_PASSWORD, ELSEWHERE).status_code == 302


def test_an_ipv6_client_cannot_step_round_the_address_limit_within_its_64() -> None:
    """One host holds a whole /64: failures from its addresses count together, and a
    neighbouring /64 is untouched. Proved able to fail: keying by the full address turns it red."""
    for i in range(LIMITS["ADDRESS"]):
        _fail(f"user{i}", f"2001:db8:1:2::{i + 1:x}", 1)
    assert throttle.refused_until("someone-new", "2001:db8:1:2::ffff", T0) is not None
    assert throttle.refused_until("someone-new", "2001:db8:1:3::1", T0) is None


def test_the_address_limit_refuses_that_address_for_every_username() -> None:
    for i in range(LIMITS["ADDRESS"] - 1):
        _fail(f"user{i}", HOME, 1)
    assert throttle.refused_until("someone-new", HOME, T0) is None
    _fail("one-more", HOME, 1)
    assert throttle.refused_until("someone-new", HOME, T0) == T0 + timedelta(seconds=DELAY["base"])
    assert throttle.refused_until("someone-new", ELSEWHERE, T0) is None


def _spread_over_addresses(username: str, failures: int) -> None:
    per_address = LIMITS["PAIR"] - 1  # stays under the pair limit, as a careful attacker would
    for n in range(failures):
        _fail(username, f"192.0.2.{n // per_address + 1}", 1)


def test_guessing_spread_over_many_addresses_is_refused_per_username_at_the_higher_limit() -> None:
    _spread_over_addresses("bob", LIMITS["USERNAME"] - 1)
    assert throttle.refused_until("bob", ELSEWHERE, T0) is None
    _fail("bob", "192.0.2.250", 1)
    assert throttle.refused_until("bob", ELSEWHERE, T0) == T0 + timedelta(seconds=DELAY["base"])
    assert throttle.refused_until("carol", ELSEWHERE, T0) is None


def test_refused_until_is_respected_to_the_second(make_user: Any) -> None:
    user = make_user()
    _fail(user.username, HOME, LIMITS["PAIR"])
    with time_machine.travel(T0 + timedelta(seconds=DELAY["base"] - 1), tick=False):
        refused = _sign_in(user.username, TEST_PASSWORD, HOME)
        assert refused.status_code == 429 and refused["Retry-After"] == "1"
        assert "Wait 1 minute and try again" in refused.content.decode()
    with time_machine.travel(T0 + timedelta(seconds=DELAY["base"]), tick=False):
        assert _sign_in(user.username, TEST_PASSWORD, HOME).status_code == 302


def test_delays_grow_with_each_failure_after_a_refusal_ends() -> None:
    first = _fail("dave", HOME, LIMITS["PAIR"])
    assert first is not None
    second = throttle.record_failure("dave", HOME, first)
    assert second == first + timedelta(seconds=2 * DELAY["base"])


def test_a_success_clears_the_pair_counter_and_not_the_others(make_user: Any) -> None:
    user = make_user()
    _fail(user.username, HOME, LIMITS["PAIR"] - 1)
    with time_machine.travel(T0, tick=False):
        assert _sign_in(user.username, TEST_PASSWORD, HOME).status_code == 302
    kept = dict(SignInThrottle.objects.values_list("scope", "failures"))
    assert kept == {ThrottleScope.ADDRESS: LIMITS["PAIR"] - 1, ThrottleScope.USERNAME: LIMITS["PAIR"] - 1}


def test_a_counter_is_forgotten_after_a_quiet_spell() -> None:
    _fail("erin", HOME, LIMITS["PAIR"] - 1)
    quiet = T0 + timedelta(minutes=MEMORY["PAIR"])
    assert _fail("erin", HOME, 1, at=quiet - timedelta(seconds=1)) is not None  # still remembered
    _fail("frank", HOME, LIMITS["PAIR"] - 1)
    assert _fail("frank", HOME, 1, at=quiet) is None  # forgotten: counting starts again
    assert not SignInThrottle.objects.filter(key="frank|" + HOME, failures__gt=1).exists()


def test_refused_attempts_are_counted_with_one_audit_row_per_burst(make_user: Any) -> None:
    """Proved able to fail: auditing every refused attempt turns it red."""
    user = make_user()
    _fail(user.username, HOME, LIMITS["PAIR"])
    with time_machine.travel(T0 + timedelta(seconds=1), tick=False):
        for _ in range(20):
            assert _sign_in(user.username, TEST_PASSWORD, HOME).status_code == 429
    locked = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED)
    assert locked.count() == 1
    assert locked.get().changes["scope"] == ThrottleScope.PAIR
    pair = SignInThrottle.objects.get(scope=ThrottleScope.PAIR)
    assert pair.refused_attempts == 20
    # The burst is summarised, with its count, the next time the counter is touched after it ends.
    with time_machine.travel(T0 + timedelta(seconds=DELAY["base"]), tick=False):
        assert _sign_in(user.username, TEST_PASSWORD, HOME).status_code == 302
    summary = locked.order_by("-id").first()
    assert locked.count() == 2 and summary is not None
    assert summary.changes["refused_attempts"] == 20


def test_stale_counters_are_deleted() -> None:
    _fail("gina", HOME, 1)
    later = T0 + timedelta(minutes=MEMORY["USERNAME"] + 1)
    _fail("harry", ELSEWHERE, 1, at=later)
    assert not SignInThrottle.objects.filter(key__startswith="gina").exists()
    assert not SignInThrottle.objects.filter(key=HOME).exists()
