from __future__ import annotations

from django import forms

from organisation.models import Office, Pdu, Region


class VersionedForm(forms.Form):
    """Carries the record version the user saw, for optimistic concurrency."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PduForm(VersionedForm):
    name = forms.CharField(
        label="PDU name", max_length=120, error_messages={"required": "Enter the PDU name"}
    )


class NewPduForm(PduForm):
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.order_by("name"),
        empty_label="Choose a region",
        error_messages={"required": "Choose the region", "invalid_choice": "Choose a region from the list"},
    )

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
        queryset=Pdu.objects.active().order_by("name"),
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
