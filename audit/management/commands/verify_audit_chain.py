"""Verifies the audit hash chain from the first row and reports the first broken link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.chain import first_broken_link
from audit.models import AuditEvent
from audit.services import sealed_fields


class Command(BaseCommand):
    help = "Recompute every audit event's hash and report the first broken link, if any."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0

        def rows() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
            nonlocal count
            for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
                count += 1
                yield event.id, event.previous_hash, event.hash, sealed_fields(event)

        broken = first_broken_link(rows())
        if broken is not None:
            row_id, reason = broken
            raise CommandError(f"Audit chain broken at event {row_id}: {reason}")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
