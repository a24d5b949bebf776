"""The layers hold beyond imports: no app sits outside them, and no lower layer reads a
higher layer's tables through a reverse relation (``person.breaches`` in risk was one),
which import-linter cannot see because it needs no import.

The layer order is read from import-linter's contract in ``pyproject.toml``, the one
place it is written."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
# Calls whose string arguments are ORM paths (``select_related("breaches")``).
QUERY_CALLS = {
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "order_by",
    "only",
    "defer",
    "F",
    "Prefetch",
    "Count",
    "Sum",
    "Max",
    "Min",
    "OuterRef",
}


def layer_rank() -> dict[str, int]:
    """Each app's layer, 0 at the bottom; siblings share a rank."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    rank: dict[str, int] = {}
    for index, layer in enumerate(reversed(contract["layers"])):
        for name in re.split(r"[|:]", layer):
            rank[name.strip()] = index
    return rank


def test_every_app_of_ours_is_in_a_layer() -> None:
    rank = layer_rank()
    ours = {a.name for a in apps.get_app_configs() if (ROOT / a.name).is_dir()}
    assert ours - set(rank) == set(), "add the new app to the layers in pyproject.toml"


def _names_out_of_reach() -> dict[str, dict[str, str]]:
    """For each app, the reverse accessors and query names it must not use: those of
    relations held by a model in a layer above it, on a model in its own layer or below
    (the only models it can hold)."""
    rank = layer_rank()
    hidden: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        for rel in model._meta.related_objects:
            holder = rel.related_model._meta.app_label
            if rel.hidden or holder not in rank:
                continue
            target = model._meta.app_label
            names = {n for n in (rel.get_accessor_name(), rel.field.related_query_name()) if n}
            for app, r in rank.items():
                if rank.get(target, r + 1) <= r < rank[holder]:
                    for name in names:
                        hidden.setdefault(app, {})[name] = f"{holder}.{rel.related_model.__name__}"
    return hidden


def _path_of(text: str) -> str:
    return text.lstrip("-").split("__")[0]


def _call_reads(node: ast.Call, names: dict[str, str]) -> list[tuple[int, str]]:
    found = [
        (node.lineno, kw.arg)
        for kw in node.keywords
        if kw.arg and "__" in kw.arg and _path_of(kw.arg) in names
    ]
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called in QUERY_CALLS:
        found += [
            (node.lineno, arg.value)
            for arg in node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _path_of(arg.value) in names
        ]
    return found


def _reads(tree: ast.AST, names: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            if not (isinstance(node.value, ast.Name) and node.value.id == "request"):
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Call):
            found += _call_reads(node, names)
    return found


def test_no_lower_layer_reads_a_higher_layers_tables_through_a_reverse_relation() -> None:
    """Proved able to fail: ``person.breaches.all()`` added to ``people/overview.py``
    was reported as ``people/overview.py:73: breaches (supervision.Breach)``."""
    problems = []
    for app, names in _names_out_of_reach().items():
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            for line, what in _reads(ast.parse(path.read_text()), names):
                holder = names[_path_of(what)]
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what} ({holder})")
    assert problems == [], "publish an event or register a contribution instead:\n" + "\n".join(problems)
