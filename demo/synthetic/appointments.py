"""Synthetic supervision appointments over the history years, with outcomes,
warnings and breaches following the statutory enforcement rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from accounts.models import User, UserRole
from core.roles import Role
from demo.synthetic.build import Build, PersonFacts, _pick
from demo.synthetic.bulk import IdBlock
from risk.constants import EnforcementKind
from risk.models import EnforcementRecord
from supervision.constants import AppointmentOutcome, BreachStatus, CourtOutcome
from supervision.models import Appointment, Breach, Warning

OUTCOMES: list[tuple[str, int]] = [
    (AppointmentOutcome.ATTENDED_COMPLIED, 84),
    (AppointmentOutcome.ACCEPTABLE_ABSENCE, 7),
    (AppointmentOutcome.UNACCEPTABLE_ABSENCE, 6),
    (AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY, 3),
]


APPOINTMENT_FIELDS = [
    "id",
    "person",
    "event",
    "type",
    "starts_at",
    "ends_at",
    "office",
    "practitioner",
    "outcome",
    "absence_reason",
    "outcome_notes",
    "outcome_recorded_at",
    "version",
]
ENFORCEABLE = frozenset(
    {AppointmentOutcome.UNACCEPTABLE_ABSENCE, AppointmentOutcome.ATTENDED_FAILED_TO_COMPLY}
)
UPCOMING_PER_PERSON = 2


def _appointments(build: Build, people: list[PersonFacts], offices: dict[int, list[int]]) -> None:
    """Years of supervision appointments with outcomes; enforceable failures get a warning,
    or, within 12 months of one, a concluded breach (as the law requires)."""
    rng, today = build.rng, build.today
    ids, warning_ids, breach_ids = IdBlock(Appointment), IdBlock(Warning), IdBlock(Breach)
    warnings: list[tuple[Any, ...]] = []
    breaches: list[tuple[Any, ...]] = []
    history_start = today - relativedelta(years=build.scale.history_years)
    span = (today - history_start).days

    def rows() -> Iterator[tuple[Any, ...]]:
        for person in people:
            if person.practitioner is None:
                continue
            office_choices: list[int | None] = [*offices.get(person.pdu, [])] or [None]
            count = max(UPCOMING_PER_PERSON + 1, int(rng.gauss(build.scale.appointments_per_person, 4)))
            days = sorted(
                history_start + timedelta(days=rng.randrange(span))
                for _ in range(count - UPCOMING_PER_PERSON)
            )
            days += [today + timedelta(days=rng.randrange(1, 28)) for _ in range(UPCOMING_PER_PERSON)]
            last_warning: date | None = None
            for day in days:
                starts = datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.choice([9, 10, 11, 13, 14, 15]),
                    rng.choice([0, 30]),
                    tzinfo=UTC,
                )
                past = day <= today
                outcome = _pick(rng, OUTCOMES) if past and rng.random() > 0.01 else ""
                aid = ids.take()
                yield (
                    aid,
                    person.pk,
                    person.active_event,
                    "SUPERVISION",
                    starts,
                    starts + timedelta(hours=1),
                    rng.choice(office_choices),
                    person.practitioner,
                    outcome,
                    "MEDICAL" if outcome == AppointmentOutcome.ACCEPTABLE_ABSENCE else "",
                    "",
                    starts if outcome else None,
                    1,
                )
                if outcome not in ENFORCEABLE:
                    continue
                if last_warning is None or day >= last_warning + relativedelta(months=12):
                    warnings.append(
                        (
                            warning_ids.take(),
                            person.pk,
                            person.active_event,
                            aid,
                            day,
                            "Failed without a reasonable excuse",
                        )
                    )
                    last_warning = day
                else:
                    presented = min(day + timedelta(days=rng.randrange(3, 20)), today)  # never in the future
                    breaches.append(
                        (
                            breach_ids.take(),
                            person.pk,
                            person.active_event,
                            aid,
                            BreachStatus.CONCLUDED,
                            day,
                            day,
                            day,
                            presented,
                            presented,
                            CourtOutcome.CONTINUED,
                            "Second unacceptable failure within 12 months",
                            "",
                            1,
                        )
                    )

    build.load("appointments", Appointment, APPOINTMENT_FIELDS, rows())
    # Warnings record who gave them: an inactive service account stands in for the synthetic staff.
    author, created = User.objects.get_or_create(
        username="synthetic.loader", defaults={"is_active": False, "password": "!"}
    )
    if created:
        UserRole.objects.create(user=author, role=Role.PRACTITIONER)
    build.load(
        "warnings",
        Warning,
        ["id", "person", "event", "appointment", "given_on", "circumstances", "given_by"],
        [(*w, author.pk) for w in warnings],
    )
    breach_fields = [
        "id",
        "person",
        "event",
        "appointment",
        "status",
        "aware_on",
        "requested_on",
        "actioned_on",
        "presented_on",
        "concluded_on",
        "court_outcome",
        "reason",
        "withdrawn_reason",
        "version",
    ]
    build.load("breaches", Breach, breach_fields, breaches)
    # The tier's own record of each breach, as risk's handler of BreachRequested writes it.
    records = IdBlock(EnforcementRecord)
    build.load(
        "enforcement records",
        EnforcementRecord,
        ["id", "person", "event", "kind", "occurred_on", "source"],
        [(records.take(), b[1], b[2], EnforcementKind.BREACH, b[6], f"breach:{b[0]}") for b in breaches],
    )
