"""Switch this host's web processes to read-only mode, or back (ADR 22).

The switch is a file (``READ_ONLY_FLAG_FILE``), not a database row: it must work when
the database is the reason for switching, and every request checks it, so no restart
or deploy is needed. With several hosts, run it on each (or point the setting at a
shared volume).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import outages


class Command(BaseCommand):
    help = "Switch read-only mode on or off (a flag file every request checks), or show it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("state", choices=["on", "off", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        flag = Path(settings.READ_ONLY_FLAG_FILE)
        state = options["state"]
        if state == "on":
            flag.parent.mkdir(parents=True, exist_ok=True)
            flag.touch()
        elif state == "off":
            flag.unlink(missing_ok=True)
            if settings.READ_ONLY:
                raise CommandError(
                    "The flag file is removed, but READ_ONLY=true still holds until it is unset."
                )
        self.stdout.write(self._status(flag))

    def _status(self, flag: Path) -> str:
        if settings.READ_ONLY:
            return "read-only (READ_ONLY=true)"
        if flag.exists():
            return f"read-only (flag file {flag})"
        if outages.database_refusing_writes():
            return "read-only (the database refused a write)"
        return "writable"
