from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.exceptions import StaleRecord, TransitionNotAllowed
from people.tests.factories import PersonFactory
from sentences import services
from sentences.constants import (
    DisposalType,
    OffenceCategory,
    RequirementStatus,
    RequirementType,
    SentenceStatus,
    TerminationReason,
)
from sentences.models import Event, LicenceCondition
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db
UPW = RequirementType.UNPAID_WORK


def test_a_community_order_with_unpaid_work_and_rar_gets_its_end_dates() -> None:
    person = PersonFactory()
    event = community_order(
        person,
        sentenced_on=date(2026, 3, 1),
        months=18,
        requirements=[
            services.RequirementInput(type=UPW, amount=120),
            services.RequirementInput(type=RequirementType.RAR, amount=15),
        ],
    )
    sentence = event.sentence
    assert sentence.expected_end_on == date(2027, 8, 31)
    upw, rar = sentence.requirements.order_by("type")[1], sentence.requirements.order_by("type")[0]
    assert upw.type == UPW and upw.expected_end_on == date(2027, 2, 28)  # 12 months to work the hours
    assert rar.expected_end_on == sentence.expected_end_on
    assert AuditEvent.objects.filter(object_type="sentences.event", object_id=str(event.pk)).exists()
    person.refresh_from_db()
    assert person.tier == "MISSING"  # supervised, but no OGRS4 predictors yet


def test_limits_are_named_by_field_and_nothing_is_saved() -> None:
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        community_order(person, requirements=[services.RequirementInput(type=UPW, amount=301)])
    assert "requirements.0.hours" in error.value.message_dict
    assert not Event.objects.filter(person=person).exists()


def test_unpaid_work_from_one_occasion_is_capped_at_300_hours() -> None:
    person = PersonFactory()
    community_order(person, requirements=[services.RequirementInput(type=UPW, amount=200)])
    with pytest.raises(ValidationError, match="cannot exceed 300"):
        community_order(person, requirements=[services.RequirementInput(type=UPW, amount=101)])
    community_order(person, requirements=[services.RequirementInput(type=UPW, amount=100)])
    # A different occasion starts a new total.
    community_order(
        person, sentenced_on=date(2026, 2, 2), requirements=[services.RequirementInput(type=UPW, amount=300)]
    )


def test_a_community_order_needs_a_requirement_and_one_main_offence() -> None:
    with pytest.raises(ValidationError, match="at least one requirement"):
        community_order(PersonFactory(), requirements=[])


def test_custody_gets_licence_conditions_and_post_sentence_supervision() -> None:
    person = PersonFactory(date_of_birth=date(1990, 5, 5))
    event = services.record_event(
        acting_user=None,
        person=person,
        court="Leeds Crown Court",
        convicted_on=date(2026, 1, 5),
        sentenced_on=date(2026, 1, 5),
        offences=[
            services.OffenceInput(
                description="Burglary",
                category=OffenceCategory.THEFT,
                committed_on=date(2025, 12, 1),
                is_main=True,
            )
        ],
        sentence=services.SentenceInput(
            disposal_type=DisposalType.CUSTODY,
            custodial_days=180,
            released_on=date(2026, 4, 5),
            licence_ends_on=date(2026, 7, 4),
        ),
        requirements=[],
        additional_licence_conditions=["Not to contact the victim"],
    )
    sentence = event.sentence
    assert sentence.pss_ends_on == date(2027, 4, 4) and sentence.expected_end_on == date(2027, 4, 4)
    assert LicenceCondition.objects.filter(sentence=sentence).count() == 9


def test_ending_a_sentence_ends_its_requirements_and_is_final() -> None:
    person = PersonFactory()
    event = community_order(person)
    services.end_sentence(
        acting_user=None,
        sentence_id=event.sentence.pk,
        ended_on=date(2026, 6, 1),
        reason=TerminationReason.REVOKED_GOOD_PROGRESS,
        expected_version=1,
    )
    event.refresh_from_db()
    assert event.sentence.status == SentenceStatus.TERMINATED and not event.is_active
    assert set(event.sentence.requirements.values_list("status", flat=True)) == {RequirementStatus.TERMINATED}
    person.refresh_from_db()
    assert person.tier == "NOT_SUPERVISED"
    with pytest.raises(TransitionNotAllowed):
        services.end_sentence(
            acting_user=None,
            sentence_id=event.sentence.pk,
            ended_on=date(2026, 6, 2),
            reason=TerminationReason.COMPLETED,
            expected_version=2,
        )


def test_requirement_completion(make_user: Any) -> None:
    event = community_order(PersonFactory())
    requirement = event.sentence.requirements.get()
    services.end_requirement(
        acting_user=make_user(),
        requirement_id=requirement.pk,
        ended_on=date(2026, 5, 1),
        reason=TerminationReason.COMPLETED,
        expected_version=1,
    )
    requirement.refresh_from_db()
    assert requirement.status == RequirementStatus.COMPLETED
    with pytest.raises(TransitionNotAllowed):
        services.end_requirement(
            acting_user=None,
            requirement_id=requirement.pk,
            ended_on=date(2026, 5, 2),
            reason=TerminationReason.COMPLETED,
            expected_version=2,
        )


def test_ending_a_sentence_from_an_old_copy_is_refused_and_changes_nothing() -> None:
    event = community_order(PersonFactory())
    with pytest.raises(StaleRecord):
        services.end_sentence(
            acting_user=None,
            sentence_id=event.sentence.pk,
            ended_on=date(2026, 6, 1),
            reason=TerminationReason.COMPLETED,
            expected_version=7,
        )
    event.sentence.refresh_from_db()
    assert event.sentence.status == SentenceStatus.ACTIVE and event.sentence.version == 1
