"""Dynamic Framework rules as pure functions: the framework's term, which categories a
contract covers, whether a service is open to a person, and when a nationally
commissioned service is due its regional review. No Django imports.

Sources: docs/domain/commissioning.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from commissioning.constants import (
    CONTRACT_TYPE_CATEGORIES,
    NEED_AREA_PREFIXES,
    YOUNG_ADULT_MAX_AGE,
    YOUNG_ADULTS_CATEGORY,
    ApplicationStatus,
)
from core.policy import value_on
from people.rules import Sex


def framework_end(on: date, extensions_taken: int = 0) -> date:
    """The last day of the framework: the initial term plus any extensions taken, each
    of the policy length, and no more extensions than the policy allows."""
    allowed = value_on("df_max_extensions", on)
    if not 0 <= extensions_taken <= allowed:
        raise ValueError(f"The framework can be extended at most {allowed} times")
    start = value_on("df_framework_start", on)
    months = 12 * value_on("df_initial_term_years", on) + extensions_taken * value_on(
        "df_extension_months", on
    )
    return start + relativedelta(months=months) - relativedelta(days=1)


def categories_for(contract_type: str, need_areas: list[str], maximum_age: int | None) -> set[int]:
    """The categories a contract covers: its type's, the needs its activities name, and
    Young Adults when it is only for people up to 25."""
    base = contract_type.split("-", maxsplit=1)[0]
    found = set(CONTRACT_TYPE_CATEGORIES.get(base, ()))
    for area in need_areas:
        name = area.strip().lower()
        found |= {number for prefix, number in NEED_AREA_PREFIXES if name.startswith(prefix)}
    if maximum_age is not None and maximum_age <= YOUNG_ADULT_MAX_AGE:
        found.add(YOUNG_ADULTS_CATEGORY)
    return found


@dataclass(frozen=True)
class ServiceFacts:
    """What decides whether a contracted service is open to someone."""

    geography_level: str
    region_id: str | None
    pcc_area_id: str | None
    pdu_id: int | None
    allows_female: bool
    allows_male: bool
    minimum_age: int
    maximum_age: int | None
    starts_on: date
    ends_on: date | None
    categories: frozenset[int]


@dataclass(frozen=True)
class PersonFacts:
    sex: str
    date_of_birth: date
    region_id: str | None
    pcc_area_id: str | None
    pdu_id: int | None


def age_on(date_of_birth: date, on: date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def why_not_available(
    service: ServiceFacts, person: PersonFacts, on: date, category: int | None = None
) -> list[str]:
    """Every reason the service is not open to the person on the day; empty means open.
    Local authority contracts match on the person's PDU's PCC area (a PDU is made of
    local authorities and lies inside one force area)."""
    age = age_on(person.date_of_birth, on)
    place = {
        "NATIONAL": True,
        "REGION": service.region_id == person.region_id,
        "PCC_AREA": service.pcc_area_id == person.pcc_area_id,
        "LOCAL_AUTHORITY": service.pcc_area_id == person.pcc_area_id,
        "PDU": service.pdu_id == person.pdu_id,
    }[service.geography_level]
    checks = [
        (not place, "not available where they live"),
        (person.sex == Sex.FEMALE and not service.allows_female, "for men only"),
        (person.sex != Sex.FEMALE and not service.allows_male, "for women only"),
        (age < service.minimum_age, f"for people aged {service.minimum_age} and over"),
        (
            service.maximum_age is not None and age > service.maximum_age,
            f"for people aged up to {service.maximum_age}",
        ),
        (on < service.starts_on, f"starts on {service.starts_on:%-d %B %Y}"),
        (service.ends_on is not None and on > service.ends_on, "no longer taking referrals"),
        (category is not None and category not in service.categories, "does not offer that kind of help"),
    ]
    return [reason for failed, reason in checks if failed]


def review_due(starts_on: date) -> date:
    """Regional Probation Directors review a nationally commissioned service within two
    years of its start (the policy period as it stood when the service started)."""
    return starts_on + relativedelta(months=value_on("df_review_months", starts_on))


@dataclass(frozen=True)
class SqAnswers:
    """The answers that decide a Selection Questionnaire (the assessor still decides)."""

    mandatory_exclusions_apply: bool
    discretionary_exclusions_apply: bool
    exclusion_details: str
    annual_turnover: float
    audited_accounts: bool
    employers_liability: float
    public_liability: float
    professional_indemnity: float
    safeguarding_declaration: bool
    data_protection_declaration: bool
    categories: int
    places: int


def sq_guidance(answers: SqAnswers, on: date) -> dict[str, str]:
    """What the assessor should look at, by section: a mandatory exclusion must fail;
    cover below the minimum, a missing declaration or nothing offered is a reason to fail."""
    minimum = value_on("sq_min_insurance", on)
    short = [
        f"{name.replace('_', ' ')} below £{amount:,}"
        for name, amount in minimum.items()
        if getattr(answers, name) < amount
    ]
    notes = {
        "MANDATORY_EXCLUSION": "A mandatory exclusion ground applies: the application must fail"
        if answers.mandatory_exclusions_apply
        else "",
        "DISCRETIONARY_EXCLUSION": "A discretionary ground applies: weigh the self-cleaning evidence"
        + ("" if answers.exclusion_details.strip() else " (none was given)")
        if answers.discretionary_exclusions_apply
        else "",
        "ECONOMIC_FINANCIAL": ""
        if answers.audited_accounts
        else "No audited accounts: ask for other evidence",
        "TECHNICAL_PROFESSIONAL": ""
        if answers.categories and answers.places
        else "No categories or places offered",
        "INSURANCE": "; ".join(short),
        "SAFEGUARDING": ""
        if answers.safeguarding_declaration
        else "The safeguarding declaration is not made",
        "DATA_PROTECTION": ""
        if answers.data_protection_declaration
        else "The data protection declaration is not made",
    }
    return {section: note for section, note in notes.items() if note}


def sq_decision(results: dict[str, bool], sections: list[str]) -> str | None:
    """PASSED when every section passed, FAILED as soon as all are assessed and one
    failed, None while any is still to assess."""
    if any(section not in results for section in sections):
        return None
    return ApplicationStatus.PASSED if all(results[s] for s in sections) else ApplicationStatus.FAILED
