"""Running a service from a form: domain errors become GOV.UK form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from core.exceptions import StaleRecord, TransitionNotAllowed

T = TypeVar("T")

OUT_OF_DATE = "This page is out of date: reload it to see the latest version, then make your change again."


def version_field() -> forms.IntegerField:
    """The hidden version a change form carries, so a stale save is refused, never silently applied."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


def carry_version(form: forms.Form, record: Any) -> None:
    """Adds the required hidden version to a form built elsewhere (a step table's form),
    showing the version of ``record`` the page was loaded at."""
    form.fields["version"] = version_field()
    form.initial["version"] = record.version


class VersionedForm(forms.Form):
    """Carries the record version the user saw (required): optimistic concurrency on every edit page."""

    version = version_field()


def run_service(
    form: forms.Form, action: Callable[[], T], field_for: Callable[[str], str | None] | None = None
) -> T | None:
    """Calls ``action``; on a domain error records it on ``form`` and returns None.

    ``field_for`` maps a service's field path (``requirements.0.hours``) to a form
    field, so the GOV.UK error summary links to the right input.
    """
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field_for(field) if field_for else field
                form.add_error(target if target in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
    except (StaleRecord, TransitionNotAllowed) as error:
        form.add_error(None, str(error))
    return None
