"""Verifies the audit hash chain from the first row and reports the first broken link,
then checks it against the latest signed checkpoint so removed newest rows show (ADR 13)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import checkpoint_store as store
from audit.chain import GENESIS_HASH, first_broken_link
from audit.checkpoint import Checkpoint, problem_with
from audit.models import AuditEvent
from audit.services import sealed_fields


class Command(BaseCommand):
    help = (
        "Recompute every audit event's hash and report the first broken link, if any; then check the "
        "chain still reaches the latest checkpoint signed with AUDIT_CHECKPOINT_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="Check against this checkpoint file (for example one copied back from the log) "
            "instead of the newest in AUDIT_CHECKPOINT_DIR.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = self._checkpoint(options.get("checkpoint"))
        count = 0
        hash_at_checkpoint = GENESIS_HASH

        def rows() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
            nonlocal count, hash_at_checkpoint
            for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
                count += 1
                if checkpoint is not None and count == checkpoint.count:
                    hash_at_checkpoint = event.hash
                yield event.id, event.previous_hash, event.hash, sealed_fields(event)

        broken = first_broken_link(rows())
        if broken is not None:
            row_id, reason = broken
            raise CommandError(f"Audit chain broken at event {row_id}: {reason}")
        if checkpoint is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
            self.stdout.write(
                self.style.WARNING(
                    "No checkpoint to check against, so removal of the newest events would not show. "
                    "Run checkpoint_audit on a schedule."
                )
            )
            return
        problem = problem_with(checkpoint, count, hash_at_checkpoint if count >= checkpoint.count else None)
        if problem is not None:
            raise CommandError(f"Audit chain fails its checkpoint: {problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {count} events verified; it reaches the checkpoint of "
                f"{checkpoint.made_at} ({checkpoint.count} events)."
            )
        )

    def _checkpoint(self, path: Path | None) -> Checkpoint | None:
        """The checkpoint to check against; every stored one's signature is checked."""
        paths = [path] if path else store.stored()
        if not paths:
            return None
        try:
            return store.latest(paths, store.signing_key())
        except store.CheckpointError as error:
            raise CommandError(str(error)) from error
