"""Synthetic people: identities, addresses and who supervises them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from demo.synthetic.build import Build, PersonFacts, _pick
from demo.synthetic.bulk import IdBlock
from demo.synthetic.names import FIRST_NAMES, LAST_NAMES
from organisation.models import Pdu
from people.models import Person
from people.rules import Sex, soundex

ETHNICITIES = [
    ("W_BRITISH", 70),
    ("W_OTHER", 6),
    ("B_CARIBBEAN", 4),
    ("B_AFRICAN", 3),
    ("A_PAKISTANI", 3),
    ("A_INDIAN", 1),
    ("A_BANGLADESHI", 1),
    ("M_WHITE_BLACK_CARIBBEAN", 3),
    ("O_OTHER", 2),
    ("NOT_RECORDED", 7),
]


PERSON_FIELDS = [
    "id",
    "crn",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "pnc_number",
    "sex",
    "gender_identity",
    "ethnicity",
    "disability",
    "disability_details",
    "religion",
    "sexual_orientation",
    "first_name_key",
    "last_name_key",
    "phone",
    "email",
    "pdu",
    "team",
    "practitioner",
    "is_restricted",
    "tier",
    "tier_provisional",
    "legacy_tier",
    "rosh",
    "created_at",
    "version",
]


def _people(
    build: Build, pdus: list[Pdu], teams_by_pdu: dict[int, list[int]], staff_by_team: dict[int, list[int]]
) -> list[PersonFacts]:
    rng, today, ids = build.rng, build.today, IdBlock(Person)
    used_crns = set(Person.objects.values_list("crn", flat=True))
    weights = [1.0 + rng.random() for _ in pdus]
    facts: list[PersonFacts] = []
    now = datetime.now(UTC)

    def new_crn() -> str:
        while True:
            crn = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.randrange(1_000_000):06d}"
            if crn not in used_crns:
                used_crns.add(crn)
                return crn

    def rows() -> Iterator[tuple[Any, ...]]:
        for _ in range(build.scale.people):
            pk, crn = ids.take(), new_crn()
            pdu = rng.choices(pdus, weights=weights)[0]
            team = rng.choice(teams_by_pdu[pdu.pk])
            candidates = staff_by_team.get(team, [])
            practitioner = rng.choice(candidates) if candidates and rng.random() < 0.94 else None
            sex = Sex.FEMALE if rng.random() < 0.12 else Sex.MALE
            born = today - timedelta(days=rng.randrange(18 * 365, 70 * 365))
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            facts.append(PersonFacts(pk, sex, pdu.pk, practitioner))
            yield (
                pk,
                crn,
                first,
                "",
                last,
                born,
                "",
                sex,
                "NOT_RECORDED",
                _pick(rng, ETHNICITIES),
                "NOT_RECORDED",
                "",
                "NOT_RECORDED",
                "NOT_RECORDED",
                soundex(first),
                soundex(last),
                "",
                "",
                pdu.pk,
                team if practitioner else None,
                practitioner,
                False,
                "",
                False,
                "",
                "",
                now,
                1,
            )

    build.load("people", Person, PERSON_FIELDS, rows())
    return facts
