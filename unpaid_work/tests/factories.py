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
    person: Person,
    hours: int = 100,
    *,
    sentenced_on: date = date(2026, 9, 7),
    only_upw: bool = True,
    home_postcode: str = "NG1 1AA",
) -> UnpaidWorkOrder:
    """An order with a home postcode on record, so journeys can be worked out (an unknown
    journey is refused); pass ``home_postcode=""`` for one whose home is not known."""
    requirements = [sentences.RequirementInput(type=RequirementType.UNPAID_WORK, amount=hours)]
    if not only_upw:
        requirements.append(sentences.RequirementInput(type=RequirementType.RAR, amount=5))
    event = community_order(person, sentenced_on=sentenced_on, requirements=requirements)
    order = UnpaidWorkOrder.objects.get(requirement__sentence__event=event)
    if home_postcode:
        UnpaidWorkOrder.objects.filter(pk=order.pk).update(home_postcode=home_postcode)
        order.home_postcode = home_postcode
    return order


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
