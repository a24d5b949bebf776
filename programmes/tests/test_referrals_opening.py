"""How a programme referral opens and closes (issue 12): a programme requirement or a
licence condition to attend a programme opens one when the sentence is recorded; the
practitioner can refer too; it is withdrawn by the system when its requirement or the
sentence ends, unless the programme is already complete."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.roles import Role
from programmes.constants import (
    ApprovalStatus,
    ProgrammeKind,
    ReferralSource,
    ReferralStatus,
    StatusReason,
)
from programmes.models import GroupMember, ProgrammeReferral
from programmes.services import referrals as services
from programmes.tests.factories import ProgrammeFactory, RoomFactory, group, programme_with_template
from programmes.tests.referral_builders import licence, person_of, referral_in
from risk import services as risk_services
from sentences import services as sentences
from sentences.constants import DisposalType, RequirementType, TerminationReason
from sentences.models import Requirement
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db

PROGRAMME = sentences.RequirementInput(type=RequirementType.PROGRAMME)
RAR = sentences.RequirementInput(type=RequirementType.RAR, amount=20)


def test_a_programme_requirement_opens_a_referral_waiting_for_assessment(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    event = community_order(
        person, sentenced_on=date(2026, 9, 7), months=18, requirements=[RAR, PROGRAMME], acting_user=user
    )
    requirement = Requirement.objects.get(sentence__event=event, type=RequirementType.PROGRAMME)
    referral = ProgrammeReferral.objects.get(person=person)
    assert (referral.source, referral.requirement, referral.licence_condition) == (
        ReferralSource.REQUIREMENT,
        requirement,
        None,
    )
    assert (referral.pdu, referral.must_finish_by, referral.referred_on) == (
        person.pdu,
        requirement.expected_end_on,
        date(2026, 9, 7),
    )
    assert referral.programme is None and referral.status == ReferralStatus.AWAITING_ASSESSMENT
    first = referral.status_changes.get()
    assert (first.from_status, first.to_status, first.changed_by) == (
        "",
        ReferralStatus.AWAITING_ASSESSMENT,
        user,
    )
    assert AuditEvent.objects.filter(object_type="programmes.programmereferral", action="CREATE").count() == 1


def test_an_order_without_a_programme_requirement_opens_none(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    community_order(person, requirements=[RAR])
    assert not ProgrammeReferral.objects.filter(person=person).exists()


def test_a_licence_condition_to_attend_a_programme_opens_a_referral_to_finish_by_the_licence_end(
    make_user: Any,
) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    event = licence(person, licence_ends_on=date(2027, 7, 5))
    condition = event.sentence.licence_conditions.get(requires_programme=True)
    assert str(condition) == "Attend and take part in an accredited programme"
    referral = ProgrammeReferral.objects.get(person=person)
    assert (referral.source, referral.licence_condition, referral.requirement) == (
        ReferralSource.LICENCE_CONDITION,
        condition,
        None,
    )
    assert (referral.must_finish_by, referral.referred_on) == (date(2027, 7, 5), date(2026, 1, 5))


def test_a_licence_without_the_programme_condition_opens_none(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    licence(person, programme_condition=False)
    assert not ProgrammeReferral.objects.filter(person=person).exists()


def test_only_a_custodial_sentence_takes_the_programme_licence_condition(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    with pytest.raises(ValidationError) as refused:
        sentences.record_event(
            acting_user=None,
            person=person,
            court="Court",
            convicted_on=date(2026, 1, 5),
            sentenced_on=date(2026, 1, 5),
            offences=[
                sentences.OffenceInput(
                    description="Theft", category="ACQUISITIVE", committed_on=date(2026, 1, 1), is_main=True
                )
            ],
            sentence=sentences.SentenceInput(disposal_type=DisposalType.COMMUNITY_ORDER, length_months=12),
            requirements=[RAR],
            programme_licence_condition=True,
        )
    assert "programme_licence_condition" in refused.value.message_dict


def test_the_sentence_form_and_api_record_the_programme_licence_condition(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    client = client_for(user)
    assert (
        "Attend and take part in an accredited programme"
        in client.get(f"/cases/{person.crn}/events/new/").content.decode()
    )
    response = client.post(
        f"/api/v1/people/{person.crn}/events",
        {
            "court": "Leeds Crown Court",
            "convicted_on": "2026-01-05",
            "sentenced_on": "2026-01-05",
            "offences": [
                {
                    "description": "Assault",
                    "category": "VIOLENCE",
                    "committed_on": "2026-01-01",
                    "is_main": True,
                }
            ],
            "sentence": {
                "disposal_type": "CUSTODY",
                "custodial_days": 730,
                "released_on": "2026-07-06",
                "licence_ends_on": "2027-07-05",
            },
            "programme_licence_condition": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["sentence"]["programme_licence_condition"] is True
    assert ProgrammeReferral.objects.get(person=person).source == ReferralSource.LICENCE_CONDITION


def test_the_ldc_score_is_read_from_the_latest_risk_assessment(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    risk_services.record_assessment(
        acting_user=None, person=person, completed_on=date(2026, 2, 1), ovp=Decimal("40"), ldc_score=3
    )
    community_order(person, requirements=[PROGRAMME])
    referral = ProgrammeReferral.objects.get(person=person)
    assert referral.ldc_score == 3
    assert list(referral.ldc_scores.values_list("score", "is_override")) == [(3, False)]


# --- Closed by the sentence ------------------------------------------------------------------


def _end_requirement(requirement: Requirement, on: date = date(2026, 11, 2)) -> None:
    sentences.end_requirement(
        acting_user=None,
        requirement_id=requirement.pk,
        ended_on=on,
        reason=TerminationReason.AMENDED,
        expected_version=requirement.version,
    )


def test_ending_the_programme_requirement_withdraws_its_referral_by_the_system(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    event = community_order(person, sentenced_on=date(2026, 9, 7), requirements=[RAR, PROGRAMME])
    requirements = {r.type: r for r in Requirement.objects.filter(sentence__event=event)}
    _end_requirement(requirements[RequirementType.RAR])
    referral = ProgrammeReferral.objects.get(person=person)
    assert referral.status == ReferralStatus.AWAITING_ASSESSMENT  # another requirement ended: no change
    _end_requirement(requirements[RequirementType.PROGRAMME])
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        ReferralStatus.WITHDRAWN,
        StatusReason.SENTENCE_ENDED,
    )
    assert referral.closed_on is not None
    move = referral.status_changes.first()
    assert move is not None and move.changed_by is None and move.note == "Requirement ended"


def test_ending_the_sentence_withdraws_a_licence_referral_even_in_a_group(make_user: Any) -> None:
    manager = make_user(Role.TREATMENT_MANAGER)
    person = person_of(make_user(Role.PRACTITIONER))
    event = licence(person)
    referral = ProgrammeReferral.objects.get(person=person)
    programme = programme_with_template()
    referral.programme, referral.status = programme, ReferralStatus.SCHEDULED
    referral.save()
    room = RoomFactory()
    made = group(programme, room=room, treatment_manager=manager.staff, created_by=manager)
    member = GroupMember.objects.create(group=made, referral=referral, joined_on=date(2026, 11, 1))
    sentences.end_sentence(
        acting_user=None,
        sentence_id=event.sentence.pk,
        ended_on=date(2026, 11, 20),
        reason=TerminationReason.REVOKED_NEW_CONVICTION,
        expected_version=event.sentence.version,
    )
    referral.refresh_from_db()
    member.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        ReferralStatus.WITHDRAWN,
        StatusReason.SENTENCE_ENDED,
    )
    assert member.left_on is not None


def test_a_completed_programme_stays_complete_when_the_requirement_ends(make_user: Any) -> None:
    person = person_of(make_user(Role.PRACTITIONER))
    referral = referral_in(ReferralStatus.PROGRAMME_COMPLETE, person)
    assert referral.requirement is not None
    _end_requirement(referral.requirement)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROGRAMME_COMPLETE


# --- Referred by the practitioner -------------------------------------------------------------


def _refer(user: Any, person: Any, programme: Any, requirement_type: str | None) -> ProgrammeReferral:
    event = person.events.order_by("-number").first()
    requirement = (
        Requirement.objects.get(sentence__event=event, type=requirement_type) if requirement_type else None
    )
    return services.refer(
        acting_user=user,
        person=person,
        event_id=event.pk,
        programme_id=programme.pk,
        requirement_id=requirement.pk if requirement else None,
    )


def test_a_structured_intervention_is_referred_against_a_rar_requirement(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    community_order(person, requirements=[RAR], sentenced_on=date(2026, 9, 7))
    intervention = ProgrammeFactory(kind=ProgrammeKind.STRUCTURED, intensity="")
    referral = _refer(user, person, intervention, RequirementType.RAR)
    assert (referral.source, referral.programme, referral.referred_by) == (
        ReferralSource.PRACTITIONER,
        intervention,
        user,
    )
    accredited = ProgrammeFactory()
    with pytest.raises(ValidationError) as refused:
        _refer(user, person, accredited, RequirementType.RAR)
    assert refused.value.message_dict == {
        "requirement": ["An accredited programme is referred against a programme requirement"]
    }


def test_an_accredited_programme_is_not_referred_against_a_rar_and_an_intervention_not_against_a_programme_requirement(
    make_user: Any,
) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    community_order(person, requirements=[PROGRAMME], sentenced_on=date(2026, 9, 7))
    with pytest.raises(ValidationError) as refused:
        _refer(user, person, ProgrammeFactory(kind=ProgrammeKind.STRUCTURED), RequirementType.PROGRAMME)
    assert "rehabilitation activity requirement" in refused.value.message_dict["requirement"][0]


def test_the_requirement_already_referred_is_not_referred_twice(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    community_order(person, requirements=[PROGRAMME], sentenced_on=date(2026, 9, 7))
    with pytest.raises(ValidationError) as refused:
        _refer(user, person, ProgrammeFactory(), RequirementType.PROGRAMME)
    assert "already an open referral" in refused.value.message_dict["requirement"][0]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ApprovalStatus.SUBMITTED},
        {"status": ApprovalStatus.WITHDRAWN},
        {"withdrawn_on": date(2026, 1, 1)},
        {"available_from": date(2027, 1, 1)},
        {"men": False},
    ],
    ids=["not approved", "rolled down", "withdrawn", "not yet available", "not for men"],
)
def test_only_a_programme_taking_referrals_and_open_to_the_person_can_be_chosen(
    make_user: Any, fields: dict[str, Any]
) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user, sex="MALE")
    community_order(person, requirements=[RAR], sentenced_on=date(2026, 9, 7))
    closed = ProgrammeFactory(kind=ProgrammeKind.STRUCTURED, **fields)
    with pytest.raises(ValidationError) as refused:
        _refer(user, person, closed, RequirementType.RAR)
    assert list(refused.value.message_dict) == ["programme"]


def test_under_a_licence_the_referral_is_against_the_licence(make_user: Any) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    event = licence(person, programme_condition=False)
    referral = _refer(user, person, ProgrammeFactory(kind=ProgrammeKind.STRUCTURED), None)
    assert referral.licence_condition is not None and referral.licence_condition.standard == "ACTIVITIES"
    assert referral.must_finish_by == event.sentence.licence_ends_on


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_practitioner_refers_in_the_browser_and_is_told_the_person_cannot_finish(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.PRACTITIONER)
    person = person_of(user)
    event = community_order(person, requirements=[RAR], sentenced_on=date(2026, 1, 12), months=12)
    rar = Requirement.objects.get(sentence__event=event)
    long = ProgrammeFactory(kind=ProgrammeKind.STRUCTURED, name="Long intervention", typical_weeks=20)
    client = client_for(user)
    url = f"/cases/{person.crn}/programme-referrals/new/"
    page = client.get(url).content.decode()
    assert "Long intervention" in page and "Refer to a programme" in page
    empty = client.post(url, {})
    assert empty.status_code == 400 and 'href="#id_event"' in empty.content.decode()
    response = client.post(url, {"event": event.pk, "programme": long.pk, "requirement": rar.pk})
    referral = ProgrammeReferral.objects.get(person=person, source=ReferralSource.PRACTITIONER)
    assert (
        response.status_code == 302
        and response["Location"] == f"/programme-referrals/{referral.pk}/referred/"
    )
    confirmation = client.get(response["Location"]).content.decode()
    assert "Referral made" in confirmation and 'data-testid="cannot-finish"' in confirmation
    weeks_left = (rar.expected_end_on - date(2026, 12, 1)) // timedelta(weeks=1)
    assert f"Cannot finish in time: {weeks_left} weeks left" in confirmation
