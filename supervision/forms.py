from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from core.fields import date_field
from core.forms import VersionedForm, version_field
from core.limits import NOTES_MAX
from core.selectors import none_of
from organisation.models import Office, Staff, Team
from organisation.selectors import offices_in_scope, staff_in_scope, team_in_use_with_code, teams_in_scope
from people.models import Person
from sentences.models import Event
from sentences.selectors import events_among
from supervision.constants import (
    AbsenceReason,
    AppointmentOutcome,
    AppointmentType,
    BreachStatus,
    CourtOutcome,
    EnforcementDecision,
    TransferReason,
)

DURATIONS = [(30, "30 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours")]


class AppointmentForm(forms.Form):
    type = forms.ChoiceField(label="Type of appointment", choices=AppointmentType.choices)
    day = date_field("Date")
    time = forms.TimeField(
        label="Start time",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter the start time", "invalid": "Enter the start time like 14:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    duration = forms.TypedChoiceField(label="Length", choices=DURATIONS, coerce=int, initial=60)
    office = forms.ModelChoiceField(
        label="Office",
        queryset=none_of(Office),
        required=False,
        empty_label="Not at an office (visit, call or video)",
    )
    practitioner = forms.ModelChoiceField(
        label="Practitioner",
        queryset=none_of(Staff),
        error_messages={"required": "Choose the practitioner"},
    )
    event = forms.ModelChoiceField(
        label="Sentence this appointment is for",
        queryset=none_of(Event),
        required=False,
        empty_label="Not linked to a sentence",
        error_messages={"required": "Choose the sentence this appointment is for"},
    )

    def __init__(self, *args: Any, person: Person, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the person's PDU, and only within the user's scope: anything else is
        # "not a valid choice", and the API answers 404 for the same ids.
        offices = offices_in_scope(user).filter(pdu=person.pdu_id).select_related("pdu").order_by("name")
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        staff = staff_in_scope(user).filter(pdu=person.pdu_id).order_by("surname")
        self.fields["practitioner"].queryset = staff  # type: ignore[attr-defined]
        live = person.events.filter(is_active=True).order_by("number")
        self.fields["event"].queryset = live  # type: ignore[attr-defined]
        self._link_to_live_event(live.count())

    def _link_to_live_event(self, live: int) -> None:
        """An appointment can be enforced, so it belongs to an order: the only live one
        is chosen for the user; with more than one the user must choose."""
        field: Any = self.fields["event"]
        if live == 1:
            field.empty_label = None  # left blank, the service links the only live event
        elif live > 1:
            field.required = True
            field.empty_label = "Choose a sentence"

    def times(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))
        return start, start + timedelta(minutes=self.cleaned_data["duration"])


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=AppointmentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    absence_reason = forms.ChoiceField(
        label="Why was the absence acceptable?",
        choices=[("", "Only for an acceptable absence"), *AbsenceReason.choices],
        required=False,
    )
    notes = forms.CharField(
        label="Notes",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when the person failed to comply or was absent without a good reason",
    )
    event = forms.ModelChoiceField(
        label="Which sentence is this appointment for?",
        queryset=none_of(Event),
        required=False,
        empty_label="Choose a sentence",
        help_text="Needed to enforce a failure: this person is serving more than one sentence",
    )
    version = version_field()

    def __init__(self, *args: Any, live_events: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if live_events is None or len(live_events) < 2:
            del self.fields["event"]  # linked already, or linked automatically to the only one
        else:
            self.fields["event"].queryset = events_among(live_events)  # type: ignore[attr-defined]


class EnforcementForm(forms.Form):
    decision = forms.ChoiceField(
        label="What action are you taking?",
        choices=EnforcementDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a warning or breach action"},
    )
    circumstances = forms.CharField(
        label="Circumstances",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the circumstances of the failure"},
    )

    def __init__(self, *args: Any, may_warn: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_warn:
            only_breach = [(EnforcementDecision.BREACH.value, EnforcementDecision.BREACH.label)]
            self.fields["decision"].choices = only_breach  # type: ignore[attr-defined]
            self.fields["decision"].initial = EnforcementDecision.BREACH.value


class BreachForm(forms.Form):
    to = forms.ChoiceField(
        label="What has happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened"},
    )
    on = date_field("Date it happened")
    court_outcome = forms.ChoiceField(
        label="Court outcome",
        choices=[("", "Only when the court has decided"), *CourtOutcome.choices],
        required=False,
    )
    withdrawn_reason = forms.CharField(label="Reason for withdrawing", max_length=300, required=False)
    version = version_field()

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, BreachStatus(s).label) for s in allowed]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=NOTES_MAX,
        error_messages={"required": "Enter the note"},
    )
    is_sensitive = forms.BooleanField(
        label="This note is sensitive",
        required=False,
        help_text="Sensitive notes are folded away on the timeline",
    )


class AllocationForm(VersionedForm):
    practitioner = forms.ModelChoiceField(
        label="Practitioner",
        queryset=none_of(Staff),
        required=False,
        empty_label="Allocate to a team without a practitioner",
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=none_of(Team),
        required=False,
        empty_label="The practitioner's team",
        help_text="For a transfer to a team elsewhere, enter its code below",
    )
    team_code = forms.CharField(
        label="Team code for a transfer to another PDU or region", max_length=12, required=False
    )
    reason = forms.ChoiceField(
        label="Reason", choices=TransferReason.choices, error_messages={"required": "Choose a reason"}
    )

    def __init__(self, *args: Any, pdu_id: int, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_in_scope(user).filter(pdu=pdu_id, team__isnull=False).select_related("team")
        self.fields["practitioner"].queryset = staff.order_by("surname")  # type: ignore[attr-defined]
        teams = teams_in_scope(user).filter(pdu=pdu_id).order_by("name")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("team_code") or "").strip().upper()
        if code:
            team = team_in_use_with_code(code)
            if team is None:
                self.add_error("team_code", "No team in use has that code")
            data["team"] = team
        practitioner = data.get("practitioner")
        if practitioner is not None and data.get("team") is None:
            data["team"] = practitioner.team
        if data.get("team") is None and not self.errors:
            self.add_error("practitioner", "Choose a practitioner or a team")
        return data
