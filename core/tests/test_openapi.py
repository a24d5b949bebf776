"""The OpenAPI document is true: every schema name is unique, so each documented body
is the one the operation accepts (ninja names components by class name, and a second
class with the same name silently replaces the first in the document)."""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from probation.api import api


def _models_in(annotation: Any, seen: set[type[BaseModel]]) -> None:
    """Every pydantic model reachable from a type annotation (lists, unions, nested fields)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            _models_in(argument, seen)


def api_models() -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, seen)
                for response in (operation.response_models or {}).values():
                    _models_in(response, seen)
    return seen


def test_every_schema_used_by_the_api_has_a_unique_name() -> None:
    """Proved able to fail: before the renames, AssessmentIn (referrals, risk, unpaid work),
    BookingIn and SessionOut (referrals, unpaid work) each named two different bodies."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in api_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    duplicates = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
    assert not duplicates


def test_the_walk_finds_the_operations_bodies() -> None:
    """The uniqueness test means something only if it sees the request and response bodies."""
    names = {model.__name__ for model in api_models()}
    assert {"NoteIn", "NoteOut", "EventIn", "SentenceIn"} <= names


def test_each_documented_body_has_the_fields_of_its_class() -> None:
    """Each component in the document lists exactly the fields of the class of that name.

    Proved able to fail: with the three AssessmentIn classes, the one component named
    AssessmentIn described only one of them."""
    components = api.get_openapi_schema()["components"]["schemas"]
    checked = 0
    for model in api_models():
        documented = components.get(model.__name__)
        if documented is None or "properties" not in documented:
            continue
        names = set(model.model_fields)
        aliases = {field.alias or name for name, field in model.model_fields.items()}
        # An output schema documents its field names; an input schema may document aliases.
        assert set(documented["properties"]) in (names, aliases), model.__name__
        checked += 1
    assert checked > 50
