"""Deletes Idempotency-Key records older than IDEMPOTENCY_KEY_HOURS (ADR 22).

Safe to run at any time and as often as wanted; a key met after its lifetime is
treated as new even before it is purged. The scheduler also runs it daily (``core.periodic``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than their lifetime (24 hours)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_expired()} expired idempotency keys.")
