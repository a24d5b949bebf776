"""A realistic synthetic national caseload, deterministic from a seed.

About 240,000 people across the 108 real PDUs (OMSQ: 240,362 under supervision
at 31 December 2024), about 20,000 staff (HMPPS workforce: 20,555 FTE), a mix of
community orders, suspended sentences and licences, requirements, risk
assessments, registrations, tiers computed by the real rules, and years of
appointment history with outcomes, warnings and breaches.

Everything is written with ``demo.synthetic.bulk`` (COPY on PostgreSQL), so the
full national set loads in minutes. The same code at a small scale builds test
and demo data.

The stages live beside this module, one per kind of record (workforce, people,
sentencing, appointments); this module only runs them in order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from demo.synthetic.appointments import _appointments
from demo.synthetic.build import Build, Progress, Scale
from demo.synthetic.bulk import reset_sequences
from demo.synthetic.people import _people
from demo.synthetic.sentencing import _sentences_and_risk
from demo.synthetic.workforce import _staff, _teams
from organisation.models import Office, Pdu, Staff, Team
from people.models import Person
from risk.models import EnforcementRecord, Registration, RiskAssessment, TierCalculation
from sentences.models import Event, Offence, Requirement, Sentence
from supervision.models import Appointment, Breach, Warning


def generate(
    *, scale: Scale, seed: int, today: date, report: Callable[[str], None] = print
) -> dict[str, int]:
    build = Build(rng=random.Random(seed), scale=scale, today=today, progress=Progress(report))
    pdus = list(Pdu.objects.active().order_by("pk"))
    offices = {p.pk: list(Office.objects.active().filter(pdu=p).values_list("pk", flat=True)) for p in pdus}
    teams_by_pdu = _teams(build, pdus)
    staff_by_team = _staff(build, teams_by_pdu)
    people = _people(build, pdus, teams_by_pdu, staff_by_team)
    _sentences_and_risk(build, people)
    _appointments(build, people, offices)
    reset_sequences(
        Team,
        Staff,
        Person,
        Event,
        Offence,
        Sentence,
        Requirement,
        RiskAssessment,
        Registration,
        TierCalculation,
        Appointment,
        Warning,
        Breach,
        EnforcementRecord,
    )
    return build.counts
