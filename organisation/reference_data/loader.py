"""Reads the geography CSVs shipped in this folder (used by the data migration)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rows(name: str) -> Iterator[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def as_bool(value: str) -> bool:
    return value.strip().lower() == "true"
