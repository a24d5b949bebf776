from __future__ import annotations

from datetime import date, time
from typing import Any

from organisation.models import Pdu
from people.models import Person
from sentences import services as sentences
from sentences.constants import RequirementType
from sentences.tests.factories import community_order
from unpaid_work.models import Project, UnpaidWorkOrder


def upw_order(
    person: Person, hours: int = 100, *, sentenced_on: date = date(2026, 9, 7), only_upw: bool = True
) -> UnpaidWorkOrder:
    requirements = [sentences.RequirementInput(type=RequirementType.UNPAID_WORK, amount=hours)]
    if not only_upw:
        requirements.append(sentences.RequirementInput(type=RequirementType.RAR, amount=5))
    event = community_order(person, sentenced_on=sentenced_on, requirements=requirements)
    return UnpaidWorkOrder.objects.get(requirement__sentence__event=event)


def project(pdu: Pdu | None = None, **overrides: Any) -> Project:
    fields: dict[str, Any] = {
        "name": "Clean up the canal towpath",
        "pdu": pdu or Pdu.objects.get(name="Nottingham City"),
        "type": "GROUP",
        "beneficiary": "Canal and River Trust",
        "address": "Canal Street, Nottingham",
        "postcode": "NG1 7EH",
        "weekdays": [0, 1, 2, 3, 4, 5],
        "starts_at": time(9),
        "ends_at": time(16),
        "capacity": 6,
        "people_per_supervisor": 6,
        "start_date": date(2026, 1, 1),
    }
    fields.update(overrides)
    return Project.objects.create(**fields)
