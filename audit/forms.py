from __future__ import annotations

from django import forms

from audit.constants import AuditAction


class AuditSearchForm(forms.Form):
    actor_username = forms.CharField(label="Username", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices]
    )
    object_type = forms.CharField(
        label="Record type",
        required=False,
        max_length=60,
        help_text="For example, people.person or organisation.pdu",
    )
    object_id = forms.CharField(
        label="Record identifier", required=False, max_length=64, help_text="For a person, their CRN"
    )
    request_id = forms.CharField(label="Request ID", required=False, max_length=64)
    date_from = forms.DateField(
        label="From date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date for the from date"},
    )
    date_to = forms.DateField(
        label="To date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date for the to date"},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data
