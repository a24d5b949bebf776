"""Reads shared by every app's forms.

`core` holds no records of its own; this is the one read helper that is not about any
particular context.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def none_of(model: type[M]) -> QuerySet[M]:
    """An empty list of choices, for a form field whose real choices depend on the request
    (the form's __init__ fills them in from a scoped selector)."""
    return model._default_manager.none()
