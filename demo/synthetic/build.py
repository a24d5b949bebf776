"""What every stage of the synthetic generation shares: the seeded random source,
the scale, progress reporting and the facts about each person later stages need."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from demo.synthetic.bulk import load


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class Progress:
    """Reports each stage so a long load shows where it is."""

    report: Callable[[str], None]
    started: float = field(default_factory=time.perf_counter)

    def stage(self, name: str, rows: int) -> None:
        self.report(f"{time.perf_counter() - self.started:7.1f}s  {name}: {rows:,} rows")


@dataclass
class Scale:
    people: int = 240_000
    staff: int = 20_000
    appointments_per_person: int = 15
    history_years: int = 3


@dataclass
class Build:
    """What every stage of the generation shares."""

    rng: random.Random
    scale: Scale
    today: date
    progress: Progress
    counts: dict[str, int] = field(default_factory=dict)

    def load(self, name: str, model: type[Any], fields: list[str], rows: Any) -> None:
        self.counts[name] = load(model, fields, rows)
        self.progress.stage(name, self.counts[name])


@dataclass
class PersonFacts:
    pk: int
    sex: str
    pdu: int
    practitioner: int | None
    active_event: int | None = None
