"""Re-tiers people whose tier can change with the date alone (the nightly job).

Some inputs age without any record changing: a lifer's release date moves from
"in the last year" to "in the last five years", a breach or recall drops out of
the last 12 months. Every person with an active event is recalculated, in batches
with one audit row each; history rows are only written where the result changed.

The scheduler starts it every night (``risk/jobs.py``). This command queues it for a
worker, or with ``--now`` runs it here, through the same job record and progress.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core import jobs
from core.constants import JobStatus
from core.models import Job
from risk.jobs import TIER_JOB


class Command(BaseCommand):
    help = "Recalculate the tier of everyone with an active event: queue the job, or run it --now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pdu", type=int, help="Only this PDU (id)")
        parser.add_argument("--now", action="store_true", help="Run it in this process, not on a worker")
        parser.add_argument("--batch-size", type=int, help="People per batch (default TIER_BATCH_SIZE)")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = f"PDU {options['pdu']}" if options["pdu"] else "everyone"
        job, created = jobs.start_job(
            TIER_JOB,
            label=f"Tier recalculation for {scope}, {timezone.localdate():%-d %b %Y}",
            params={"pdu_id": options["pdu"], "batch_size": options["batch_size"]},
            dedupe_key=f"{TIER_JOB}:command:{options['pdu'] or 'all'}",
            enqueue_task=not options["now"],
        )
        if not created:
            self.stdout.write(f"Joined the tier recalculation already under way: job {job.pk}")
            return
        if not options["now"]:
            self.stdout.write(self.style.SUCCESS(f"Queued: job {job.pk} (a worker runs it)"))
            return
        jobs.execute(job.pk)
        job = Job.objects.get(pk=job.pk)
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"Job {job.pk} {job.get_status_display().lower()}: {job.error}")
        result = job.result or {}
        checked, changed = result["checked"], result["changed"]
        self.stdout.write(f"{checked:,} of {checked:,} people checked")
        self.stdout.write(self.style.SUCCESS(f"Done: {changed:,} of {checked:,} tiers changed"))
