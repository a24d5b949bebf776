from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from referrals import services
from referrals.models import Referral


def send(w: dict[str, Any], **overrides: Any) -> Referral:
    fields: dict[str, Any] = {
        "acting_user": w["practitioner"],
        "person": w["person"],
        "contract_id": w["contract"].pk,
        "category": 1,
        "complexity": "MEDIUM",
        "desired_outcome_ids": w["outcomes"],
        "max_rar_days": 10,
        "completion_deadline": timezone.localdate() + timedelta(days=90),
        "risk_information": "Medium RoSH to known adults. Do not visit at home alone.",
    }
    return services.send_referral(**(fields | overrides))
