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
