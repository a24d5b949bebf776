"""Latency of the main sentence-management pages and API calls on the loaded data.

Run on PostgreSQL after ``generate_national_caseload``. Requests go through the
whole Django stack in-process (middleware, access checks, audit, templates), so
the figures are server time without network. Results are printed and recorded
in docs/benchmarks.md.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User, UserRole
from core.roles import DEFAULT_SCOPE, Role
from demo.benchmarks import record_section
from organisation.models import Staff
from people.models import Person
from risk.services import recalculate_tier
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType
from supervision.models import Appointment


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Sampler:
    """Signed-in practitioners and the requests the benchmark makes as them."""

    def __init__(self, rng: random.Random, users: list[User]) -> None:
        self.rng = rng
        self.clients: list[tuple[Client, User]] = []
        for user in users:
            client = Client()
            client.force_login(user)
            self.clients.append((client, user))
        self.caseloads = {
            u.pk: list(Person.objects.filter(practitioner=u.staff_id).values_list("crn", "last_name")[:50])
            for u in users
        }

    def _pick(self, i: int) -> tuple[Client, str, str]:
        client, user = self.clients[i % len(self.clients)]
        crn, surname = self.rng.choice(self.caseloads[user.pk])
        return client, crn, surname

    @staticmethod
    def _check(response: Any) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} from {response.wsgi_request.path}")

    def overview(self, i: int) -> None:
        client, crn, _ = self._pick(i)
        self._check(client.get(f"/cases/{crn}/"))

    def my_caseload(self, i: int) -> None:
        self._check(self.clients[i % len(self.clients)][0].get("/cases/"))

    def team_by_tier(self, i: int) -> None:
        self._check(self.clients[i % len(self.clients)][0].get("/cases/?sort=tier"))

    def search_name(self, i: int) -> None:
        client, _, surname = self._pick(i)
        self._check(client.get(f"/api/v1/people?q={surname}"))

    def search_crn(self, i: int) -> None:
        client, crn, _ = self._pick(i)
        self._check(client.get(f"/api/v1/people?q={crn}"))


class Command(BaseCommand):
    help = "Measure p50/p95 of overview, caseload, search and recording an outcome, and tier recalculation throughput."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--samples", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--write", default="docs/benchmarks.md", help="File to record results in ('' to skip)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            self._run(options)

    def _users(self, rng: random.Random, count: int) -> list[User]:
        staff = list(
            Staff.objects.filter(grade__in=["PO", "PSO"], caseload__isnull=False, team__isnull=False)
            .distinct()
            .order_by("pk")[:2000]
        )
        chosen = rng.sample(staff, min(count, len(staff)))
        users = []
        for member in chosen:
            user, created = User.objects.get_or_create(
                username=f"bench.{member.staff_code.lower()}",
                defaults={"scope_level": DEFAULT_SCOPE[Role.PRACTITIONER].value, "staff": member},
            )
            if created:
                UserRole.objects.create(user=user, role=Role.PRACTITIONER)
            users.append(user)
        return users

    def _time(self, label: str, samples: int, call: Callable[[int], Any]) -> dict[str, Any]:
        for i in range(5):
            call(i)  # warm caches and connections
        timings = []
        for i in range(samples):
            started = time.perf_counter()
            call(i)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call(samples)
        result = {
            "label": label,
            "p50": statistics.median(timings),
            "p95": _percentile(timings, 0.95),
            "queries": len(queries.captured_queries),
            "n": samples,
        }
        self.stdout.write(
            f"{label:<32} p50 {result['p50']:6.1f} ms   p95 {result['p95']:6.1f} ms   {result['queries']} queries"
        )
        return result

    def _run(self, options: dict[str, Any]) -> None:
        rng = random.Random(options["seed"])
        samples = options["samples"]
        users = self._users(rng, 20)
        if not users:
            self.stderr.write("No practitioners with caseloads: run generate_national_caseload first.")
            return
        sampler = Sampler(rng, users)
        people_count = Person.objects.count()
        self.stdout.write(
            f"Dataset: {people_count:,} people, {Appointment.objects.count():,} appointments, {connection.vendor}"
        )
        results = [
            self._time("Person overview page", samples, sampler.overview),
            self._time("Caseload page (my caseload)", samples, sampler.my_caseload),
            self._time("Caseload page (team, by tier)", samples, sampler.team_by_tier),
            self._time("Search by name (API)", samples, sampler.search_name),
            self._time("Search by CRN (API)", samples, sampler.search_crn),
            self._outcomes(sampler.clients, samples),
            self._tiers(min(samples * 2, 1000)),
        ]
        if options["write"]:
            self._record(Path(settings.BASE_DIR) / options["write"], results, people_count, samples)

    def _outcomes(self, clients: list[tuple[Client, User]], samples: int) -> dict[str, Any]:
        """Books past appointments (untimed) and times recording their outcome through the API."""

        prepared = []
        for i in range(samples + 6):
            client, user = clients[i % len(clients)]
            caseload = list(Person.objects.filter(practitioner=user.staff_id).order_by("pk")[:40])
            person = caseload[i % len(caseload)]
            start = timezone.now() - timedelta(days=1, minutes=i)
            appointment = services.book_appointment(
                acting_user=user,
                person=person,
                type=AppointmentType.SUPERVISION,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                practitioner=user.staff,  # type: ignore[arg-type]  # benchmark users always have staff
            )
            prepared.append((client, person.crn, appointment.pk))

        def record(i: int) -> None:
            client, crn, appointment_id = prepared[i]
            response = client.post(
                f"/api/v1/people/{crn}/appointments/{appointment_id}/outcome",
                {"outcome": AppointmentOutcome.ATTENDED_COMPLIED, "notes": "Benchmark"},
                content_type="application/json",
            )
            if response.status_code != 200:
                raise RuntimeError(response.content)

        return self._time("Record an outcome (API)", samples, record)

    def _tiers(self, count: int) -> dict[str, Any]:
        people = (
            list(Person.objects.order_by("?")[:count])
            if connection.vendor != "postgresql"
            else list(
                Person.objects.raw("SELECT * FROM people_person TABLESAMPLE SYSTEM (1) LIMIT %s", [count])
            )
        )
        started = time.perf_counter()
        for person in people:
            recalculate_tier(person=person, acting_user=None, trigger="Benchmark")
        seconds = time.perf_counter() - started
        rate = len(people) / seconds if seconds else 0.0
        self.stdout.write(f"{'Tier recalculation':<32} {rate:,.0f} people a second ({len(people)} people)")
        return {"label": "Tier recalculation", "rate": rate, "n": len(people)}

    def _record(self, path: Path, results: list[dict[str, Any]], people: int, samples: int) -> None:
        lines = [
            f"Measured {timezone.localdate():%-d %B %Y} on {connection.vendor} with {people:,} people, "
            f"{samples} samples each, 2 cores. Command: `python manage.py benchmark_sentence_management`.",
            "",
            "| measure | p50 | p95 | queries | target |",
            "|---|---|---|---|---|",
        ]
        targets = {"Search by name (API)": "p95 < 50 ms", "Search by CRN (API)": "p95 < 50 ms"}
        for r in results:
            if "rate" in r:
                lines.append(f"| {r['label']} | {r['rate']:,.0f} people/s | | | |")
            else:
                lines.append(
                    f"| {r['label']} | {r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['queries']} | {targets.get(r['label'], 'p95 < 100 ms')} |"
                )
        record_section(path, "sentence-management", "Sentence management", lines)
        self.stdout.write(f"Recorded in {path}")
