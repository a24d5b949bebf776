"""One source for each value (issue 10, point 7).

Status, role and sex values are defined once, as enums, and logic names the enum member
(`CompetitionStatus.DRAFT`, `Role.PROVIDER`, `Sex.FEMALE`), never the bare string. A bare
`"DRAFT"` in a comparison or a filter still works today, but it is invisible to a rename,
to "find usages" and to mypy: the day the value changes, the literal silently stops matching.

This test reads the code with `ast` (nothing is imported or run):

1. It collects the values of every status, role and sex enum: classes whose name ends in
   Status, Outcome, Role or Sex (or listed in EXTRA_ENUMS) and that derive from TextChoices
   or StrEnum, anywhere in the project's own non-test code.
2. It walks every non-test, non-migration module and fails on a string constant equal to one
   of those values when it is compared (`==`, `!=`, `in`, `not in`), passed to any call
   (filter, exclude, update, get, create, Q, a service, a bulk row ...), assigned, returned,
   or used as a dict key or value. Enum class bodies (any TextChoices or Enum) are where values live, so they are skipped.

Templates and API payload examples may keep strings; they are not Python logic.

Proved able to fail: putting `"DRAFT"` back in place of `CompetitionStatus.DRAFT` in
commissioning/competitions/api.py, and `"FEMALE"` in place of `Sex.FEMALE` in demo/dataset.py's
conditional, each turned it red naming the file and line; restored, green. Adding an "OTHER"
member to `people.constants.Sex` alone turned the derivation test red.
"""

import ast
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from django.apps import apps
from django.db import models

from accounts.models import ROLE_CHOICES
from core import roles
from people import constants as people_constants
from people import rules as people_rules
from referrals import constants as referral_constants
from referrals import rules as referral_rules
from unpaid_work import constants as upw_constants
from unpaid_work import rules as upw_rules

ROOT = Path(__file__).resolve().parents[2]

ENUM_SUFFIXES = ("Status", "Outcome", "Role", "Sex")
# Value sets that are statuses, roles or sexes in all but name.
EXTRA_ENUMS: set[str] = set()
ENUM_BASES = {"TextChoices", "StrEnum"}
# Any class with one of these bases is an enum definition: its body is where values live.
DEFINITION_BASES = ENUM_BASES | {"IntegerChoices", "Choices", "Enum", "IntEnum"}

# "path:line" entries that must stay strings, each with its reason. Keep it short.
ALLOWED: dict[str, str] = {}


def _local_apps() -> list[str]:
    """The project's own apps (those whose code lives in this repository)."""
    return sorted(a.name for a in apps.get_app_configs() if (ROOT / a.name).is_dir())


def _modules() -> list[Path]:
    found = []
    for app in _local_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            found.append(path)
    return found


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_value_enum(node: ast.ClassDef) -> bool:
    named = node.name.endswith(ENUM_SUFFIXES) or node.name in EXTRA_ENUMS
    return named and any(_base_name(b) in ENUM_BASES for b in node.bases)


def _enum_classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and _is_value_enum(node):
            yield node


def _member_value(stmt: ast.stmt) -> str | None:
    """`NAME = "VALUE", "Label"` or `NAME = "VALUE"` in an enum body gives "VALUE"."""
    if not isinstance(stmt, ast.Assign):
        return None
    value = stmt.value
    if isinstance(value, ast.Tuple) and value.elts:
        value = value.elts[0]
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def enum_values() -> set[str]:
    values: set[str] = set()
    for path in _modules():
        for cls in _enum_classes(_parse(path)):
            values.update(v for stmt in cls.body if (v := _member_value(stmt)) is not None)
    return values


def _strings(node: ast.AST | None) -> Iterator[ast.Constant]:
    """String constants in a value: itself, either branch of `a if c else b`, or inside a
    tuple/list/set (a call's own arguments are visited as the call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for elt in node.elts:
            yield from _strings(elt)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _definition_nodes(tree: ast.Module) -> set[int]:
    """Every node inside an enum class body: where values are defined, not used."""
    definitions = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef) and any(_base_name(b) in DEFINITION_BASES for b in n.bases)
    ]
    return {id(n) for cls in definitions for n in ast.walk(cls)}


def _uses(node: ast.AST) -> Iterator[tuple[ast.Constant, str]]:
    """The string constants one node uses in logic, with how they are used."""
    if isinstance(node, ast.Compare):
        for side in [node.left, *node.comparators]:
            yield from ((c, "comparison") for c in _strings(side))
    elif isinstance(node, ast.Call):
        name = _base_name(node.func)
        for arg in node.args:
            yield from ((c, f"{name}(...)") for c in _strings(arg))
        for kw in node.keywords:
            yield from ((c, f"{name}({kw.arg}=...)") for c in _strings(kw.value))
    elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Return):
        yield from ((c, type(node).__name__.lower()) for c in _strings(node.value))
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            yield from ((c, "dict entry") for c in [*_strings(key), *_strings(value)])


def _used_in_logic(tree: ast.Module) -> Iterator[tuple[ast.Constant, str]]:
    skip = _definition_nodes(tree)
    for node in ast.walk(tree):
        if id(node) not in skip:
            yield from _uses(node)


def bare_literals() -> list[str]:
    values = enum_values()
    found = []
    for path in _modules():
        for const, how in _used_in_logic(_parse(path)):
            where = f"{path.relative_to(ROOT)}:{const.lineno}"
            if const.value in values and where not in ALLOWED:
                found.append(f"{where} {const.value!r} in {how}")
    return sorted(set(found))


def test_status_role_and_sex_enums_are_found() -> None:
    """The scan is only as good as its list of values; make sure the known ones are in it."""
    values = enum_values()
    for value in ("MALE", "FEMALE", "PROVIDER", "DRAFT", "ACCEPTABLE_ABSENCE", "ATTENDED_COMPLIED"):
        assert value in values


def test_no_bare_status_role_or_sex_literals_in_logic() -> None:
    found = bare_literals()
    assert not found, "Use the enum member, not the bare string (issue 10, point 7):\n" + "\n".join(found)


def test_model_choices_take_their_values_from_the_pure_enums() -> None:
    """The rules layer holds the one list of values; the Django choices derive from it, so the
    two can never list different values (issue 10, point 7: "TextChoices derived from them")."""

    pairs: list[tuple[type[StrEnum], type[models.TextChoices]]] = [
        (people_rules.Sex, people_constants.Sex),
        (referral_rules.ReferralStatus, referral_constants.ReferralStatus),
        (upw_rules.SessionOutcome, upw_constants.SessionOutcome),
    ]
    for pure, choices in pairs:
        assert [m.value for m in pure] == list(choices.values), choices.__name__
    assert [m.value for m in roles.Role] == [value for value, _ in ROLE_CHOICES]
