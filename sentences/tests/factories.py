"""Builders for sentences, going through the service so the records are realistic."""

from __future__ import annotations

from datetime import date
from typing import Any

from people.models import Person
from sentences import services
from sentences.constants import DisposalType, OffenceCategory, RequirementType
from sentences.models import Event


def community_order(
    person: Person,
    *,
    sentenced_on: date = date(2026, 1, 12),
    months: int = 12,
    requirements: list[services.RequirementInput] | None = None,
    sexual: bool = False,
    acting_user: Any = None,
) -> Event:
    return services.record_event(
        acting_user=acting_user,
        person=person,
        court="Nottingham Magistrates' Court",
        convicted_on=sentenced_on,
        sentenced_on=sentenced_on,
        offences=[
            services.OffenceInput(
                description="Assault by beating" if not sexual else "Sexual assault",
                category=OffenceCategory.SEXUAL if sexual else OffenceCategory.VIOLENCE,
                committed_on=sentenced_on.replace(day=1),
                is_main=True,
                is_violent=not sexual,
                is_sexual=sexual,
            )
        ],
        sentence=services.SentenceInput(disposal_type=DisposalType.COMMUNITY_ORDER, length_months=months),
        requirements=requirements
        if requirements is not None
        else [services.RequirementInput(type=RequirementType.RAR, amount=20)],
    )
