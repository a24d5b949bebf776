from __future__ import annotations

from typing import Any

from django import forms

from core.fields import date_field, number_field
from core.forms import version_field
from core.limits import NOTES_MAX
from sentences.constants import (
    PROGRAMME_LICENCE_CONDITION,
    DisposalType,
    OffenceCategory,
    RequirementType,
    TerminationReason,
)
from sentences.services import OffenceInput, RequirementInput, SentenceInput

REQUIREMENT_SLOTS = 3
REQUIREMENT_CHOICES = [("", "No requirement"), *RequirementType.choices]


class EventForm(forms.Form):
    court = forms.CharField(label="Court", max_length=120, error_messages={"required": "Enter the court"})
    convicted_on = date_field("Conviction date")
    sentenced_on = date_field("Sentence date")
    offence = forms.CharField(
        label="Main offence", max_length=200, error_messages={"required": "Enter the main offence"}
    )
    category = forms.ChoiceField(label="Offence category", choices=OffenceCategory.choices)
    committed_on = date_field("Offence date")
    is_violent = forms.BooleanField(label="Violent offence", required=False)
    is_sexual = forms.BooleanField(label="Sexual offence", required=False)
    disposal_type = forms.ChoiceField(
        label="Sentence",
        choices=DisposalType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sentence"},
    )
    length_months = number_field(
        "Order length in months", required=False, min_value=1, help_text="Community orders"
    )
    custodial_days = number_field(
        "Custodial term in days", required=False, min_value=1, help_text="Suspended and custodial sentences"
    )
    operational_months = number_field(
        "Operational period in months", required=False, min_value=1, help_text="Suspended sentence orders"
    )
    supervision_months = number_field(
        "Supervision period in months",
        required=False,
        min_value=1,
        help_text="Suspended sentence orders with requirements",
    )
    released_on = date_field("Release date", required=False, help_text="Custodial sentences")
    licence_ends_on = date_field("Licence end date", required=False, help_text="Custodial sentences")
    licence_conditions = forms.CharField(
        label="Additional licence conditions",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. The eight standard conditions are added for you",
    )
    programme_licence_condition = forms.BooleanField(
        label=PROGRAMME_LICENCE_CONDITION,
        required=False,
        help_text="Custodial sentences: an additional condition; a programme referral is opened from it",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, REQUIREMENT_SLOTS + 1):
            self.fields[f"req{i}_type"] = forms.ChoiceField(
                label=f"Requirement {i}", choices=REQUIREMENT_CHOICES, required=False
            )
            self.fields[f"req{i}_amount"] = number_field(
                f"Requirement {i} amount",
                required=False,
                min_value=0,
                help_text="Hours of unpaid work or attendance centre, RAR days, or months for other requirements",
            )
            self.fields[f"req{i}_curfew_hours"] = number_field(
                f"Requirement {i} curfew hours a day", required=False, min_value=0, help_text="Curfew only"
            )
            self.fields[f"req{i}_curfew_days"] = number_field(
                f"Requirement {i} curfew days a week",
                required=False,
                min_value=1,
                max_value=7,
                help_text="Curfew only",
            )

    def offences(self) -> list[OffenceInput]:
        d = self.cleaned_data
        return [
            OffenceInput(
                description=d["offence"],
                category=OffenceCategory(d["category"]),
                committed_on=d["committed_on"],
                is_main=True,
                is_violent=d["is_violent"],
                is_sexual=d["is_sexual"],
            )
        ]

    def sentence(self) -> SentenceInput:
        d = self.cleaned_data
        return SentenceInput(
            disposal_type=DisposalType(d["disposal_type"]),
            length_months=d["length_months"],
            custodial_days=d["custodial_days"],
            operational_months=d["operational_months"],
            supervision_months=d["supervision_months"],
            released_on=d["released_on"],
            licence_ends_on=d["licence_ends_on"],
        )

    def requirements(self) -> list[RequirementInput]:
        d = self.cleaned_data
        chosen = []
        for i in range(1, REQUIREMENT_SLOTS + 1):
            kind = d.get(f"req{i}_type")
            if not kind:
                continue
            details: dict[str, Any] = {}
            amount = d.get(f"req{i}_amount")
            if kind == RequirementType.CURFEW:
                hours, days = d.get(f"req{i}_curfew_hours") or 0, d.get(f"req{i}_curfew_days") or 0
                details = {"daily_hours": [hours] * days + [0] * (7 - days), "months": amount or 0}
            chosen.append(RequirementInput(type=RequirementType(kind), amount=amount, details=details))
        return chosen

    def licence_condition_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["licence_conditions"].splitlines() if line.strip()]

    def field_for(self, service_field: str) -> str | None:
        """Maps a service error path (e.g. requirements.0.hours) to this form's field."""
        if service_field.startswith("requirements."):
            parts = service_field.split(".")
            return f"req{int(parts[1]) + 1}_amount" if len(parts) > 2 else "req1_type"
        if service_field.startswith("sentence."):
            return service_field.split(".", 1)[1]
        if service_field == "offences":
            return "offence"
        return service_field if service_field in self.fields else None


class EndForm(forms.Form):
    ended_on = date_field("End date")
    reason = forms.ChoiceField(
        label="Reason", choices=TerminationReason.choices, error_messages={"required": "Choose the reason"}
    )
    note = forms.CharField(
        label="Note", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = version_field()
