"""Dates of things that have already happened: decisions, court outcomes, assessments.

A warning, a breach step, a court's decision or a completed assessment is a fact
about the past; a date after today can only be a typing mistake, and accepting it
would, for example, keep a warning "live" for longer than the law allows.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone


def refuse_future(field: str, day: date | None, what: str) -> None:
    """Raises a field error naming ``what`` when ``day`` is after today (local time).

    Today itself is allowed; ``None`` (not given) is left to the caller.
    """
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})
