"""Generates the synthetic national caseload (deterministic from --seed)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from demo.synthetic.build import Scale
from demo.synthetic.national import generate


class Command(BaseCommand):
    help = "Bulk-load a realistic synthetic national caseload (about 240,000 people by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=240_000)
        parser.add_argument("--staff", type=int, default=20_000)
        parser.add_argument("--appointments-per-person", type=int, default=15)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Anchor date (YYYY-MM-DD); default today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = Scale(
            people=options["people"],
            staff=options["staff"],
            appointments_per_person=options["appointments_per_person"],
        )
        started = time.perf_counter()
        with transaction.atomic():
            counts = generate(
                scale=scale,
                seed=options["seed"],
                today=options["today"] or date.today(),
                report=self.stdout.write,
            )
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {total:,} rows in {time.perf_counter() - started:.1f}s")
        )
