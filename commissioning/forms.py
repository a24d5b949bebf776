from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from commissioning import selectors
from commissioning.constants import SqSection
from core import uploads
from core.fields import money_field
from core.forms import VersionedForm
from core.limits import NOTES_MAX
from core.policy import value_on
from core.selectors import none_of
from core.spam import PublicFormMixin
from organisation import selectors as organisation_selectors
from organisation.models import ExternalOrganisation


class ContractFilterForm(forms.Form):
    q = forms.CharField(label="Title, supplier or reference", required=False, max_length=100)
    category = forms.TypedChoiceField(label="Category", required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label="Region", required=False)
    current = forms.BooleanField(label="Only services taking referrals today", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "Any category"),
            *((c.number, c.name) for c in selectors.service_categories()),
        ]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "Anywhere"),
            *((r.id, r.name) for r in organisation_selectors.regions()),
        ]


class ServiceSearchForm(forms.Form):
    category = forms.TypedChoiceField(
        label="What do they need help with?", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "Anything"),
            *((c.number, c.name) for c in selectors.service_categories()),
        ]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text=help_text,
        error_messages={"required": f"Answer: {label[0].lower()}{label[1:].rstrip('?')}"},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(DocumentsField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class SupplierApplicationForm(forms.Form):
    """The Selection Questionnaire, section by section."""

    organisation_name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={"required": "Enter the organisation's name"},
    )
    companies_house_number = forms.CharField(
        label="Companies House or charity number", max_length=8, required=False
    )
    registered_address = forms.CharField(
        label="Registered address",
        max_length=300,
        error_messages={"required": "Enter the registered address"},
    )
    contact_name = forms.CharField(
        label="Contact name", max_length=120, error_messages={"required": "Enter a contact name"}
    )
    contact_email = forms.EmailField(
        label="Contact email",
        error_messages={
            "required": "Enter a contact email",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    mandatory_exclusions_apply = _yes_no(
        "Do any mandatory exclusion grounds apply?",
        "For example, convictions for fraud, bribery or terrorism offences",
    )
    discretionary_exclusions_apply = _yes_no(
        "Do any discretionary exclusion grounds apply?",
        "For example, significant past contract failures or unpaid taxes",
    )
    exclusion_details = forms.CharField(
        label="If yes, what happened and what you have done since",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    annual_turnover = money_field("Annual turnover")
    audited_accounts = _yes_no("Can you provide the last two years' audited accounts?")
    experience = forms.CharField(
        label="Your experience of delivering these services",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Describe your experience"},
    )
    references = forms.CharField(
        label="Two references from recent contracts",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give two references"},
    )
    employers_liability = money_field("Employer's liability cover")
    public_liability = money_field("Public liability cover")
    professional_indemnity = money_field("Professional indemnity cover")
    safeguarding_declaration = forms.BooleanField(
        label="We have safeguarding policies, and DBS checks for staff working with people on probation",
        error_messages={"required": "Make the safeguarding declaration"},
    )
    data_protection_declaration = forms.BooleanField(
        label="We comply with UK GDPR and the Data Protection Act 2018 for the data we will process",
        error_messages={"required": "Make the data protection declaration"},
    )
    cyber_essentials = forms.BooleanField(label="We hold Cyber Essentials certification", required=False)
    categories = forms.ModelMultipleChoiceField(
        label="Service categories you can deliver",
        queryset=selectors.service_categories(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one service category"},
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regions you can deliver in",
        queryset=organisation_selectors.regions(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    pcc_areas = forms.ModelMultipleChoiceField(
        label="Or PCC areas you can deliver in",
        queryset=organisation_selectors.pcc_areas(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    documents = DocumentsField(
        label="Supporting documents",
        required=False,
        widget=MultipleFileInput(),
        help_text="Accounts, insurance certificates and policies",
    )

    ORGANISATION_FIELDS = (
        "organisation_name",
        "companies_house_number",
        "registered_address",
        "contact_name",
        "contact_email",
    )
    PLACES = ("categories", "regions", "pcc_areas", "documents")

    def __init__(self, *args: Any, extending: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["documents"].help_text = (
            f"Accounts, insurance certificates and policies: {uploads.ALLOWED_DESCRIPTION}. "
            f"Up to {value_on('df_application_max_documents', today)} documents, "
            f"{filesizeformat(value_on('df_application_max_document_bytes', today))} each and "
            f"{filesizeformat(value_on('df_application_max_total_bytes', today))} altogether."
        )
        if extending is not None:  # an appointed supplier: the organisation is already known
            for name in self.ORGANISATION_FIELDS:
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
            self.initial["organisation_name"] = extending.name

    def answers(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.PLACES and k not in ("website", "started")
        }


class PublicSupplierApplicationForm(PublicFormMixin, SupplierApplicationForm):
    salt = "df-application"
    refusal = "We could not accept this application"


class SectionAssessmentForm(forms.Form):
    section = forms.ChoiceField(choices=SqSection.choices, widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="Result",
        choices=[("pass", "Pass"), ("fail", "Fail")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Choose pass or fail"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Give the reason"},
    )


class SupplierOrganisationForm(VersionedForm):
    organisation = forms.ModelChoiceField(
        label="Provider organisation its staff sign in through",
        queryset=none_of(ExternalOrganisation),
        error_messages={"required": "Choose the provider organisation"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only provider organisations not yet serving a supplier; the service refuses others.
        free = selectors.free_provider_organisations()
        self.fields["organisation"].queryset = free  # type: ignore[attr-defined]
