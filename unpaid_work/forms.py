from __future__ import annotations

from typing import Any

from django import forms

from core.fields import date_field, number_field
from core.forms import VersionedForm, version_field
from core.limits import NOTES_MAX
from core.selectors import none_of
from core.spam import PublicFormMixin
from organisation.models import Pdu
from organisation.selectors import pdus_in_scope
from unpaid_work.constants import (
    AdjustmentReason,
    ProjectType,
    Rating,
    SessionOutcome,
    StandDownReason,
    TravelMode,
)
from unpaid_work.models import WEEKDAYS


class NominationForm(PublicFormMixin):
    """Public form: spam resistance from ``PublicFormMixin`` and a per-address daily limit
    in the service."""

    salt = "upw-nomination"
    refusal = "We could not accept this nomination"

    nominator_name = forms.CharField(
        label="Your name", max_length=120, error_messages={"required": "Enter your name"}
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=150,
        required=False,
        help_text="If you are nominating for a group or charity",
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    description = forms.CharField(
        label="What work needs doing?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        error_messages={"required": "Describe the work that needs doing"},
        help_text="For example, clearing a footpath or redecorating a community hall. Work must not replace a paid job.",
    )
    address = forms.CharField(
        label="Where is it?", max_length=300, error_messages={"required": "Enter where the work is"}
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )

    def nomination_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in (
                "nominator_name",
                "organisation",
                "email",
                "phone",
                "description",
                "address",
                "postcode",
            )
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is it declined?",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason, so the nominator can be told"},
    )


class ProjectForm(forms.Form):
    name = forms.CharField(
        label="Project name", max_length=150, error_messages={"required": "Enter the project name"}
    )
    pdu = forms.ModelChoiceField(
        label="PDU",
        queryset=none_of(Pdu),
        error_messages={"required": "Choose the PDU"},
    )
    type = forms.ChoiceField(label="Type", choices=ProjectType.choices)
    beneficiary = forms.CharField(
        label="Beneficiary", max_length=150, error_messages={"required": "Enter who benefits"}
    )
    address = forms.CharField(
        label="Address", max_length=300, error_messages={"required": "Enter the address"}
    )
    postcode = forms.CharField(
        label="Postcode", max_length=8, error_messages={"required": "Enter the postcode"}
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days it runs",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the days the project runs"},
    )
    starts_at = forms.TimeField(
        label="Start time",
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        help_text="For example, 09:00",
        error_messages={"required": "Enter the start time", "invalid": "Enter the start time like 09:00"},
    )
    ends_at = forms.TimeField(
        label="Finish time",
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        help_text="For example, 16:00",
        error_messages={"required": "Enter the finish time", "invalid": "Enter the finish time like 16:00"},
    )
    capacity = number_field("Places", min_value=1, max_value=50)
    people_per_supervisor = number_field("People per supervisor", min_value=1, max_value=20)
    women_only = forms.BooleanField(label="Women only", required=False)
    involves_children = forms.BooleanField(label="Involves contact with children", required=False)
    accessible = forms.BooleanField(label="Accessible for people with limited mobility", required=False)
    start_date = date_field("Start date")
    end_date = date_field("End date", required=False, help_text="Leave empty if it carries on")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a PDU in the coordinator's scope; the API answers 404 for any other.
        self.fields["pdu"].queryset = pdus_in_scope(user).order_by("name")  # type: ignore[attr-defined]

    def project_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["postcode"] = data["postcode"].strip().upper()
        return data


class GenerateSessionsForm(forms.Form):
    start = date_field("From")
    end = date_field("To")


class StandDownForm(VersionedForm):
    reason = forms.ChoiceField(label="Why is the session stood down?", choices=StandDownReason.choices)


class BookForm(forms.Form):
    order = forms.ChoiceField(label="Person", error_messages={"required": "Choose who to book"})
    is_ete = forms.BooleanField(label="Counts towards their ETE allowance", required=False)

    def __init__(self, *args: Any, orders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = [("", "Choose a person"), *orders]  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Not recorded"), *SessionOutcome.choices], required=False
    )
    arrived_at = forms.TimeField(
        label="Started",
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter the start like 09:00"},
    )
    left_at = forms.TimeField(
        label="Finished",
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter the finish like 16:00"},
    )
    penalty_minutes = number_field("Penalty minutes", required=False, min_value=0)
    work_quality = forms.ChoiceField(
        label="Work quality", choices=[("", "Not rated"), *Rating.choices], required=False
    )
    behaviour = forms.ChoiceField(
        label="Behaviour", choices=[("", "Not rated"), *Rating.choices], required=False
    )
    notes = forms.CharField(label="Notes", max_length=500, required=False)
    version = version_field()


class AssessmentForm(forms.Form):
    assessed_on = date_field("Assessment date")
    home_postcode = forms.CharField(
        label="Home postcode", max_length=8, error_messages={"required": "Enter their home postcode"}
    )
    travel_mode = forms.ChoiceField(label="How they travel", choices=TravelMode.choices)
    available_weekdays = forms.TypedMultipleChoiceField(
        label="Days they can work",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="After work, caring duties and religious observance. None ticked means any day",
    )
    availability_notes = forms.CharField(label="Availability notes", max_length=300, required=False)
    no_all_male_group = forms.BooleanField(
        label="She chooses not to work in an all-male group", required=False
    )
    needs_accessible_placement = forms.BooleanField(label="Needs an accessible placement", required=False)
    version = version_field()


class AdjustmentForm(forms.Form):
    minutes = number_field("Minutes", min_value=1)
    reason = forms.ChoiceField(label="Reason", choices=AdjustmentReason.choices)
    note = forms.CharField(label="Note", max_length=300, required=False)


class PlanForm(forms.Form):
    pdu = forms.ModelChoiceField(
        label="Probation Delivery Unit",
        queryset=none_of(Pdu),
        empty_label="Choose a PDU",
        error_messages={"required": "Choose the PDU to plan", "invalid_choice": "Choose a PDU you manage"},
    )
    start = date_field("First day")
    end = date_field("Last day", help_text="Up to 4 weeks after the first day. For example, 27/3/2026")

    def __init__(self, *args: Any, pdus: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pdu"].queryset = pdus  # type: ignore[attr-defined]


class PlanReviewForm(forms.Form):
    """The coordinator's edit: the proposed bookings to keep (unticked ones are left out)."""

    included = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    version = version_field()

    def __init__(self, *args: Any, proposals: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["included"].choices = [(pk, str(pk)) for pk in proposals]  # type: ignore[attr-defined]


class SupervisorsForm(VersionedForm):
    supervisors = forms.TypedMultipleChoiceField(
        label="Supervisors",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each supervisor can oversee the project's number of people",
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].choices = staff  # type: ignore[attr-defined]
