"""Spam resistance for public forms (no sign-in): a hidden honeypot field that people
leave empty, and a signed timestamp that refuses forms sent back faster than a person
could read them, or more than a day later. Services add a per-address daily limit."""

from __future__ import annotations

import time as clock
from typing import Any

from django import forms
from django.core import signing

from core.limits import SHORT_TEXT_MAX

MIN_SECONDS_TO_FILL = 3  # faster than a person can read a form: a robot
MAX_SECONDS_TO_FILL = 86_400


class PublicFormMixin(forms.Form):
    salt = "public-form"
    refusal = "We could not accept this form"

    website = forms.CharField(
        required=False, max_length=SHORT_TEXT_MAX, label="Leave this field empty"
    )  # honeypot
    started = forms.CharField(widget=forms.HiddenInput, max_length=SHORT_TEXT_MAX)

    @classmethod
    def stamp(cls) -> str:
        return signing.dumps(int(clock.time()), salt=cls.salt)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(self.refusal)
        try:
            started = signing.loads(data.get("started", ""), salt=self.salt, max_age=MAX_SECONDS_TO_FILL)
        except signing.BadSignature as error:
            raise forms.ValidationError("This form has expired. Reload the page and try again") from error
        if clock.time() - started < MIN_SECONDS_TO_FILL:
            raise forms.ValidationError(f"{self.refusal}. Wait a moment and try again")
        return data
