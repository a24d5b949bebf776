"""Running a service from a form: domain errors become GOV.UK form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from core.exceptions import StaleRecord, TransitionNotAllowed

T = TypeVar("T")


def run_service(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Calls ``action``; on a domain error records it on ``form`` and returns None."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
    except (StaleRecord, TransitionNotAllowed) as error:
        form.add_error(None, str(error))
    return None
