"""Writing audit events. Called by every service function, inside its transaction."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, compute_hash
from audit.constants import AuditAction
from audit.models import AuditEvent
from core import request_context

# Arbitrary constant naming the PostgreSQL advisory lock that serialises the chain.
_CHAIN_LOCK_KEY = 7_202_106_26


def sealed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "path": event.path,
    }


def _lock_chain() -> None:
    """Serialise chain appends until this transaction ends.

    SQLite already serialises writers (IMMEDIATE transactions); PostgreSQL needs
    an explicit transaction-scoped advisory lock so two appends cannot both link
    to the same predecessor.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(
    action: AuditAction,
    *,
    actor: Any,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Appends one event to the chain, in the caller's transaction (or its own)."""
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    ctx = request_context.current()
    # Round-trip through JSON so dates and decimals are stored exactly as they are hashed.
    normalised_changes = json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor if is_user else None,
            actor_username=(actor.get_username() if is_user else actor_username)[:150],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            changes=normalised_changes,
            request_id=ctx.request_id,
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            path=ctx.path,
            previous_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event.previous_hash, sealed_fields(event))
        event.save()
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level changes as {field: [old, new]}, for the audit record."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
