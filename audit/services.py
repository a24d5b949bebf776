"""Writing audit events. Called by every service function, inside its transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import QuerySet
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


# A list read names the people it showed when there are at most this many; a longer
# list is recorded by its count alone, so one row stays small. Not a policy value:
# it only bounds the size of an audit row (a caseload page shows 50).
LISTED_CRNS_LIMIT = 100

PERSON_OBJECT_TYPE = "people.person"


def record_read(
    what: str,
    *,
    actor: Any,
    person: Any = None,
    people: Iterable[Any] | None = None,
    count: int | None = None,
    obj: models.Model | None = None,
    search: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Records one read of case data: one row per page or API request, never one per row shown.

    ``what`` says in plain words what was shown ("contact notes", "session register").
    A read about one person (``person``, anything with a ``crn``) is filed under their
    CRN, so "who looked at this case" is one search of the trail. A list (``people``)
    records how many people it named and, when short, their CRNs; ``count`` overrides
    the number when the page shows only part of a longer list. A search records its
    terms (``search``) as the user typed them and the number of results. Names are
    never written: the trail identifies people by CRN only (data minimisation).
    ``obj`` names the record read when it is not the person (a referral, an order).
    """
    changes: dict[str, Any] = {"read": what}
    object_type = object_id = ""
    if person is not None:
        object_type, object_id = PERSON_OBJECT_TYPE, str(person.crn)
    elif obj is not None:
        object_type, object_id = object_type_of(obj), str(obj.pk)
    if person is not None and obj is not None:
        changes["record"] = f"{object_type_of(obj)}:{obj.pk}"
    if people is not None:
        crns = sorted({str(p if isinstance(p, str) else p.crn) for p in people})
        changes["count"] = len(crns) if count is None else count
        if len(crns) <= LISTED_CRNS_LIMIT:
            changes["crns"] = crns
    elif count is not None:
        changes["count"] = count
    if search is not None:
        changes["terms"] = search
    changes.update(details or {})
    return record(
        AuditAction.SEARCH if search is not None else AuditAction.VIEW,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_id if person is not None else what,
        changes=changes,
    )


def listed(rows: QuerySet[Any], crn_field: str = "crn") -> dict[str, Any]:
    """``people`` and ``count`` for ``record_read`` from an unevaluated list of rows.

    Two cheap queries (a count, and the CRNs only when the list is short) instead of
    loading every row: a national caseload can run to tens of thousands of people.
    """
    count = rows.count()
    if count > LISTED_CRNS_LIMIT:
        return {"people": None, "count": count}
    return {"people": list(rows.values_list(crn_field, flat=True)), "count": count}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level changes as {field: [old, new]}, for the audit record."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
