"""The risk assessment stores what the Programme Needs Identifier reads (issue 12): OSP-IIC,
SARA, the thirteen need items and the LDC score, from the service, the page and the API,
and it tells other contexts it was recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import events
from core.roles import Role
from people.tests.factories import PersonFactory
from risk import services
from risk.constants import PNI_ITEM_NAMES
from risk.models import RiskAssessment

pytestmark = pytest.mark.django_db
JSON = "application/json"
ITEMS = dict.fromkeys(PNI_ITEM_NAMES, 1) | {"pro_criminal_attitudes": 2}


def test_the_service_stores_the_pni_inputs_and_keeps_unknown_items_null() -> None:
    person = PersonFactory()
    fields = ITEMS | {"temper_control": None}
    assessment = services.record_assessment(
        acting_user=None,
        person=person,
        completed_on=date(2026, 2, 1),
        dc_srp_band="MEDIUM",
        osp_iic_band="NOT_APPLICABLE",
        sara_partner="HIGH",
        sara_others="LOW",
        ldc_score=3,
        **fields,
    )
    stored = RiskAssessment.objects.get(pk=assessment.pk)
    assert (stored.osp_iic_band, stored.sara_partner, stored.sara_others, stored.ldc_score) == (
        "NOT_APPLICABLE",
        "HIGH",
        "LOW",
        3,
    )
    assert stored.pro_criminal_attitudes == 2 and stored.temper_control is None


def test_out_of_range_values_are_refused_by_the_service_and_the_database() -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.record_assessment(
            acting_user=None, person=person, completed_on=date(2026, 2, 1), impulsivity=3
        )
    assert "impulsivity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_assessment(
            acting_user=None, person=person, completed_on=date(2026, 2, 1), ldc_score=7
        )
    assert error.value.message_dict["ldc_score"] == ["The LDC score must be from 0 to 6"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.create(person=person, completed_on=date(2026, 2, 1), hostile_orientation=3)


def test_recording_publishes_the_event_in_the_same_transaction() -> None:
    seen: list[events.RiskAssessmentRecorded] = []
    events.subscribe(events.RiskAssessmentRecorded, seen.append)
    try:
        person = PersonFactory()
        assessment = services.record_assessment(
            acting_user=None, person=person, completed_on=date(2026, 2, 1)
        )
    finally:
        events._handlers[events.RiskAssessmentRecorded].remove(seen.append)
    assert seen == [
        events.RiskAssessmentRecorded(acting_user=None, person_id=person.pk, assessment_id=assessment.pk)
    ]


def test_the_page_takes_the_inputs_and_names_a_bad_one_in_the_error_summary(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    client = client_for(user)
    url = f"/cases/{person.crn}/risk/assessments/new/"
    page = client.get(url).content.decode()
    assert 'name="offence_related_sexual_interests"' in page and "Unknown" in page
    bad = client.post(url, {"completed_on": "01/02/2026", "impulsivity": "3", "ldc_score": "9"})
    body = bad.content.decode()
    assert bad.status_code == 400 and 'href="#id_impulsivity"' in body
    good = client.post(
        url,
        {
            "completed_on": "01/02/2026",
            "osp_iic_band": "LOW",
            "sara_others": "MEDIUM",
            "impulsivity": "2",
            "ldc_score": "2",
        },
    )
    assert good.status_code == 302, good.content
    stored = RiskAssessment.objects.get(person=person)
    assert (stored.osp_iic_band, stored.sara_others, stored.impulsivity, stored.ldc_score) == (
        "LOW",
        "MEDIUM",
        2,
        2,
    )
    assert stored.temper_control is None  # "Unknown", never 0


def test_the_api_takes_the_inputs_and_answers_422_on_bad_values(make_user: Any, client_for: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = PersonFactory(team=user.staff.team, practitioner=user.staff)
    client = client_for(user)
    url = f"/api/v1/people/{person.crn}/risk-assessments"
    for bad, field in (
        ({"impulsivity": 3}, "impulsivity"),
        ({"impulsivity": "1"}, "impulsivity"),
        ({"osp_iic_band": "VERY_HIGH"}, "osp_iic_band"),
        ({"sara_partner": "SEVERE"}, "sara_partner"),
        ({"ldc_score": 7}, "ldc_score"),
    ):
        response = client.post(url, {"completed_on": "2026-02-01"} | bad, content_type=JSON)
        assert response.status_code == 422, (bad, response.content)
        assert field in response.json()["errors"][0]["field"], response.json()
    ok = client.post(
        url,
        {"completed_on": "2026-02-01", "sara_partner": "VERY_HIGH", "ldc_score": 1} | ITEMS,
        content_type=JSON,
    )
    assert ok.status_code == 201, ok.content
    stored = RiskAssessment.objects.get(person=person)
    assert (
        stored.sara_partner == "VERY_HIGH"
        and stored.pro_criminal_attitudes == 2
        and stored.osp_iic_band == ""
    )
