"""Sign-in throttling backed by ``SignInThrottle`` rows (ADR 12).

Three counters per attempt: the username from this address (the pair), this
address for any username, and this username from anywhere. Reaching a limit sets
"refused until" a time that grows with each further failure; nothing sleeps.
Attempts made while refused are counted on the row, and each burst of refusals
writes one audit row when it starts and one summary when it is next seen to have
ended, never one per attempt. The limits, delays and memory are policy values.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import rules
from accounts.constants import ThrottleScope
from accounts.models import SignInThrottle
from audit import services as audit
from audit.constants import AuditAction
from core.policy import value_on

_PRUNE_BATCH = 500


def address_key(address: str | None) -> str | None:
    """The address a counter is kept for: an IPv4 address as it is, an IPv6 address by
    its /64 network, since one household or host is given a whole /64 and could
    otherwise step to a fresh address for every attempt."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _scopes(username: str, address: str | None) -> dict[str, str]:
    name = username.casefold()[:150]
    address = address_key(address)
    scopes = {ThrottleScope.PAIR.value: f"{name}|{address or ''}", ThrottleScope.USERNAME.value: name}
    if address:
        scopes[ThrottleScope.ADDRESS.value] = address
    return scopes


def _matching(scopes: dict[str, str]) -> Q:
    query = Q(pk__in=[])
    for scope, key in scopes.items():
        query |= Q(scope=scope, key=key)
    return query


def refused_until(username: str, address: str | None, now: datetime) -> datetime | None:
    """The latest time until which any of this attempt's counters refuses it, if any."""
    rows = SignInThrottle.objects.filter(_matching(_scopes(username, address)), refused_until__gt=now)
    times = [until for until in rows.values_list("refused_until", flat=True) if until is not None]
    return max(times, default=None)


def _close_burst(row: SignInThrottle) -> None:
    """Summarise a finished burst of refusals in one audit row (the start already has its own)."""
    if row.refused_attempts > 1:
        audit.record(
            AuditAction.SIGN_IN_LOCKED,
            actor=None,
            actor_username=row.key.split("|")[0] if row.scope != ThrottleScope.ADDRESS else "",
            changes={
                "scope": row.scope,
                "key": row.key,
                "refused_attempts": row.refused_attempts,
                "burst_started_at": row.burst_started_at,
                "refused_until": row.refused_until,
            },
        )
    row.refused_attempts = 0
    row.burst_started_at = None


@transaction.atomic
def record_refusal(username: str, address: str | None, now: datetime) -> datetime | None:
    """Counts a refused attempt on each refusing counter; audits only a burst's first."""
    rows = SignInThrottle.objects.select_for_update().filter(
        _matching(_scopes(username, address)), refused_until__gt=now
    )
    latest: datetime | None = None
    for row in rows:
        if row.refused_attempts == 0:
            row.burst_started_at = now
            audit.record(
                AuditAction.SIGN_IN_LOCKED,
                actor=None,
                actor_username=username,
                changes={"scope": row.scope, "failures": row.failures, "refused_until": row.refused_until},
            )
        row.refused_attempts += 1
        row.save(update_fields=["refused_attempts", "burst_started_at"])
        assert row.refused_until is not None  # filtered above
        latest = max(latest, row.refused_until) if latest else row.refused_until
    return latest


def _fresh_or_reset(row: SignInThrottle, now: datetime) -> None:
    """A burst that has ended is summarised; a counter past its memory starts again."""
    if row.refused_attempts and (row.refused_until is None or row.refused_until <= now):
        _close_burst(row)
    if row.forget_after <= now:
        row.failures, row.first_failure_at, row.refused_until = 0, now, None


@transaction.atomic
def record_failure(username: str, address: str | None, now: datetime) -> datetime | None:
    """Counts a failed password; returns until when attempts are now refused, if they are."""
    day = timezone.localdate(now)
    limits: dict[str, int] = value_on("sign_in_failure_limits", day)
    delay: dict[str, int] = value_on("sign_in_refusal_delay_seconds", day)
    memory: dict[str, int] = value_on("sign_in_failure_memory_minutes", day)
    rows: dict[str, SignInThrottle] = {}
    for scope, key in _scopes(username, address).items():
        row, _ = SignInThrottle.objects.select_for_update().get_or_create(
            scope=scope,
            key=key,
            defaults={"first_failure_at": now, "last_failure_at": now, "forget_after": now},
        )
        _fresh_or_reset(row, now)
        rows[scope] = row
    pair_limit = limits[ThrottleScope.PAIR]
    if not rules.counts_towards_username(rows[ThrottleScope.PAIR].failures, pair_limit):
        rows[ThrottleScope.USERNAME].save()  # keeps any burst summary and reset, counts nothing
        del rows[ThrottleScope.USERNAME]
    latest: datetime | None = None
    for scope, row in rows.items():
        row.failures += 1
        row.last_failure_at = now
        wait = rules.refusal_delay(row.failures, limits[scope], delay["base"], delay["max"])
        if wait is not None:
            row.refused_until = now + wait
            latest = max(latest, row.refused_until) if latest else row.refused_until
        row.forget_after = rules.forget_after(now, row.refused_until, timedelta(minutes=memory[scope]))
        row.save()
    _forget_stale(now)
    return latest


@transaction.atomic
def record_success(username: str, address: str | None, now: datetime) -> None:
    """A correct password clears the pair's counter, and only that one."""
    key = _scopes(username, address)[ThrottleScope.PAIR]
    for row in SignInThrottle.objects.select_for_update().filter(scope=ThrottleScope.PAIR, key=key):
        _close_burst(row)
        row.delete()


def _forget_stale(now: datetime) -> None:
    """Deletes counters past their memory, summarising any burst they still hold."""
    stale: Any = SignInThrottle.objects.filter(forget_after__lte=now).order_by("forget_after")
    ids = list(stale.values_list("pk", flat=True)[:_PRUNE_BATCH])
    for row in SignInThrottle.objects.filter(pk__in=ids, refused_attempts__gt=1):
        _close_burst(row)
    SignInThrottle.objects.filter(pk__in=ids).delete()
