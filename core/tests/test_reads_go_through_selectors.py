"""Reads go through selectors, everywhere (issue 10, point 5).

Views, API handlers and forms reach records only through an app's selectors.py, where the
scoping to the user lives. A `.objects` (or `._default_manager`) in those files is a read
that skipped the scoped selectors, so it could show a record to someone who may not see it;
so is `get_object_or_404(Model, ...)`, which reads the model's default manager.

Proved able to fail for the shortcut: with `get_object_or_404(Pdu, pk=pdu_id)` put back in
`organisation/api.py` the check named that line.
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]

# Attribute names that reach a model's manager directly.
MANAGER_ATTRIBUTES = {"objects", "_default_manager"}


def _local_apps() -> list[str]:
    """The project's own apps (those whose code lives in this repository)."""
    return sorted(a.name for a in apps.get_app_configs() if (ROOT / a.name).is_dir())


PRESENTATION_PACKAGES = {"views", "api", "forms"}


def _is_presentation_module(path: Path) -> bool:
    """Views, API handlers and forms: at the top of an app, in a sub-package of it, or
    split into a package of their own (``programmes/views/groups.py``)."""
    name = path.name
    return (
        name in {"views.py", "api.py", "forms.py"}
        or "views" in name
        or name.endswith(("_api.py", "_forms.py"))
        or path.parent.name in PRESENTATION_PACKAGES
    )


def _presentation_modules() -> list[Path]:
    found = []
    for app in _local_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if {"tests", "migrations"} & parts:
                continue
            if _is_presentation_module(path):
                found.append(path)
    return found


# Shortcuts that read a model's default manager when given the model class itself.
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def _model_class_shortcut(node: ast.AST) -> str | None:
    """``get_object_or_404(Pdu, ...)``: a read of every row, past the selectors."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = node.args[0].id
    return f"{name}({first}, ...)" if name in SHORTCUTS and first[:1].isupper() else None


def _manager_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES
    ]
    for node in ast.walk(tree):
        shortcut = _model_class_shortcut(node)
        if shortcut:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {shortcut}")
    return found


def test_views_api_and_forms_read_only_through_selectors() -> None:
    """No `.objects` / `._default_manager` in any views, API or forms module.

    Proved able to fail: putting `Region.objects.order_by("name")` back into
    organisation/api.py turns it red, naming organisation/api.py and the line."""
    offenders = [hit for path in _presentation_modules() for hit in _manager_reads(path)]
    assert not offenders, "read through the app's selectors.py instead:\n" + "\n".join(offenders)


def test_the_walk_finds_views_api_and_forms() -> None:
    """The check above would pass vacuously if the walk found nothing, or missed sub-packages."""
    found = {str(p.relative_to(ROOT)) for p in _presentation_modules()}
    assert "people/views.py" in found
    assert "commissioning/competitions/forms.py" in found
    assert "unpaid_work/plans_api.py" in found
    assert "programmes/api/pni.py" in found


# Apps with no pages, API or forms, so no reads to put behind a user's scope, with why.
NO_READS = {"demo": "loads demo and synthetic data and runs benchmarks; it shows nothing"}


def test_every_local_app_has_selectors() -> None:
    """Each app that shows anything has one home for its reads, so a view never needs to
    reach past it.

    Proved able to fail: before sentences/selectors.py existed it named sentences (and core)."""
    missing = [
        app
        for app in _local_apps()
        if app not in NO_READS
        and not (ROOT / app / "selectors.py").is_file()
        and not (ROOT / app / "selectors" / "__init__.py").is_file()
    ]
    assert not any((ROOT / app / name).exists() for app in NO_READS for name in ("views.py", "api.py"))
    assert not missing, f"add selectors.py to: {missing}"
