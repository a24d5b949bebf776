"""Loads the demo dataset and prints each demo user's sign-in details."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import dataset as demo


class Command(BaseCommand):
    help = "Create demo teams, staff, people and one user for each role (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-non-debug",
            action="store_true",
            help="Allow loading demo users when DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_non_debug"]:
            raise CommandError("Refusing to create demo users with DEBUG off.")
        created = demo.load_demo(seed=options["seed"])
        if not created:
            self.stdout.write("Demo data already loaded.")
            created = [*demo.DEMO_USERS, demo.COLLEAGUE]
        self.stdout.write(self.style.SUCCESS("Demo users (all share one password):"))
        for row in demo.describe(created):
            self.stdout.write(f"  {row['username']:<14} {row['role']:<30} password: {row['password']}")
