"""Where checkpoints live and how the chain is read for them (ADR 13).

A checkpoint is written to a file in ``AUDIT_CHECKPOINT_DIR`` and to the log, so
a copy survives outside the database and outside the host. The signing key comes
from ``AUDIT_CHECKPOINT_KEY``, never ``SECRET_KEY``: whoever holds only the database
or ``SECRET_KEY`` cannot re-sign a shortened chain. Only the audit commands read it,
so a deployment gives it to the job that runs them and not to the web processes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.chain import GENESIS_HASH
from audit.checkpoint import Checkpoint, from_json
from audit.models import AuditEvent
from audit.services import sealed_fields

logger = logging.getLogger("audit.checkpoint")
MIN_KEY_LENGTH = 32


class CheckpointError(Exception):
    """A checkpoint cannot be made or checked; the message says why and what to do."""


def signing_key() -> bytes:
    key = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if not key:
        raise CheckpointError(
            "AUDIT_CHECKPOINT_KEY is not set. Set it to a long random secret (not SECRET_KEY), "
            "kept where the database's administrators cannot read it."
        )
    if len(key) < MIN_KEY_LENGTH:
        raise CheckpointError(f"AUDIT_CHECKPOINT_KEY must be at least {MIN_KEY_LENGTH} characters.")
    if key == settings.SECRET_KEY:
        raise CheckpointError("AUDIT_CHECKPOINT_KEY must differ from SECRET_KEY.")
    return str(key).encode()


def directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def head_now(now: datetime) -> Checkpoint:
    """The chain's length and last hash, unsigned. Appends are serialised and ids
    rise in commit order, so counting up to the head's id is consistent with it."""
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return Checkpoint(0, None, GENESIS_HASH, now.astimezone(UTC).isoformat(timespec="microseconds"))
    count = AuditEvent.objects.filter(id__lte=head[0]).count()
    return Checkpoint(count, head[0], head[1], now.astimezone(UTC).isoformat(timespec="microseconds"))


def hash_at(position: int) -> str | None:
    """The hash of the event at a 1-based position in id order (genesis for 0)."""
    if position == 0:
        return GENESIS_HASH
    return AuditEvent.objects.order_by("id").values_list("hash", flat=True)[position - 1 : position].first()


def rows_after(event_id: int | None) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    """Events after an id (all of them for None), as the chain walk reads them."""
    events = AuditEvent.objects.order_by("id")
    if event_id is not None:
        events = events.filter(id__gt=event_id)
    for event in events.iterator(chunk_size=5000):
        yield event.id, event.previous_hash, event.hash, sealed_fields(event)


def write(checkpoint: Checkpoint) -> Path:
    """Writes the checkpoint to its own file (never overwriting one) and to the log."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.made_at.replace("-", "").replace(":", "").replace("+0000", "Z")
    path = folder / f"checkpoint-{stamp}-{checkpoint.count}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(checkpoint.to_json() + "\n", encoding="utf-8")
    os.replace(temporary, path)
    logger.info("audit checkpoint %s", checkpoint.to_json(), extra={"checkpoint_file": str(path)})
    return path


def read(path: Path) -> Checkpoint:
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CheckpointError(f"Checkpoint {path} cannot be read: {error}") from error


def latest(paths: list[Path], key: bytes) -> Checkpoint | None:
    """The newest checkpoint, after checking every one's signature: a bad one is reported."""
    checkpoints = []
    for path in paths:
        checkpoint = read(path)
        if not checkpoint.signature_ok(key):
            raise CheckpointError(
                f"Checkpoint {path} has a bad signature: it was altered, forged, or signed with another key."
            )
        checkpoints.append(checkpoint)
    return max(checkpoints, key=lambda c: (c.made_at, c.count), default=None)


def stored() -> list[Path]:
    folder = directory()
    return sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []
