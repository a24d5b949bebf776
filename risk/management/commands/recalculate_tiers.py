"""Re-tiers people whose tier can change with the date alone (run nightly).

Some inputs age without any record changing: a lifer's release date moves from
"in the last year" to "in the last five years", a breach or recall drops out of
the last 12 months. Every person with an active event is recalculated; history
rows are only written where the result changed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from people.models import Person
from risk.services import recalculate_tier


class Command(BaseCommand):
    help = "Recalculate the tier of everyone with an active event (nightly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pdu", type=int, help="Only this PDU (id)")
        parser.add_argument("--report-every", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        people = Person.objects.filter(events__is_active=True).distinct().order_by("pk")
        if options["pdu"]:
            people = people.filter(pdu_id=options["pdu"])
        total = people.count()
        started = time.perf_counter()
        changed = 0
        for done, person in enumerate(people.iterator(chunk_size=2000), start=1):
            before = person.tier
            recalculate_tier(person=person, acting_user=None, trigger="Nightly recalculation")
            changed += person.tier != before
            if done % options["report_every"] == 0 or done == total:
                rate = done / (time.perf_counter() - started)
                self.stdout.write(
                    f"{done:,} of {total:,} people ({rate:,.0f} a second), {changed:,} tiers changed"
                )
        self.stdout.write(self.style.SUCCESS(f"Done: {changed:,} of {total:,} tiers changed"))
