"""Audit events: append-only and chained by hash so tampering is evident.

Each row stores the SHA-256 of its own canonical content plus the previous
row's hash. Changing, deleting or inserting a row in the middle breaks the
chain at that point, which ``manage.py verify_audit_chain`` reports. On
PostgreSQL a trigger also refuses UPDATE and DELETE outright.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from audit.constants import AuditAction


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text too: a failed sign-in has no user, and the name must survive renames.
    actor_username = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    path = models.CharField(max_length=400, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action", "actor_username", "occurred_at"], name="audit_signin_idx"),
            models.Index(fields=["action", "ip_address", "occurred_at"], name="audit_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")
