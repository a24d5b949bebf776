from __future__ import annotations

from datetime import date
from typing import Any

from commissioning.constants import GeographyLevel
from commissioning.models import Contract, Supplier


def supplier(code: str = "TEST_SUPPLIER", **fields: Any) -> Supplier:
    found, _ = Supplier.objects.get_or_create(code=code, defaults={"name": code.title()} | fields)
    return found


def contract(reference: str = "TEST_0001", categories: tuple[int, ...] = (1,), **overrides: Any) -> Contract:
    fields: dict[str, Any] = {
        "title": "Accommodation Services - East Midlands",
        "contract_type": "ACC",
        "geography_level": GeographyLevel.REGION,
        "region_id": "F",
        "allows_female": True,
        "allows_male": True,
        "minimum_age": 18,
        "starts_on": date(2021, 6, 1),
        "nationally_commissioned": True,
    }
    fields.update(overrides)
    fields.setdefault("supplier", supplier())
    created = Contract.objects.create(reference=reference, **fields)
    created.categories.set(categories)
    return created
