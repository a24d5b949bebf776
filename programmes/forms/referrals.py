"""Forms of the programme referral pages. Choices (events, programmes, offices) come
from the views, which read them through the scoped selectors; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from core.constants import WEEKDAY_NAMES
from core.fields import date_field, number_field
from core.forms import version_field
from core.limits import NOTES_MAX
from programmes.constants import (
    STATUS_REASON_GROUPS,
    DayPart,
    PartnerContactMethod,
    ReasonGroup,
    StatusReason,
    Suitability,
)
from programmes.lifecycle import NEEDS_REASON

WEEKDAYS = WEEKDAY_NAMES
AVAILABILITY_CHOICES = [
    (f"{day}:{part}", f"{WEEKDAYS[day]} {label.lower()}")
    for day in range(7)
    for part, label in DayPart.choices
]


def reason_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The coded reasons under their group's name, in the order the groups are declared."""
    return [
        (group.label, [(r.value, r.label) for r in StatusReason if STATUS_REASON_GROUPS[r] == group])
        for group in ReasonGroup
    ]


def _reason_field(required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *reason_groups()],
        required=required,
        error_messages={"required": "Choose a reason"},
    )


def _note_field(label: str = "Note") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is “Other”",
    )


class ReasonedForm(forms.Form):
    """A coded reason (grouped) and a note; "Other" needs the note."""

    reason_groups = staticmethod(reason_groups)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == StatusReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Describe the reason")
        return data


class StepForm(ReasonedForm):
    """Ready, deprioritise, defer, withdraw, recall, return to court, breach."""

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field(required=step in NEEDS_REASON)
        self.fields["note"] = _note_field()
        self.fields["version"] = version_field()


class SuitabilityForm(ReasonedForm):
    suitability = forms.ChoiceField(
        label="Outcome of the assessment",
        choices=Suitability.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the assessment"},
    )
    suitability_reasons = forms.CharField(
        label="Reasons for the outcome",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reasons for the outcome"},
    )

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"] = forms.TypedChoiceField(
            label="Programme",
            choices=[("", "Choose a programme"), *programmes],
            coerce=int,
            required=False,
            empty_value=None,
            help_text="Needed unless the person is not suitable or not eligible",
        )
        self.fields["reason"] = _reason_field(required=False)
        self.fields["reason"].help_text = "Needed unless the person is suitable"
        self.fields["note"] = _note_field()
        self.fields["version"] = version_field()


class ReferForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        events: list[tuple[int, str]],
        programmes: list[tuple[int, str]],
        requirements: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"] = forms.TypedChoiceField(
            label="Sentence",
            choices=events,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the sentence"},
        )
        self.fields["programme"] = forms.TypedChoiceField(
            label="Programme",
            choices=[("", "Choose a programme"), *programmes],
            coerce=int,
            error_messages={"required": "Choose the programme"},
            help_text="Only programmes taking new referrals are listed",
        )
        self.fields["requirement"] = forms.TypedChoiceField(
            label="Requirement",
            choices=[("", "None: under the licence"), *requirements],
            coerce=int,
            required=False,
            empty_value=None,
            help_text=(
                "An accredited programme: the programme requirement. A Structured Intervention: the "
                "rehabilitation activity requirement. Leave blank for a licence"
            ),
        )


class LdcOverrideForm(forms.Form):
    score = number_field("LDC score", min_value=0)
    reason = forms.CharField(
        label="Reason for the override",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the score is overridden"},
    )
    version = version_field()


class AvailabilityForm(forms.Form):
    availability = forms.MultipleChoiceField(
        label="When the person can attend",
        choices=AVAILABILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, offices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_offices"] = forms.TypedMultipleChoiceField(
            label="Offices the person would prefer",
            choices=offices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["impossible_offices"] = forms.TypedMultipleChoiceField(
            label="Offices the person cannot get to",
            choices=offices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["version"] = version_field()

    def slots(self) -> list[tuple[int, str]]:
        return [(int(day), part) for day, part in (v.split(":") for v in self.cleaned_data["availability"])]


class NonAssociationForm(forms.Form):
    crn = forms.CharField(
        label="CRN of the other person",
        max_length=7,
        error_messages={"required": "Enter the CRN of the other person"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": False}),
    )
    reason = forms.CharField(
        label="Why they must be kept apart",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason they must be kept apart"},
    )


class PartnerContactForm(forms.Form):
    contacted_on = date_field("Date of the contact")
    method = forms.ChoiceField(
        label="How",
        choices=PartnerContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact was made"},
    )
    safety_concern = forms.BooleanField(label="The partner raised a safety concern", required=False)
    notes = forms.CharField(
        label="What was discussed",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what was discussed"},
    )
