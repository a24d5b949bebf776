"""Signs the audit chain's head and writes it outside the table (ADR 13).

Run it on a schedule; ``verify_audit_chain`` then notices if the newest events
are removed. It refuses to sign a chain that no longer agrees with the previous
checkpoint, so a cut-off chain is never blessed by a later checkpoint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit import checkpoint_store as store
from audit.chain import first_broken_link
from audit.checkpoint import problem_with


class Command(BaseCommand):
    help = "Sign the audit chain's length and last hash with AUDIT_CHECKPOINT_KEY; write it to a file and the log."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = store.signing_key()
            previous = store.latest(store.stored(), key)
        except store.CheckpointError as error:
            raise CommandError(str(error)) from error
        head = store.head_now(timezone.now())
        if previous is not None:
            problem = problem_with(previous, head.count, store.hash_at(previous.count))
            broken = first_broken_link(store.rows_after(previous.head_id), previous.head_hash)
            if problem is None and broken is not None:
                problem = f"the chain is broken at event {broken[0]}: {broken[1]}"
            if problem is not None:
                raise CommandError(f"Not signing: {problem}. Run verify_audit_chain and investigate.")
        path = store.write(head.signed(key))
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit checkpoint: {head.count} events, head {head.head_hash[:12]}…, in {path}."
            )
        )
