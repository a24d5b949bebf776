"""Forms for call-off competitions, one per step."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from commissioning import selectors
from commissioning.competitions import selectors as comp_selectors
from commissioning.constants import (
    SENTENCE_TYPES,
    CommissionerKind,
    Criterion,
    GeographyLevel,
)
from core.fields import date_field, money_field, number_field
from organisation import selectors as organisation_selectors


def end_of(day: Any) -> datetime:
    """Deadlines are the end of the day given (23:59 local time)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class CompetitionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    category = forms.ModelChoiceField(
        label="Service category",
        queryset=selectors.service_categories(),
        error_messages={"required": "Choose the category"},
    )
    geography_level = forms.ChoiceField(
        label="Geography",
        choices=[
            (GeographyLevel.NATIONAL, "England and Wales"),
            (GeographyLevel.REGION, "A region"),
            (GeographyLevel.PCC_AREA, "A PCC area"),
            (GeographyLevel.LOCAL_AUTHORITY, "A local authority (choose its PCC area too)"),
            (GeographyLevel.PDU, "A Probation Delivery Unit"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the geography"},
    )
    region = forms.ModelChoiceField(label="Region", queryset=organisation_selectors.regions(), required=False)
    pcc_area = forms.ModelChoiceField(
        label="PCC area", queryset=organisation_selectors.pcc_areas(), required=False
    )
    local_authority = forms.CharField(label="Local authority", max_length=100, required=False)
    pdu = forms.ModelChoiceField(label="PDU", queryset=organisation_selectors.pdus(), required=False)
    specification = forms.CharField(
        label="Specification",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the specification"},
    )
    allows_female = forms.BooleanField(label="Open to women", required=False, initial=True)
    allows_male = forms.BooleanField(label="Open to men", required=False, initial=True)
    minimum_age = number_field("Minimum age", min_value=18, max_value=120)
    maximum_age = number_field("Maximum age", required=False, min_value=18, max_value=120)
    sentence_types = forms.MultipleChoiceField(
        label="Sentence types",
        choices=SENTENCE_TYPES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one sentence type"},
    )
    expected_referrals_per_month = number_field("Expected referrals a month", min_value=1)
    budget = money_field("Budget", max_digits=12)
    quality_weight = number_field("Quality weight (%)", min_value=0, max_value=100)
    price_weight = number_field("Price weight (%)", min_value=0, max_value=100)
    social_value_weight = number_field("Social value weight (%)", min_value=0, max_value=100)
    clarification_deadline = date_field("Clarification questions close")
    bid_deadline = date_field("Bid deadline")
    service_starts_on = date_field("Service starts")
    service_ends_on = date_field("Service ends")
    partner = forms.ModelChoiceField(
        label="Co-commissioning partner",
        queryset=comp_selectors.commissioners_with_agreements(),
        required=False,
        empty_label="None",
    )
    partner_share = number_field("Partner's funding share (%)", required=False, min_value=1, max_value=99)
    evaluators = forms.TypedMultipleChoiceField(
        label="Evaluators", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, evaluators: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].choices = evaluators  # type: ignore[attr-defined]

    def competition_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        level = d["geography_level"]
        return {
            "title": d["title"],
            "category": d["category"],
            "geography_level": d["geography_level"],
            "region": d["region"] if level == GeographyLevel.REGION else None,
            "pcc_area": d["pcc_area"]
            if level in (GeographyLevel.PCC_AREA, GeographyLevel.LOCAL_AUTHORITY)
            else None,
            "local_authority": d["local_authority"] if level == GeographyLevel.LOCAL_AUTHORITY else "",
            "pdu": d["pdu"] if level == GeographyLevel.PDU else None,
            "specification": d["specification"],
            "allows_female": d["allows_female"],
            "allows_male": d["allows_male"],
            "minimum_age": d["minimum_age"],
            "maximum_age": d["maximum_age"],
            "sentence_types": d["sentence_types"],
            "expected_referrals_per_month": d["expected_referrals_per_month"],
            "budget": d["budget"],
            "quality_weight": d["quality_weight"],
            "price_weight": d["price_weight"],
            "social_value_weight": d["social_value_weight"],
            "clarification_deadline": end_of(d["clarification_deadline"]),
            "bid_deadline": end_of(d["bid_deadline"]),
            "service_starts_on": d["service_starts_on"],
            "service_ends_on": d["service_ends_on"],
        }

    def partners(self) -> list[tuple[int, int]]:
        d = self.cleaned_data
        return [(d["partner"].pk, d["partner_share"] or 0)] if d["partner"] else []


class EmptyForm(forms.Form):
    """A step that needs only confirming."""


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your question"},
    )


class AnswerForm(forms.Form):
    clarification = forms.TypedChoiceField(label="Question", coerce=int)
    text = forms.CharField(
        label="Answer (published to every invited supplier)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the answer"},
    )

    def __init__(self, *args: Any, questions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clarification"].choices = questions  # type: ignore[attr-defined]


class BidForm(forms.Form):
    price = money_field("Price for the whole contract", max_digits=12)
    quality_response = forms.CharField(
        label="How you will deliver the service (quality)",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Answer the quality question"},
    )
    social_value_response = forms.CharField(
        label="Social value you will add",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Answer the social value question"},
    )


class MarkForm(forms.Form):
    bid = forms.TypedChoiceField(label="Bid", coerce=int)
    criterion = forms.ChoiceField(label="Criterion", choices=Criterion.choices, widget=forms.RadioSelect)
    mark = number_field("Mark (0 to 100)", min_value=0, max_value=100)
    comment = forms.CharField(
        label="Why this mark",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Explain the mark"},
    )

    def __init__(self, *args: Any, bids: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = bids  # type: ignore[attr-defined]


class RerunForm(forms.Form):
    reason = forms.CharField(
        label="Why it is run again",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record the reason"},
    )
    clarification_deadline = date_field("Clarification questions close")
    bid_deadline = date_field("Bid deadline")


class DirectAwardForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=selectors.appointed_suppliers(),
        error_messages={"required": "Choose the supplier"},
    )
    value = money_field("Contract value", max_digits=12)
    reason = forms.CharField(
        label="Reason for the direct award",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record the reason"},
    )


class CommissionerForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the commissioner's name"}
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=CommissionerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of commissioner"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation its staff sign in through",
        queryset=selectors.organisations_other_than_providers(),
        required=False,
        help_text="For a PCC, local authority or police force",
    )
    region = forms.ModelChoiceField(
        label="Region",
        queryset=organisation_selectors.regions(),
        required=False,
        help_text="For an HMPPS region",
    )
