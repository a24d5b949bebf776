"""Sign-in throttling rules, as pure functions (no Django): see ADR 12 and docs/domain/accounts.md."""

from __future__ import annotations

from datetime import datetime, timedelta

_MAX_DOUBLINGS = 32  # beyond this the cap has long applied; avoids huge integers


def refusal_delay(failures: int, limit: int, base_seconds: int, max_seconds: int) -> timedelta | None:
    """How long to refuse attempts after ``failures`` consecutive failures.

    Below the limit: not at all. At the limit: the base delay. Each further
    failure doubles it, up to the maximum.
    """
    if failures < limit:
        return None
    doublings = min(failures - limit, _MAX_DOUBLINGS)
    return timedelta(seconds=min(base_seconds * 2**doublings, max_seconds))


def counts_towards_username(pair_failures_before: int, pair_limit: int) -> bool:
    """Whether a failure also counts against the username everywhere.

    Only failures up to the pair limit do: once one address is being refused for a
    username, its further failures cannot push that username towards the (much
    higher) everywhere-limit. So no number of failures from one address can stop
    the real user signing in from another; spreading guesses over at least
    username-limit / pair-limit addresses can.
    """
    return pair_failures_before < pair_limit


def forget_after(last_failure_at: datetime, refused_until: datetime | None, memory: timedelta) -> datetime:
    """When a counter is forgotten: a quiet spell after its last failure or the end of its refusal."""
    latest = max(last_failure_at, refused_until) if refused_until else last_failure_at
    return latest + memory
