"""CSV exports never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from core.csv_safe import safe_cell, safe_writer


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_text_that_would_start_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Leeds", "a=b", " =x", "", 12, -3, 2.5, None])
def test_other_cells_are_left_alone(value: Any) -> None:
    """Numbers (including negative ones) stay numbers; only leading triggers matter."""
    assert safe_cell(value) == value


def test_writer_quotes_every_row() -> None:
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(["=cmd", "ok"])
    writer.writerows([["@x", -1]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=cmd", "ok"], ["'@x", "-1"]]
