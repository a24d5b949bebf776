"""The audit helper every Unpaid Work write shares."""

from __future__ import annotations

from typing import Any

from audit import services as audit
from audit.constants import AuditAction


def _audit(action: AuditAction, actor: Any, obj: Any, label: str, changes: dict[str, Any]) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=label[:200], changes=changes)
