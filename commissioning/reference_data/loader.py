"""Loads the framework's reference data (categories, complexity levels, desired
outcomes: by migration) and the real 2021-2026 framework contracts (by
``load_framework_contracts``, run by the demo), from files shipped in this folder.

The contracts are the 196 contract definitions of HMPPS's refer-and-monitor service
(hmpps-interventions-service ``src/main/resources/contracts``), with their suppliers,
subcontractors, geographies, eligibility and dates. Values and expected volumes are
not published there, so they are left empty for commissioners to record.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from commissioning import rules
from commissioning.constants import GeographyLevel
from commissioning.models import Contract, Supplier

HERE = Path(__file__).resolve().parent
CONTRACTS_FILE = HERE / "framework_contracts_2021_2026.json"

# Supplier codes whose readable names are not simply the code in words.
SUPPLIER_NAMES = {
    "ACHIEVE_NW": "Achieve North West",
    "BIG_LIFE_GROUP": "The Big Life Group",
    "BWC": "BWC",
    "CHANGE_GROW_LIVE_LTD": "Change Grow Live",
    "COMMUNITY_LED_INIT": "Community Led Initiatives",
    "DHI": "DHI",
    "GM_MH_NHS_FT": "Greater Manchester Mental Health NHS Foundation Trust",
    "GM_WOM_SUP_AL": "Greater Manchester Women's Support Alliance",
    "INGEUS_UK_LIMITED": "Ingeus UK",
    "MAXIMUS_UK": "Maximus UK",
    "NACRO": "Nacro",
    "NOTT_WOMENS_CENTRE": "Nottingham Women's Centre",
    "NWPS": "NWPS",
    "PSS_UK": "PSS (UK)",
    "PS_EOE_HOUSING_SUPPORT": "PS EOE Housing Support",
    "PS_YATH_HOUSING": "PS YATH Housing",
    "SEETEC_BUS_TECH_CTR_LTD": "Seetec Business Technology Centre",
    "ST_GILES_WISE_GRP": "St Giles Wise Group",
    "ST_GILES_WISE_LTD": "St Giles Wise",
    "ST_MUNGOS": "St Mungo's",
    "THE_GROWTH_COMPANY_LTD": "The Growth Company",
    "V_I_A": "VIA",
    "WE_ARE_WITH_YOU": "We Are With You",
    "WOMENS_COMM_MATTERS": "Women's Community Matters",
    "WOMENS_CTR_CORNWALL": "Women's Centre Cornwall",
    "WOMENS_WORK_DERBS_LTD": "Women's Work (Derbyshire)",
    "KSS_CRC": "Kent, Surrey and Sussex CRC",
    "CAIS_LTD": "CAIS",
    "YSS": "YSS",
    "RFEA": "RFEA",
    "IDAS": "IDAS",
    "C2C": "C2C",
    "POPS": "POPS",
    "PACT": "PACT",
    "SHP": "SHP",
    "ACCORD_HOUSING_ASSOC": "Accord Housing Association",
    "BLACK_COUNTRY_WA": "Black Country Women's Aid",
    "CAMBS_WMNS_RESOURCE_CTR": "Cambridge Women's Resources Centre",
    "CIRCLES_UK": "Circles UK",
    "DVIP_RICHMOND": "DVIP (Richmond)",
    "PRISON_ADVICE_CARE_TRST": "Prison Advice and Care Trust",
    "WOMENSSUPPORTCTR_SURREY": "Women's Support Centre Surrey",
    "THE_BRIDGE_EM": "The Bridge East Midlands",
}
_SMALL_WORDS = {"AND", "OF", "FOR", "THE", "IN"}


def supplier_name(code: str) -> str:
    if code in SUPPLIER_NAMES:
        return SUPPLIER_NAMES[code]
    words = [w for w in code.split("_") if w not in {"LTD", "LIMITED", "CIC"}]
    named = [w.lower() if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words)]
    return " ".join(named).replace("Womens", "Women's").replace("Mens", "Men's")


def rows(name: str) -> Iterator[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def load_categories(apps: Any, connection: Any) -> None:
    """The 14 categories, and what each complexity level and desired outcome means."""
    db = connection.alias
    category = apps.get_model("commissioning", "ServiceCategory")
    level = apps.get_model("commissioning", "ComplexityLevel")
    outcome = apps.get_model("commissioning", "DesiredOutcome")
    category.objects.using(db).bulk_create(
        category(number=int(r["number"]), name=r["name"], kind=r["kind"])
        for r in rows("service_categories.csv")
    )
    level.objects.using(db).bulk_create(
        level(category_id=int(r["category"]), level=r["level"], description=r["description"])
        for r in rows("complexity_levels.csv")
    )
    outcome.objects.using(db).bulk_create(
        outcome(category_id=int(r["category"]), description=r["description"])
        for r in rows("desired_outcomes.csv")
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def contract_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """One contract definition as our fields (geography, eligibility, dates)."""
    region, pcc = raw["region"]["nps_region_code"], raw["region"]["pcc_region_code"]
    eligibility = raw["eligibility"]
    ends = _day(raw["scheduling"].get("hide_after"))
    return {
        "title": raw["intervention_title"][:200],
        "contract_type": raw["contract_type_id"],
        "geography_level": GeographyLevel.PCC_AREA if pcc else GeographyLevel.REGION,
        "region_id": region,
        "pcc_area_id": pcc,
        "allows_female": bool(eligibility["allows_female"]),
        "allows_male": bool(eligibility["allows_male"]),
        "minimum_age": eligibility["minimum_age"] or 18,
        "maximum_age": eligibility["maximum_age"],
        "starts_on": _day(raw["scheduling"]["hide_before"]),
        "ends_on": ends,
        "nationally_commissioned": True,
        "description": (raw.get("short_description") or "").strip(),
        "activities": raw.get("activities") or [],
    }


def load_framework_contracts() -> int:
    """Loads (or refreshes) the real contracts; returns how many were new. Idempotent."""

    definitions = json.loads(CONTRACTS_FILE.read_text(encoding="utf-8"))
    codes = {d["providers"]["prime_provider_code"] for d in definitions}
    codes |= {c for d in definitions for c in d["providers"]["subcontractor_codes"]}
    existing = set(Supplier.objects.filter(code__in=codes).values_list("code", flat=True))
    Supplier.objects.bulk_create(
        Supplier(code=code, name=supplier_name(code), appointed_on=date(2021, 6, 1))
        for code in sorted(codes - existing)
    )
    suppliers = {s.code: s for s in Supplier.objects.filter(code__in=codes)}
    created = 0
    for raw in definitions:
        fields = contract_fields(raw)
        contract, new = Contract.objects.update_or_create(
            reference=raw["contract_reference"],
            defaults=fields | {"supplier": suppliers[raw["providers"]["prime_provider_code"]]},
        )
        created += new
        needs = [a["need_area"] for a in fields["activities"]]
        contract.categories.set(rules.categories_for(fields["contract_type"], needs, fields["maximum_age"]))
        contract.subcontractors.set([suppliers[c] for c in raw["providers"]["subcontractor_codes"]])
    return created
