"""The person's Programme Needs Identifier (issue 12): recalculated from the latest risk
assessment when one is recorded, in the same transaction, kept as history only when the
result changes, shown on the overview and answered by the API within the user's scope."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.roles import Role
from people.tests.factories import PersonFactory
from programmes import rules, services
from programmes.models import ProgrammeNeeds
from risk import services as risk_services
from risk.constants import PNI_NEED_ITEMS
from risk.models import RiskAssessment

pytestmark = pytest.mark.django_db

# Medium risk (OVP 40%), need 6 of 8: thinking 2 (override), relationships 2, self-management 2, sex 0.
HIGH_NEEDS = {
    "pro_criminal_attitudes": 2,
    "hostile_orientation": 0,
    "current_relationship_close_family": 2,
    "previous_close_relationships": 1,
    "easily_influenced": 1,
    "aggressive_controlling_behaviour": 1,
    "impulsivity": 2,
    "temper_control": 2,
    "problem_solving": 1,
    "difficulties_coping": 0,
}


def _assess(person: Any, user: Any = None, **fields: Any) -> RiskAssessment:
    return risk_services.record_assessment(
        acting_user=user, person=person, completed_on=date(2026, 2, 1), **({"ovp": Decimal("40")} | fields)
    )


def test_risk_and_programmes_name_the_same_thirteen_items() -> None:
    """risk cannot import programmes.rules, so its list of items is checked against it here."""
    domains = {
        "sex": rules.SexDomain,
        "thinking": rules.ThinkingDomain,
        "relationships": rules.RelationshipsDomain,
        "self_management": rules.SelfManagementDomain,
    }
    assert set(PNI_NEED_ITEMS) == {d.value for d in rules.Domain}
    for domain, items in PNI_NEED_ITEMS.items():
        assert items == tuple(f.name for f in dataclasses.fields(domains[domain]))


def test_recording_an_assessment_recalculates_the_pni_from_it() -> None:
    person = PersonFactory(sex="MALE")
    assessment = _assess(person, **HIGH_NEEDS)
    pni = ProgrammeNeeds.objects.get(person=person)
    assert (pni.risk_level, pni.need_level, pni.need_score, pni.pathway) == (
        "MEDIUM",
        "HIGH",
        6,
        "MODERATE_INTENSITY",
    )
    assert pni.domain_scores == {"sex": 0, "thinking": 2, "relationships": 2, "self_management": 2}
    assert pni.assessment_id == assessment.pk and pni.trigger == "Risk assessment recorded"
    assert "OVP 40% is medium" in " ".join(pni.reasons)
    assert AuditEvent.objects.filter(object_repr=f"{person.crn} programme needs").count() == 1


def test_unknown_items_leave_the_need_missing_not_low() -> None:
    person = PersonFactory()
    _assess(person, **(HIGH_NEEDS | {"temper_control": None}))
    pni = ProgrammeNeeds.objects.get(person=person)
    assert pni.need_level == "MISSING" and pni.pathway == "MISSING_INFORMATION"
    assert pni.domain_scores is not None and pni.domain_scores["self_management"] is None


def test_an_unchanged_result_stores_no_new_row() -> None:
    person = PersonFactory(sex="MALE")
    _assess(person, **HIGH_NEEDS)
    _assess(person, **HIGH_NEEDS, rosh="HIGH")  # RoSH is not a PNI input
    services.recalculate_pni(acting_user=None, person=person, trigger="By hand")
    assert ProgrammeNeeds.objects.filter(person=person).count() == 1
    _assess(person, **HIGH_NEEDS | {"ovp": Decimal("65")})  # high risk, high need
    assert list(ProgrammeNeeds.objects.filter(person=person).values_list("pathway", flat=True)) == [
        "HIGH_INTENSITY",
        "MODERATE_INTENSITY",
    ]


def test_a_failing_pni_rolls_the_assessment_back(monkeypatch: Any) -> None:
    """The assessment and the PNI it changes commit together or not at all. Proved able to
    fail: with the handler's call caught and ignored, the assessment was kept."""
    person = PersonFactory()

    def broken(**kwargs: Any) -> None:
        raise ValidationError("PNI failed")

    monkeypatch.setattr(services, "recalculate_pni", broken)
    with pytest.raises(ValidationError):
        _assess(person, **HIGH_NEEDS)
    assert not RiskAssessment.objects.filter(person=person).exists()


def test_the_overview_shows_the_panel_to_a_viewer(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff, sex="MALE")
    page = client_for(user).get(f"/cases/{person.crn}/").content.decode()
    assert "Not calculated yet" in page
    _assess(person, **HIGH_NEEDS)
    page = client_for(user).get(f"/cases/{person.crn}/").content.decode()
    assert "Programme needs: Moderate intensity" in page
    assert "need score 6 of 8" in page and "Thinking domain" in page and "OVP 40% is medium" in page


def test_the_api_answers_the_persons_pni_and_audits_the_read(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff, sex="MALE")
    client = client_for(user)
    url = f"/api/v1/people/{person.crn}/programme-needs"
    assert client.get(url).status_code == 404  # no assessment yet, so no PNI
    _assess(person, **HIGH_NEEDS)
    before = AuditEvent.objects.count()
    body = client.get(url).json()
    assert set(body) == {
        "risk_level",
        "need_level",
        "need_score",
        "domain_scores",
        "pathway",
        "reasons",
        "calculated_at",
    }
    assert body["pathway"] == "MODERATE_INTENSITY" and body["domain_scores"]["thinking"] == 2
    assert AuditEvent.objects.count() == before + 1


def test_the_api_answers_404_to_someone_out_of_scope(make_user: Any, client_for: Any) -> None:
    """Proved able to fail: with ``get_person_for`` replaced by an unscoped
    ``Person.objects.get`` in ``programmes.api``, the other team's practitioner got 200."""
    owner = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=owner.staff.team, practitioner=owner.staff)
    _assess(person, **HIGH_NEEDS)
    outsider = make_user(Role.PRACTITIONER)
    response = client_for(outsider).get(f"/api/v1/people/{person.crn}/programme-needs")
    assert response.status_code == 404
    assert "MODERATE" not in response.content.decode()
