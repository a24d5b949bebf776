from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from core.forms import VersionedForm
from people.constants import Disability, Ethnicity, GenderIdentity, Religion, Sex, SexualOrientation
from people.rules import normalise_pnc

TIER_CHOICES = [("", "Any tier"), *[(t, f"Tier {t}") for t in "ABCDEFG"], ("MISSING", "Missing predictors")]
ROSH_CHOICES = [
    ("", "Any RoSH"),
    ("VERY_HIGH", "Very high"),
    ("HIGH", "High"),
    ("MEDIUM", "Medium"),
    ("LOW", "Low"),
]
SORT_CHOICES = [
    ("name", "Name"),
    ("tier", "Tier"),
    ("rosh", "RoSH"),
    ("next", "Next appointment"),
    ("overdue", "Overdue actions"),
    ("action", "Enforcement action needed"),
]


class CaseloadForm(forms.Form):
    q = forms.CharField(label="Name, CRN, PNC or date of birth", required=False, max_length=100)
    mine = forms.BooleanField(label="Only my caseload", required=False)
    tier = forms.ChoiceField(label="Tier", choices=TIER_CHOICES, required=False)
    rosh = forms.ChoiceField(label="RoSH", choices=ROSH_CHOICES, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)
    desc = forms.BooleanField(label="Reverse order", required=False)
    action = forms.BooleanField(label="Only cases needing enforcement action", required=False)


def _past(value: date) -> date:
    if value > date.today():
        raise forms.ValidationError("The date of birth must be in the past")
    return value


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=80, error_messages={"required": "Enter the first name"}
    )
    middle_names = forms.CharField(label="Middle names", max_length=120, required=False)
    last_name = forms.CharField(
        label="Last name", max_length=80, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 27/3/1990",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        error_messages={
            "required": "Enter the date of birth",
            "invalid": "Enter a real date of birth, like 27/3/1990",
        },
    )
    pnc_number = forms.CharField(
        label="PNC number", max_length=14, required=False, help_text="For example, 2012/0123456Y"
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's sex"},
    )
    gender_identity = forms.ChoiceField(
        label="Is their gender the same as their sex registered at birth?",
        choices=GenderIdentity.choices,
        initial=GenderIdentity.NOT_RECORDED,
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=Ethnicity.choices, initial=Ethnicity.NOT_RECORDED
    )
    disability = forms.ChoiceField(
        label="Disability", choices=Disability.choices, initial=Disability.NOT_RECORDED
    )
    religion = forms.ChoiceField(
        label="Religion or belief", choices=Religion.choices, initial=Religion.NOT_RECORDED
    )
    sexual_orientation = forms.ChoiceField(
        label="Sexual orientation",
        choices=SexualOrientation.choices,
        initial=SexualOrientation.NOT_RECORDED,
        help_text="Optional. Recorded only for diversity analysis",
        required=False,
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=120, required=False)
    town = forms.CharField(label="Town or city", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked the possible matches and this is a different person", required=False
    )

    def clean_date_of_birth(self) -> date:
        return _past(self.cleaned_data["date_of_birth"])

    def clean_pnc_number(self) -> str:
        value = self.cleaned_data["pnc_number"].strip()
        if not value:
            return ""
        try:
            return normalise_pnc(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = [data.get("address_line_1"), data.get("town"), data.get("postcode")]
        if any(address) and not all(address):
            self.add_error("postcode", "Enter the full address: line 1, town and postcode")
        return data


class AliasForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=80, error_messages={"required": "Enter the first name of the alias"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=80, error_messages={"required": "Enter the last name of the alias"}
    )
    date_of_birth = forms.DateField(
        label="Date of birth used with this name",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="If different. For example, 27/3/1990",
        error_messages={"invalid": "Enter a real date of birth, like 27/3/1990"},
    )


class AddressForm(VersionedForm):
    line_1 = forms.CharField(
        label="Address line 1", max_length=120, error_messages={"required": "Enter address line 1"}
    )
    line_2 = forms.CharField(label="Address line 2", max_length=120, required=False)
    town = forms.CharField(
        label="Town or city", max_length=80, error_messages={"required": "Enter the town or city"}
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    moved_on = forms.DateField(
        label="Date they moved in",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example, 27/3/2026",
        error_messages={
            "required": "Enter the date they moved in",
            "invalid": "Enter a real date, like 27/3/2026",
        },
    )
