from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from people.tests.factories import PersonFactory
from risk import services
from risk.models import TierCalculation
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db


def _assess(person, **overrides):
    fields = {
        "completed_on": date(2026, 2, 1),
        "rosh": "MEDIUM",
        "arp_score": Decimal("60"),
        "arp_type": "DYNAMIC",
        "csrp_score": Decimal("1.5"),
        "csrp_type": "DYNAMIC",
        "rsr": Decimal("2.0"),
        "ogrs3": Decimal("55"),
        "need_scores": {"ACCOMMODATION": 3, "THINKING_AND_BEHAVIOUR": 8},
    } | overrides
    return services.record_assessment(acting_user=None, person=person, **fields)


def test_an_assessment_sets_the_tier_with_reasons_and_history() -> None:
    person = PersonFactory()
    community_order(person)
    _assess(person)
    person.refresh_from_db()
    assert person.tier == "D" and person.rosh == "MEDIUM"  # CSRP 1.0+ row, ARP 50+ column
    latest = TierCalculation.objects.filter(person=person).first()
    assert latest.trigger == "Risk assessment completed"
    assert any("combined serious reoffending" in r for r in latest.reasons)
    assert latest.legacy_tier[0] == "C"  # protect: RoSH medium 10 points


def test_a_registration_retiers_and_an_unchanged_result_adds_no_history() -> None:
    person = PersonFactory()
    community_order(person)
    _assess(person, csrp_score=Decimal("0.2"), arp_score=Decimal("10"))  # table gives G
    person.refresh_from_db()
    assert person.tier == "G"
    count = TierCalculation.objects.filter(person=person).count()
    services.add_registration(
        acting_user=None, person=person, type="DOMESTIC_ABUSE", starts_on=date(2026, 3, 1)
    )
    person.refresh_from_db()
    assert person.tier == "E"
    assert TierCalculation.objects.filter(person=person).count() == count + 1
    services.recalculate_tier(person=person, acting_user=None, trigger="nightly check")
    assert TierCalculation.objects.filter(person=person).count() == count + 1


def test_mappa_with_very_high_rosh_is_tier_a() -> None:
    person = PersonFactory()
    community_order(person)
    _assess(person, rosh="VERY_HIGH")
    services.set_mappa(acting_user=None, person=person, category=2, level=2, starts_on=date(2026, 3, 1))
    person.refresh_from_db()
    assert person.tier == "A" and person.legacy_tier == "A2"  # change: needs 1 + 4, OGRS3 55 -> 5; 10 points


def test_an_inconsistent_sexual_predictor_is_rejected_not_guessed() -> None:
    person = PersonFactory()
    community_order(person)
    with pytest.raises(ValidationError) as error:
        _assess(person, dc_srp_score=Decimal("0.5"), dc_srp_band="MEDIUM")
    assert "dc_srp_score" in error.value.message_dict


def test_a_duplicate_open_registration_is_refused() -> None:
    person = PersonFactory()
    services.add_registration(acting_user=None, person=person, type="STALKING", starts_on=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.add_registration(
            acting_user=None, person=person, type="STALKING", starts_on=date(2026, 3, 2)
        )
