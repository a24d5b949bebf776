"""Reading the audit trail: search for administrators, history for a record."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def search_events(
    *,
    actor_username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    request_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if actor_username:
        events = events.filter(actor_username__iexact=actor_username.strip())
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id.strip())
    if request_id:
        events = events.filter(request_id=request_id.strip())
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to) + timedelta(days=1))
    return events.order_by("-id")


def history_of(object_type: str, object_id: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .exclude(action="VIEW")
        .order_by("-id")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
