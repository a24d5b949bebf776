"""Forms for groups and delivery. Choices come from the scoped selectors, given by the view."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from core.constants import WEEKDAY_CHOICES
from core.fields import date_field
from core.forms import version_field
from core.limits import NOTES_MAX
from core.selectors import none_of
from organisation.models import Pdu, Staff
from programmes.constants import Attendance, Cohort, DeliveryMode, GroupSex, StatusReason
from programmes.models import Programme, Room
from programmes.rules.scheduling import Slot
from supervision.constants import AbsenceReason

WEEKDAYS = WEEKDAY_CHOICES
SLOT_ROWS = 3


def time_field(label: str, *, required: bool = True) -> forms.TimeField:
    name = label[0].lower() + label[1:]
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": f"Enter the {name}", "invalid": f"Enter the {name} like 14:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )


def _at(day: Any, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class GroupForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Programme", queryset=none_of(Programme), error_messages={"required": "Choose the programme"}
    )
    cohort = forms.ChoiceField(label="Cohort", choices=Cohort.choices, widget=forms.RadioSelect)
    sex = forms.ChoiceField(label="Who the group is for", choices=GroupSex.choices, widget=forms.RadioSelect)
    ldc = forms.BooleanField(label="Adapted for learning disabilities and challenges (LDC)", required=False)
    pdu = forms.ModelChoiceField(
        label="PDU", queryset=none_of(Pdu), error_messages={"required": "Choose the PDU"}
    )
    room = forms.ModelChoiceField(
        label="Room",
        queryset=none_of(Room),
        help_text="An accredited room at an office of the group's PDU",
        error_messages={"required": "Choose the room"},
    )
    starts_on = date_field("Start date")
    treatment_manager = forms.ModelChoiceField(
        label="Treatment manager",
        queryset=none_of(Staff),
        error_messages={"required": "Choose the treatment manager"},
    )
    facilitators = forms.ModelMultipleChoiceField(
        label="Facilitators",
        queryset=none_of(Staff),
        error_messages={"required": "Choose at least one facilitator"},
    )
    cover_facilitators = forms.ModelMultipleChoiceField(
        label="Cover facilitators", queryset=none_of(Staff), required=False
    )

    def __init__(
        self,
        *args: Any,
        programmes: Any,
        pdus: Any,
        rooms: Any,
        staff: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["pdu"].queryset = pdus  # type: ignore[attr-defined]
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        for name in ("treatment_manager", "facilitators", "cover_facilitators"):
            self.fields[name].queryset = staff  # type: ignore[attr-defined]
        for n in range(1, SLOT_ROWS + 1):
            self.fields[f"slot_{n}_day"] = forms.TypedChoiceField(
                label=f"Weekly time {n}: day",
                choices=[("", "Choose a day"), *WEEKDAYS],
                coerce=int,
                required=n == 1,
                empty_value=None,
                error_messages={"required": "Choose the day the group meets"},
            )
            self.fields[f"slot_{n}_time"] = time_field(f"Weekly time {n}: start time", required=n == 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(2, SLOT_ROWS + 1):
            day, moment = data.get(f"slot_{n}_day"), data.get(f"slot_{n}_time")
            if (day is None) != (moment is None) and f"slot_{n}_time" not in self.errors:
                self.add_error(
                    f"slot_{n}_day" if day is None else f"slot_{n}_time",
                    "Give both the day and the time, or neither",
                )
        return data

    def slots(self) -> list[Slot]:
        found = []
        for n in range(1, SLOT_ROWS + 1):
            day, moment = self.cleaned_data.get(f"slot_{n}_day"), self.cleaned_data.get(f"slot_{n}_time")
            if day is not None and moment is not None:
                found.append(Slot(day, moment))
        return found

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "programme": d["programme"],
            "cohort": Cohort(d["cohort"]),
            "sex": GroupSex(d["sex"]),
            "ldc": d["ldc"],
            "pdu": d["pdu"],
            "room": d["room"],
            "slots": self.slots(),
            "starts_on": d["starts_on"],
            "treatment_manager": d["treatment_manager"],
            "facilitators": list(d["facilitators"]),
            "cover_facilitators": list(d["cover_facilitators"]),
        }


def field_for(field: str) -> str | None:
    """A service's field name -> this page's field (the slots are one list there)."""
    return "slot_1_day" if field == "slots" else field


class AddMemberForm(forms.Form):
    referral = forms.TypedChoiceField(
        label="Person on the waitlist", coerce=int, error_messages={"required": "Choose who to add"}
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [("", "Choose a person"), *choices]  # type: ignore[attr-defined]


class WhenForm(forms.Form):
    """A date and a time for a session (rescheduling or booking)."""

    on = date_field("Date")
    at = time_field("Start time")
    version = version_field()

    def starts_at(self) -> datetime:
        return _at(self.cleaned_data["on"], self.cleaned_data["at"])


class BookForm(WhenForm):
    facilitator = forms.ModelChoiceField(
        label="Facilitator", queryset=none_of(Staff), error_messages={"required": "Choose the facilitator"}
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = staff  # type: ignore[attr-defined]


class CatchUpForm(forms.Form):
    session = forms.TypedChoiceField(
        label="Session missed", coerce=int, error_messages={"required": "Choose the session missed"}
    )
    on = date_field("Date")
    at = time_field("Start time")
    facilitator = forms.ModelChoiceField(
        label="Facilitator", queryset=none_of(Staff), error_messages={"required": "Choose the facilitator"}
    )

    def __init__(self, *args: Any, missed: list[tuple[int, str]], staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "Choose a session"), *missed]  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = staff  # type: ignore[attr-defined]

    def starts_at(self) -> datetime:
        return _at(self.cleaned_data["on"], self.cleaned_data["at"])


class DeliveryForm(forms.Form):
    mode = forms.ChoiceField(
        label="How they take part", choices=DeliveryMode.choices, widget=forms.RadioSelect
    )
    delivery_reason = forms.CharField(
        label="Reason for flexible delivery",
        max_length=300,
        required=False,
        help_text="Needed unless they take part in the group",
    )


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *StatusReason.choices],
        error_messages={"required": "Choose a reason"},
    )
    note = forms.CharField(
        label="Note", max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(LeaveForm):
    """Why a group that has not started is cancelled; its people go back on the waitlist."""

    version = version_field()


class AttendanceForm(forms.Form):
    """One row of the register."""

    outcome = forms.ChoiceField(
        label="Attendance", choices=[("", "Not recorded"), *Attendance.choices], required=False
    )
    absence_reason = forms.ChoiceField(
        label="Reason the absence was acceptable",
        choices=[("", "Not an acceptable absence"), *AbsenceReason.choices],
        required=False,
    )
    notes = forms.CharField(
        label="What happened",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for a failure to comply or an unacceptable absence",
    )


class NoteForm(forms.Form):
    member = forms.TypedChoiceField(label="About", coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label="Note",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "The whole group"), *members]  # type: ignore[attr-defined]


class DiaryForm(forms.Form):
    # Free text shown as a list: a code not offered is the selector's 404, not a form error.
    staff = forms.CharField(label="Facilitator", required=False, max_length=12, widget=forms.Select)
    week = date_field("Week starting", required=False, help_text="Any day of the week, for example 2/11/2026")

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = staff
