from __future__ import annotations

from typing import Any

from django import forms

from core.fields import date_field, decimal_field, number_field
from risk.constants import (
    PNI_ITEM_LABELS,
    PNI_ITEM_NAMES,
    OspIicBand,
    PredictorKind,
    RegistrationType,
    RoshLevel,
    SaraLevel,
    SexualPredictorBand,
)
from risk.tiering import NEED_THRESHOLDS

KIND_CHOICES = [("", "Not given"), *PredictorKind.choices]
# "Unknown" is a real answer, stored as null: the PNI must never read an unanswered item as 0.
ITEM_CHOICES = [
    ("", "Unknown"),
    ("0", "0: no problems"),
    ("1", "1: some problems"),
    ("2", "2: significant problems"),
]
NEED_LABELS = {
    "ACCOMMODATION": "Accommodation (section 3)",
    "ETE": "Education, training and employability (section 4)",
    "RELATIONSHIPS": "Relationships (section 6)",
    "LIFESTYLE": "Lifestyle and associates (section 7)",
    "DRUGS": "Drug misuse (section 8)",
    "ALCOHOL": "Alcohol misuse (section 9)",
    "THINKING_AND_BEHAVIOUR": "Thinking and behaviour (section 11)",
    "ATTITUDES": "Attitudes (section 12)",
}


class AssessmentForm(forms.Form):
    completed_on = date_field("Date completed")
    rosh = forms.ChoiceField(
        label="Risk of serious harm", choices=[("", "Not assessed"), *RoshLevel.choices], required=False
    )
    arp_score = decimal_field("All reoffending predictor (OGRS4 %)")
    arp_type = forms.ChoiceField(label="All reoffending predictor type", choices=KIND_CHOICES, required=False)
    csrp_score = decimal_field("Combined serious reoffending predictor (%)")
    csrp_type = forms.ChoiceField(
        label="Combined serious reoffending predictor type", choices=KIND_CHOICES, required=False
    )
    dc_srp_score = decimal_field("Direct contact sexual reoffending score")
    dc_srp_band = forms.ChoiceField(
        label="Direct contact sexual reoffending (OSP-DC) band",
        choices=[("", "Not given"), *SexualPredictorBand.choices],
        required=False,
    )
    osp_iic_band = forms.ChoiceField(
        label="Indecent images of children (OSP-IIC) band",
        choices=[("", "Not assessed"), *OspIicBand.choices],
        required=False,
    )
    sara_partner = forms.ChoiceField(
        label="SARA risk towards a partner",
        choices=[("", "Not assessed"), *SaraLevel.choices],
        required=False,
    )
    sara_others = forms.ChoiceField(
        label="SARA risk towards others", choices=[("", "Not assessed"), *SaraLevel.choices], required=False
    )
    rsr = decimal_field("RSR (%)")
    ogrs3 = decimal_field("OGRS3 (%)")
    ovp = decimal_field("OVP (%)")
    ogp = decimal_field("OGP (%)")
    parenting_responsibilities = forms.BooleanField(
        label="Parenting responsibilities (OASys 6.9, women)", required=False
    )
    impulsivity_or_temper_control = forms.BooleanField(
        label="Impulsivity or temper control (OASys 11.2 or 11.4, women)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for need in NEED_THRESHOLDS:
            self.fields[f"need_{need.value}"] = number_field(
                f"{NEED_LABELS[need.value]} score", required=False, min_value=0, max_value=20
            )
        for item in PNI_ITEM_NAMES:
            self.fields[item] = forms.TypedChoiceField(
                label=PNI_ITEM_LABELS[item],
                choices=ITEM_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="",
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline govuk-radios--small"}),
            )
        self.fields["ldc_score"] = number_field(
            "Learning disabilities and challenges (LDC) score", required=False, min_value=0
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for score, kind in (("arp_score", "arp_type"), ("csrp_score", "csrp_type")):
            if data.get(score) is not None and not data.get(kind):
                self.add_error(kind, "Choose whether the predictor is static or dynamic")
        if data.get("dc_srp_score") is not None and not data.get("dc_srp_band"):
            self.add_error("dc_srp_band", "Choose the band for the sexual reoffending score")
        return data

    def assessment_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        fields = {k: v for k, v in d.items() if not k.startswith("need_")}
        fields["need_scores"] = {k[5:]: v for k, v in d.items() if k.startswith("need_") and v is not None}
        return fields


class RegistrationForm(forms.Form):
    type = forms.ChoiceField(label="Registration", choices=RegistrationType.choices)
    starts_on = date_field("Start date")
    notes = forms.CharField(label="Notes", max_length=300, required=False)


class EndRegistrationForm(forms.Form):
    ends_on = date_field("End date")


class MappaForm(forms.Form):
    category = forms.TypedChoiceField(
        label="Category",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (1, "1: registered sexual offender"),
            (2, "2: violent offender"),
            (3, "3: other dangerous offender"),
            (4, "4: terrorist or terrorist risk"),
        ],
        error_messages={"required": "Choose the MAPPA category"},
    )
    level = forms.TypedChoiceField(
        label="Level",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (1, "1: ordinary agency management"),
            (2, "2: active multi-agency management"),
            (3, "3: multi-agency management with senior oversight"),
        ],
        error_messages={"required": "Choose the MAPPA level"},
    )
    starts_on = date_field("Start date")
