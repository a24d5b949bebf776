"""Loads (or refreshes) the real 2021-2026 Dynamic Framework contracts shipped with
the product. Idempotent: existing contracts are updated by reference."""

from typing import Any

from django.core.management.base import BaseCommand

from commissioning.reference_data.loader import load_framework_contracts


class Command(BaseCommand):
    help = "Load the 196 real Dynamic Framework contracts (2021-2026)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_framework_contracts()
        self.stdout.write(f"{created} new contracts loaded")
