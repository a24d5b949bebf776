"""Signed checkpoints of the audit chain's head, as pure functions (ADR 13).

The hash chain shows a row altered, inserted or removed in the middle, but not
the newest rows cut off: what remains is still a valid chain. A checkpoint is the
chain's length and its last hash at a moment, signed with HMAC-SHA256 under a key
the database never sees, and kept outside the table. Verifying later, the chain
must still reach that length and the row at that position must carry that hash.
Kept free of Django so an auditor can re-implement the check from this file alone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from typing import Any

FORMAT = "probation-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    count: int  # events in the chain, counted in id order
    head_id: int | None  # the last event's id (None for an empty chain)
    head_hash: str  # the last event's hash (the genesis hash for an empty chain)
    made_at: str  # ISO 8601, UTC
    signature: str = ""

    def message(self) -> bytes:
        """The signed bytes: every field but the signature, as sorted compact JSON."""
        fields = {"format": FORMAT, **asdict(self)}
        del fields["signature"]
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> Checkpoint:
        return Checkpoint(self.count, self.head_id, self.head_hash, self.made_at, _mac(key, self.message()))

    def signature_ok(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signature, _mac(key, self.message()))

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, sort_keys=True)


def _mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def from_json(text: str) -> Checkpoint:
    """Reads a checkpoint; raises ValueError if it is not one."""
    try:
        data: dict[str, Any] = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("not an audit checkpoint")
        head_id = data["head_id"]
        return Checkpoint(
            count=int(data["count"]),
            head_id=None if head_id is None else int(head_id),
            head_hash=str(data["head_hash"]),
            made_at=str(data["made_at"]),
            signature=str(data["signature"]),
        )
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a readable audit checkpoint: {error}") from error


def problem_with(checkpoint: Checkpoint, count: int, hash_at_its_count: str | None) -> str | None:
    """Why the chain as it stands fails this checkpoint, or None if it agrees.

    ``count`` is the chain's length now; ``hash_at_its_count`` the hash of the row
    at the checkpoint's position (the genesis hash if it signed an empty chain).
    """
    if count < checkpoint.count:
        return (
            f"the chain has {count} events but the checkpoint of {checkpoint.made_at} signed "
            f"{checkpoint.count}: the newest {checkpoint.count - count} were removed"
        )
    if hash_at_its_count != checkpoint.head_hash:
        return (
            f"event number {checkpoint.count} no longer carries the hash the checkpoint of "
            f"{checkpoint.made_at} signed: the chain was rewritten from there or before"
        )
    return None
