"""Forms of the catalogue's pages. Choices that depend on the user come from the scoped
selectors, so a PDU, office or room outside the user's area is "not a valid choice".

Sessions are typed one a line (no JavaScript needed): ``name, group or one-to-one,
minutes``; a line ``Module: name`` starts a module. ``parse_sessions`` turns the text
into the template's modules, naming the line of any problem."""

from __future__ import annotations

from typing import Any

from django import forms

from core.fields import date_field, number_field
from core.forms import VersionedForm
from core.limits import NOTES_MAX
from core.selectors import none_of
from organisation.models import Office, Pdu
from programmes.constants import SI_NEED_AREAS, ApprovalStatus, NeedArea, PanelPrinciple, ProgrammeKind
from programmes.models import Programme
from programmes.rules.catalogue import MINIMUM_SI_SESSIONS
from programmes.selectors import catalogue as selectors

SESSIONS_HELP = (
    "One session a line: its name, 'group' or 'one-to-one', and its minutes, separated by commas. "
    "Start a module with a line 'Module: its name'. For example: Module: Getting started, then "
    "Understanding my choices, group, 120"
)
KINDS = {"group": "GROUP", "one-to-one": "ONE_TO_ONE", "one to one": "ONE_TO_ONE", "1:1": "ONE_TO_ONE"}
DEFAULT_MODULE = "Sessions"


def parse_sessions(text: str) -> list[dict[str, Any]]:
    """The modules typed as text; ``forms.ValidationError`` naming the first bad line."""
    modules: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.lower().startswith("module:"):
            name = line.split(":", 1)[1].strip()
            if not name:
                raise forms.ValidationError(f"Line {number}: give the module a name after 'Module:'")
            modules.append({"name": name, "sessions": []})
            continue
        if not modules:
            modules.append({"name": DEFAULT_MODULE, "sessions": []})
        modules[-1]["sessions"].append(_session_line(line, number))
    empty = [m["name"] for m in modules if not m["sessions"]]
    if empty:
        raise forms.ValidationError(f"Module '{empty[0]}' has no sessions")
    if not modules:
        raise forms.ValidationError("Enter at least one session")
    return modules


def _session_line(line: str, number: int) -> dict[str, Any]:
    parts = [part.strip() for part in line.rsplit(",", 2)]
    if len(parts) != 3 or not parts[0]:
        raise forms.ValidationError(f"Line {number}: write the session as name, group or one-to-one, minutes")
    name, kind, minutes = parts
    if kind.lower() not in KINDS:
        raise forms.ValidationError(f"Line {number}: say 'group' or 'one-to-one'")
    if not minutes.isdigit() or int(minutes) == 0:
        raise forms.ValidationError(f"Line {number}: give the minutes as a whole number more than 0")
    return {"name": name, "kind": KINDS[kind.lower()], "minutes": int(minutes)}


def sessions_field(label: str = "Sessions") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=SESSIONS_HELP,
        error_messages={"required": "Enter the sessions"},
    )


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *ProgrammeKind.choices], required=False)
    need_area = forms.ChoiceField(
        label="Need area", choices=[("", "Any need area"), *NeedArea.choices], required=False
    )
    status = forms.ChoiceField(
        label="Standing", choices=[("", "Any standing"), *ApprovalStatus.choices], required=False
    )


class TemplateVersionForm(forms.Form):
    effective_from = date_field(
        "Date it takes effect", help_text="Groups starting on or after this day use it"
    )
    sessions = sessions_field()
    note = forms.CharField(label="Note", max_length=300, required=False, help_text="What changed, and why")

    def clean_sessions(self) -> list[dict[str, Any]]:
        return parse_sessions(self.cleaned_data["sessions"])


class OfferForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=none_of(Programme),
        to_field_name="code",
        empty_label="Choose a programme",
        error_messages={
            "required": "Choose the programme",
            "invalid_choice": "Choose a programme from the list",
        },
    )
    pdu = forms.ModelChoiceField(
        label="PDU",
        queryset=none_of(Pdu),
        empty_label="Choose a PDU",
        error_messages={"required": "Choose the PDU", "invalid_choice": "Choose a PDU in your area"},
    )
    office = forms.ModelChoiceField(
        label="Office",
        queryset=none_of(Office),
        required=False,
        empty_label="No particular office",
        error_messages={"invalid_choice": "Choose an office in your area"},
    )
    starts_on = date_field("Start date")
    ends_on = date_field("End date", required=False, help_text="Leave empty if it carries on")

    def __init__(self, *args: Any, user: Any, day: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.offerable_programmes(day)  # type: ignore[attr-defined]
        self.fields["pdu"].queryset = selectors.pdus_for_offers(user)  # type: ignore[attr-defined]
        self.fields["office"].queryset = selectors.offices_for_offers(user)  # type: ignore[attr-defined]


class EndOfferForm(forms.Form):
    ends_on = date_field("Last day it runs")


class ReviewForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the review",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you found, and what the region will do about each gap",
        error_messages={"required": "Summarise the review"},
    )


class RoomFields(forms.Form):
    name = forms.CharField(
        label="Room name", max_length=80, error_messages={"required": "Enter the room's name"}
    )
    capacity = number_field("Capacity", min_value=1, max_value=100, help_text="How many people it seats")
    accredited = forms.BooleanField(label="Suitable for group programmes", required=False)


class NewRoomForm(RoomFields):
    office = forms.ModelChoiceField(
        label="Office",
        queryset=none_of(Office),
        empty_label="Choose an office",
        error_messages={"required": "Choose the office", "invalid_choice": "Choose an office in your area"},
    )
    field_order = ["office", "name", "capacity", "accredited"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices_for_rooms(user)  # type: ignore[attr-defined]


class RoomForm(VersionedForm, RoomFields):
    pass


class RetireRoomForm(VersionedForm):
    pass


class RoomFilterForm(forms.Form):
    office = forms.ModelChoiceField(
        label="Office", queryset=none_of(Office), required=False, empty_label="Any office"
    )
    pdu = forms.ModelChoiceField(label="PDU", queryset=none_of(Pdu), required=False, empty_label="Any PDU")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.visible_offices(user)  # type: ignore[attr-defined]
        self.fields["pdu"].queryset = selectors.visible_pdus(user)  # type: ignore[attr-defined]


class InterventionForm(forms.Form):
    name = forms.CharField(
        label="Name of the intervention", max_length=120, error_messages={"required": "Enter the name"}
    )
    need_area = forms.ChoiceField(
        label="Need area",
        choices=[(area.value, area.label) for area in SI_NEED_AREAS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the need area"},
    )
    audience = forms.CharField(
        label="Who it is for",
        max_length=200,
        help_text="For example, men and women at low risk of reoffending",
        error_messages={"required": "Say who it is for"},
    )
    men = forms.BooleanField(label="Open to men", required=False, initial=True)
    women = forms.BooleanField(label="Open to women", required=False, initial=True)
    typical_weeks = number_field("Usual length in weeks", required=False, min_value=1, max_value=104)
    sessions = sessions_field(f"Sessions (at least {MINIMUM_SI_SESSIONS})")
    summary = forms.CharField(
        label="Summary for the panel",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Its model of change and how it meets the accreditation principles",
    )

    def clean_sessions(self) -> list[dict[str, Any]]:
        return parse_sessions(self.cleaned_data["sessions"])


class DecisionForm(forms.Form):
    principles_not_met = forms.MultipleChoiceField(
        label="Accreditation principles not met",
        choices=PanelPrinciple.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A rejection names at least one",
    )
    reasons = forms.CharField(
        label="Reasons",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
