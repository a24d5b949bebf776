"""The hash chain, as pure functions: how an audit row's hash is computed.

Kept free of Django so the rule can be read and tested on its own, and so an
auditor can re-implement verification from this file alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS_HASH = "0" * 64

# The fields that are sealed into each hash, in a fixed order.
SEALED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "request_id",
    "ip_address",
    "user_agent",
    "path",
)


def canonical(fields: Mapping[str, Any]) -> bytes:
    """A stable byte form of the sealed fields: sorted keys, no whitespace, UTF-8."""
    sealed = {name: fields.get(name) for name in SEALED_FIELDS}
    return json.dumps(sealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(fields))
    return digest.hexdigest()


def first_broken_link(rows: Any, expected_previous: str = GENESIS_HASH) -> tuple[Any, str] | None:
    """Walks rows (id, previous_hash, hash, fields) in order; returns the first bad one.

    ``expected_previous`` lets a walk start part-way, from a checkpointed hash.
    """
    for row_id, previous_hash, stored_hash, fields in rows:
        if previous_hash != expected_previous:
            return row_id, "previous_hash does not match the hash of the row before it"
        if compute_hash(previous_hash, fields) != stored_hash:
            return row_id, "content does not match its hash (the row was altered)"
        expected_previous = stored_hash
    return None
