from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from commissioning.constants import Complexity
from commissioning.models import Contract
from core.fields import date_field, number_field
from referrals.constants import Attendance, DeliveryMethod, OutcomeRating, WithdrawalReason

TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


def time_field(label: str) -> forms.TimeField:
    name = label[0].lower() + label[1:]
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        help_text="For example, 14:30",
        error_messages={"required": f"Enter the {name}", "invalid": f"Enter the {name} like 14:30"},
    )


class DayAndTime(forms.Form):
    """A date and a time entered separately, combined in the local time zone."""

    def moment(self, day: str = "day", time: str = "time") -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data[day], self.cleaned_data[time]))


class ReferralForm(forms.Form):
    category = forms.TypedChoiceField(
        label="What do they need help with?", coerce=int, widget=forms.RadioSelect
    )
    complexity = forms.ChoiceField(
        label="How complex are their needs?", choices=Complexity.choices, widget=forms.RadioSelect
    )
    desired_outcomes = forms.TypedMultipleChoiceField(
        label="Desired outcomes",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one desired outcome"},
        help_text="Choose outcomes for the category you chose",
    )
    max_rar_days = number_field("Maximum rehabilitation activity days", min_value=1, max_value=365)
    completion_deadline = date_field(
        "Completion date", help_text="When the service should be finished by. For example, 27/3/2027"
    )
    risk_information = forms.CharField(
        label="Risk information for the provider",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Share the risk information the provider needs"},
        help_text="Share only what the provider needs to work safely with them",
    )
    additional_information = forms.CharField(
        label="Anything else the provider should know",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = list(contract.categories.prefetch_related("desired_outcomes", "complexity_levels"))
        self.fields["category"].choices = [(c.number, c.name) for c in categories]  # type: ignore[attr-defined]
        self.fields["category"].error_messages["required"] = "Choose what they need help with"
        self.fields["complexity"].error_messages["required"] = "Choose how complex their needs are"
        self.fields["desired_outcomes"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{c.name}: {o.description}") for c in categories for o in c.desired_outcomes.all()
        ]


class AssignForm(forms.Form):
    caseworker = forms.TypedChoiceField(
        label="Caseworker", coerce=int, error_messages={"required": "Choose a caseworker"}
    )

    def __init__(self, *args: Any, caseworkers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].choices = [("", "Choose a caseworker"), *caseworkers]  # type: ignore[attr-defined]


class BookAssessmentForm(DayAndTime):
    day = date_field("Date")
    time = time_field("Time")


class RecordAssessmentForm(forms.Form):
    assessed_on = date_field("Date of the assessment")
    notes = forms.CharField(
        label="What the assessment found",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Record what the assessment found"},
    )


class ActionPlanForm(forms.Form):
    number_of_sessions = number_field("Number of sessions", min_value=1, max_value=100)
    activities = forms.CharField(
        label="Activities",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": "Describe the activities"},
    )


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve the action plan?",
        choices=[("approve", "Yes, approve it"), ("return", "No, send it back to the provider")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the plan"},
    )
    comments = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class SessionForm(DayAndTime):
    number = number_field("Session number", min_value=1)
    day = date_field("Date")
    time = time_field("Time")
    method = forms.ChoiceField(
        label="How it was delivered", choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    attendance = forms.ChoiceField(
        label="Did they attend?",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they attended"},
    )
    absence_acceptable = forms.TypedChoiceField(
        label="If they did not attend, was the absence acceptable?",
        choices=[("", "Not applicable"), ("yes", "Yes"), ("no", "No: tell the practitioner")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    progress_notes = forms.CharField(
        label="Progress", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    behaviour_notes = forms.CharField(
        label="Behaviour", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )


class ReportForm(forms.Form):
    further_information = forms.CharField(
        label="Anything else", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )

    def __init__(self, *args: Any, outcomes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for outcome in outcomes:
            self.fields[f"rating_{outcome.pk}"] = forms.ChoiceField(
                label=outcome.description,
                choices=OutcomeRating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate the outcome: {outcome.description}"},
            )

    def ratings(self) -> dict[int, str]:
        return {
            int(name.split("_")[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("rating_")
        }


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the referral being withdrawn?",
        choices=WithdrawalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason"},
    )
    comments = forms.CharField(
        label="Comments", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
