"""Form fields shared across apps, with GOV.UK wording for their errors."""

from __future__ import annotations

from typing import Any

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y"]


def date_field(
    label: str, *, required: bool = True, help_text: str = "For example, 27/3/2026", **kwargs: Any
) -> forms.DateField:
    name = label[0].lower() + label[1:]
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"Enter the {name} as a real date, like 27/3/2026",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        **kwargs,
    )


def number_field(
    label: str,
    *,
    required: bool = True,
    min_value: int | None = None,
    max_value: int | None = None,
    **kwargs: Any,
) -> forms.IntegerField:
    name = label[0].lower() + label[1:]
    messages = {"required": f"Enter the {name}", "invalid": f"The {name} must be a whole number"}
    if min_value is not None:
        messages["min_value"] = f"The {name} must be {min_value} or more"
    if max_value is not None:
        messages["max_value"] = f"The {name} must be {max_value} or less"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages=messages,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        **kwargs,
    )


def decimal_field(label: str, *, required: bool = False, **kwargs: Any) -> forms.DecimalField:
    name = label[0].lower() + label[1:]
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        decimal_places=2,
        error_messages={
            "invalid": f"The {name} must be a number",
            "min_value": f"The {name} must be 0 or more",
            "max_value": f"The {name} must be 100 or less",
            "max_decimal_places": f"The {name} can have at most 2 decimal places",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        **kwargs,
    )


def money_field(label: str, *, max_digits: int = 14) -> forms.DecimalField:
    """An amount in pounds (pence allowed), never negative."""
    name = label.lower()
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=max_digits,
        decimal_places=2,
        help_text="In pounds",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={"required": f"Enter the {name}", "invalid": f"Enter the {name} in pounds"},
    )
