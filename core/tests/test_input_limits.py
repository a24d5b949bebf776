"""Every text field has a maximum length and refuses NUL, on the pages and in the database model."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models
from pydantic import TypeAdapter, ValidationError

from core import api
from core.limits import NOTES_MAX
from supervision.forms import NoteForm

OUR_APPS = [
    "core",
    "accounts",
    "audit",
    "organisation",
    "people",
    "sentences",
    "risk",
    "supervision",
    "unpaid_work",
    "commissioning",
    "referrals",
]


def our_forms() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for app in OUR_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
        ]
    return found


def test_every_text_column_has_a_bounded_length() -> None:
    """Proved able to fail: before ADR 0015 ContactNote.text (and 29 other notes) had no limit."""
    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not (field.max_length and field.max_length <= NOTES_MAX)
    ]
    assert not unbounded


def test_every_text_input_on_a_page_has_a_bounded_length() -> None:
    """Proved able to fail: NoteForm.text had no max_length until this change."""
    forms_found = our_forms()
    assert len(forms_found) > 20
    unbounded = [
        f"{form.__name__}.{name}"
        for form in forms_found
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not (field.max_length and field.max_length <= NOTES_MAX)
    ]
    assert not unbounded


@pytest.mark.parametrize(("length", "valid"), [(NOTES_MAX, True), (NOTES_MAX + 1, False)])
def test_a_note_at_the_limit_is_accepted_and_one_beyond_refused(length: int, valid: bool) -> None:
    form = NoteForm({"text": "x" * length})
    assert form.is_valid() is valid
    if not valid:
        assert "text" in form.errors


def test_text_with_nul_is_refused_by_every_form_field() -> None:
    """Django's form CharField refuses NUL (ProhibitNullCharactersValidator) in every form,
    which is why the forms need no check of their own; this keeps that true."""
    form = NoteForm({"text": "a\x00b"})
    assert not form.is_valid() and "Null characters are not allowed" in str(form.errors["text"])


@pytest.mark.parametrize(("kind", "limit"), [("Text", NOTES_MAX), ("ShortText", 200)])
def test_the_shared_api_text_types_bound_length_and_refuse_nul(kind: str, limit: int) -> None:
    """``core.api.Text`` and ``ShortText`` are the annotated types for new API schemas."""

    adapter: TypeAdapter[str] = TypeAdapter(getattr(api, kind))
    assert adapter.validate_python("x" * limit) == "x" * limit
    for bad in ("x" * (limit + 1), "a\x00b"):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)
