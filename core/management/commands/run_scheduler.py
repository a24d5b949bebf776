"""The jobs' scheduler (ADR 21): every ``JOBS_SCHEDULER_SECONDS`` it reaps jobs whose
worker died (re-queued, or failed past their limit) and starts each periodic job once
per period (nightly tiers, the audit checkpoint). Run one beside the workers
(``manage.py db_worker``); a second one is harmless: the dedupe key turns a race into a
join, and reaping is conditional updates."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core import jobs


class Command(BaseCommand):
    help = "Reap jobs whose worker died and start periodic jobs once per period (runs until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then exit (for cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            reaped, started = jobs.tick()
            if any(reaped.values()) or started:
                self.stdout.write(
                    f"Scheduler: reaped {reaped}; started {', '.join(j.label for j in started) or 'nothing'}"
                )
            if options["once"] or not running:
                return
            deadline = time.monotonic() + settings.JOBS_SCHEDULER_SECONDS
            while running and time.monotonic() < deadline:
                time.sleep(0.5)
            if not running:
                return
