"""Synthetic teams and staff for every PDU, in realistic grade proportions."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from demo.synthetic.build import Build, _pick
from demo.synthetic.bulk import IdBlock
from demo.synthetic.names import FIRST_NAMES, LAST_NAMES
from organisation.constants import Grade
from organisation.models import Pdu, Staff, Team

TEAMS_PER_PDU = 6


def _teams(build: Build, pdus: list[Pdu]) -> dict[int, list[int]]:
    ids = IdBlock(Team)
    rows: list[tuple[Any, ...]] = []
    teams_by_pdu: dict[int, list[int]] = {}
    for pdu in pdus:
        for n in range(TEAMS_PER_PDU):
            tid = ids.take()
            rows.append((tid, f"P{pdu.pk:03d}T{n + 1}-{tid}", f"{pdu.name} team {n + 1}", pdu.pk, 1))
            teams_by_pdu.setdefault(pdu.pk, []).append(tid)
    build.load("teams", Team, ["id", "code", "name", "pdu", "version"], rows)
    return teams_by_pdu


STAFF_GRADES: list[tuple[str, int]] = [
    (Grade.PO, 30),
    (Grade.PSO, 32),
    (Grade.PQIP, 8),
    (Grade.SPO, 6),
    (Grade.CASE_ADMINISTRATOR, 12),
    (Grade.UPW_SUPERVISOR, 6),
    (Grade.FACILITATOR, 4),
    (Grade.TREATMENT_MANAGER, 2),
]
CASE_HOLDING_GRADES = frozenset({Grade.PO, Grade.PSO, Grade.PQIP})


def _staff(build: Build, teams_by_pdu: dict[int, list[int]]) -> dict[int, list[int]]:
    rng, ids = build.rng, IdBlock(Staff)
    team_pdu = {team: pdu for pdu, teams in teams_by_pdu.items() for team in teams}
    all_teams = list(team_pdu)
    staff_by_team: dict[int, list[int]] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for _ in range(build.scale.staff):
            sid, team, grade = ids.take(), rng.choice(all_teams), _pick(rng, STAFF_GRADES)
            hours = Decimal("37.0") if rng.random() < 0.8 else Decimal(rng.choice(["18.5", "22.5", "30.0"]))
            if grade in CASE_HOLDING_GRADES:
                staff_by_team.setdefault(team, []).append(sid)
            yield (
                sid,
                f"S{sid:07d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                grade,
                hours,
                team_pdu[team],
                team,
                1,
            )

    fields = [
        "id",
        "staff_code",
        "forename",
        "surname",
        "grade",
        "contracted_hours",
        "pdu",
        "team",
        "version",
    ]
    build.load("staff", Staff, fields, rows())
    return staff_by_team
