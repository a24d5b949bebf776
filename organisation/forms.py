from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.forms import VersionedForm
from core.selectors import none_of
from organisation import selectors
from organisation.constants import Grade
from organisation.models import Office, Pdu, Team


class PduForm(VersionedForm):
    name = forms.CharField(
        label="PDU name", max_length=120, error_messages={"required": "Enter the PDU name"}
    )


class NewPduForm(PduForm):
    region = forms.ModelChoiceField(
        label="Region",
        queryset=selectors.regions(),
        empty_label="Choose a region",
        error_messages={"required": "Choose the region", "invalid_choice": "Choose a region from the list"},
    )

    version = None  # type: ignore[assignment]  # a new record has no version yet
    field_order = ["region", "name"]


class OfficeForm(VersionedForm):
    name = forms.CharField(
        label="Office name", max_length=150, error_messages={"required": "Enter the office name"}
    )
    address = forms.CharField(
        label="Address",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the office address"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    pdu = forms.ModelChoiceField(
        label="Probation Delivery Unit",
        queryset=selectors.pdus(),
        empty_label="Choose a PDU",
        error_messages={"required": "Choose the PDU", "invalid_choice": "Choose a PDU that is in use"},
    )
    is_reporting_office = forms.BooleanField(
        label="People on probation report here",
        required=False,
    )
    is_delivery_office = forms.BooleanField(
        label="Interventions are delivered here",
        required=False,
    )

    def office_fields(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "address": data["address"].strip(),
            "postcode": data["postcode"],
            "pdu": data["pdu"],
            "is_reporting_office": data["is_reporting_office"],
            "is_delivery_office": data["is_delivery_office"],
        }

    @classmethod
    def for_office(cls, office: Office) -> OfficeForm:
        return cls(
            initial={
                "name": office.name,
                "address": office.address,
                "postcode": office.postcode,
                "pdu": office.pdu_id,
                "is_reporting_office": office.is_reporting_office,
                "is_delivery_office": office.is_delivery_office,
                "version": office.version,
            }
        )


class NewOfficeForm(OfficeForm):
    version = None  # type: ignore[assignment]  # a new record has no version yet


class TeamForm(forms.Form):
    code = forms.CharField(
        label="Team code", max_length=12, error_messages={"required": "Enter the team code"}
    )
    name = forms.CharField(
        label="Team name", max_length=120, error_messages={"required": "Enter the team name"}
    )


class StaffForm(VersionedForm):
    forename = forms.CharField(
        label="First name", max_length=80, error_messages={"required": "Enter the first name"}
    )
    surname = forms.CharField(
        label="Last name", max_length=80, error_messages={"required": "Enter the last name"}
    )
    grade = forms.ChoiceField(
        label="Grade", choices=Grade.choices, error_messages={"required": "Choose the grade"}
    )
    contracted_hours = forms.DecimalField(
        label="Contracted hours a week",
        min_value=Decimal("1"),
        max_value=Decimal("48"),
        decimal_places=1,
        help_text="Full time is 37",
        error_messages={
            "required": "Enter the contracted hours",
            "invalid": "Contracted hours must be a number, like 37 or 22.5",
            "min_value": "Contracted hours must be at least 1",
            "max_value": "Contracted hours must be 48 or fewer",
            "max_decimal_places": "Contracted hours can have at most one decimal place",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=none_of(Team),
        required=False,
        empty_label="Not in a team",
    )

    def __init__(self, *args: Any, pdu: Pdu, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = pdu.teams.active().order_by("name")  # type: ignore[attr-defined]

    def staff_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("forename", "surname", "grade", "contracted_hours", "team")}


class NewStaffForm(StaffForm):
    staff_code = forms.CharField(
        label="Staff code", max_length=12, error_messages={"required": "Enter the staff code"}
    )
    version = None  # type: ignore[assignment]  # a new record has no version yet
    field_order = ["staff_code", "forename", "surname", "grade", "contracted_hours", "team"]
