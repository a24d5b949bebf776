from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from core.access import access_rule_of
from probation.api import api


def _callbacks(patterns: list[Any]) -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _callbacks(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            found.append((str(entry.pattern), entry.callback))
    return found


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [
        name for name, view in _callbacks(get_resolver().url_patterns) if access_rule_of(view) is None
    ]
    assert undeclared == []


def test_every_api_operation_declares_its_capability() -> None:
    undeclared = []
    for router_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if not getattr(operation.view_func, "api_access_declared", False):
                    undeclared.append(f"{router_prefix}{path} {operation.methods}")
    assert undeclared == []
    assert api.auth, "the API must require authentication by default"
