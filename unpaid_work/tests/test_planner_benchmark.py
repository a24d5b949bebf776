from io import StringIO
from pathlib import Path

from django.core.management import call_command


def test_the_planner_benchmark_runs_and_records_its_figures(tmp_path: Path, settings) -> None:
    settings.BASE_DIR = tmp_path
    out = StringIO()
    call_command(
        "benchmark_upw_planner",
        "--people",
        "60",
        "--sessions",
        "12",
        "--pdus",
        "2",
        "--seconds",
        "5",
        "--write",
        "bench.md",
        stdout=out,
    )
    text = (tmp_path / "bench.md").read_text()
    assert (
        "hours booked" in out.getvalue() and "<!-- upw-planner:start -->" in text and "Region (2 PDUs" in text
    )
