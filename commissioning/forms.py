from __future__ import annotations

from typing import Any

from django import forms

from commissioning.models import ServiceCategory
from organisation.models import Region


class ContractFilterForm(forms.Form):
    q = forms.CharField(label="Title, supplier or reference", required=False, max_length=100)
    category = forms.TypedChoiceField(label="Category", required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label="Region", required=False)
    current = forms.BooleanField(label="Only services taking referrals today", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "Any category"),
            *((c.number, c.name) for c in ServiceCategory.objects.all()),
        ]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "Anywhere"),
            *((r.id, r.name) for r in Region.objects.all()),
        ]


class ServiceSearchForm(forms.Form):
    category = forms.TypedChoiceField(
        label="What do they need help with?", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "Anything"),
            *((c.number, c.name) for c in ServiceCategory.objects.all()),
        ]
