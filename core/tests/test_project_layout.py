"""Guards on the project's shape, so nothing silently drops out of CI."""

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def test_every_local_app_is_in_the_test_paths() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    local = {a.name for a in apps.get_app_configs() if (ROOT / a.name).is_dir()}
    assert local <= testpaths, f"add {sorted(local - testpaths)} to testpaths"
    for name in local:
        assert (ROOT / name / "tests").is_dir(), f"{name} has no tests folder"


# A module longer than this no longer reads in one sitting: split it by responsibility.
MAX_MODULE_LINES = 600

# Modules allowed to stay longer, each with the reason. Empty today: keep it that way
# unless a split would hurt more than it helps, and say why here.
LONG_MODULES_ALLOWED: dict[str, str] = {}

# Folders that are not our code (tools, installed packages, built assets).
NOT_OUR_CODE = {"node_modules", "static", "staticfiles", "__pycache__"}


def _our_modules() -> list[Path]:
    """Every Python module we wrote, except tests and migrations (which are long by nature:
    a test file reads as a list of cases, a migration is generated)."""
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if any(p.startswith(".") or p in NOT_OUR_CODE for p in parts):
            continue
        if {"tests", "migrations", "browser_tests"} & set(parts) or path.name == "conftest.py":
            continue
        found.append(path)
    return found


def test_no_module_is_longer_than_one_sitting() -> None:
    """Proved able to fail: with MAX_MODULE_LINES at 500 it turns red naming risk/tiering.py,
    unpaid_work/views.py and commissioning/competitions/services.py."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _our_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    unexplained = {name: lines for name, lines in too_long.items() if name not in LONG_MODULES_ALLOWED}
    assert not unexplained, f"split these by responsibility (or allow-list with a reason): {unexplained}"
    stale = set(LONG_MODULES_ALLOWED) - set(too_long)
    assert not stale, f"no longer too long, drop from LONG_MODULES_ALLOWED: {sorted(stale)}"


def test_the_module_walk_finds_our_code() -> None:
    """The size check above would pass vacuously if the walk found nothing."""
    names = {str(path.relative_to(ROOT)) for path in _our_modules()}
    assert {"unpaid_work/services/bookings.py", "demo/synthetic/national.py", "commissioning/api.py"} <= names
    assert not any("/tests/" in name or "/migrations/" in name for name in names)
