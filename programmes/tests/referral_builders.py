"""Builders for the programme referral tests: people in a practitioner's team, referrals
put in a given state (test set-up, not a move), licences with a programme condition."""

from __future__ import annotations

from datetime import date
from typing import Any

from people.models import Person
from people.tests.factories import PersonFactory
from programmes.constants import NeedArea, ReferralStatus, Suitability
from programmes.models import Programme, ProgrammeReferral
from programmes.tests.factories import ProgrammeFactory, programme_referral
from sentences import services as sentences
from sentences.constants import DisposalType, OffenceCategory
from sentences.models import Event


def person_of(practitioner: Any, **fields: Any) -> Person:
    """A person in the practitioner's team (so the practitioner, and region-wide
    programme staff in the same region, may see them)."""
    return PersonFactory(team=practitioner.staff.team, practitioner=practitioner.staff, **fields)


def bbr(**fields: Any) -> Programme:
    """Building Better Relationships: the accredited domestic abuse programme, for men."""
    return ProgrammeFactory(
        name="Building Better Relationships",
        need_area=NeedArea.DOMESTIC_ABUSE,
        women=False,
        typical_weeks=30,
        **fields,
    )


def referral_in(
    status: str,
    person: Person,
    *,
    programme: Programme | None = None,
    suitability: str = Suitability.SUITABLE,
    **fields: Any,
) -> ProgrammeReferral:
    """A referral (opened by a programme requirement) put straight into ``status``."""
    referral = programme_referral(person, programme or ProgrammeFactory(), **fields)
    referral.status = status
    referral.suitability = suitability if status != ReferralStatus.AWAITING_ASSESSMENT else ""
    referral.save()
    return referral


def licence(
    person: Person,
    *,
    sentenced_on: date = date(2026, 1, 5),
    released_on: date = date(2026, 7, 6),
    licence_ends_on: date = date(2027, 7, 5),
    programme_condition: bool = True,
    acting_user: Any = None,
) -> Event:
    """A custodial sentence, released on licence, with the programme licence condition."""
    return sentences.record_event(
        acting_user=acting_user,
        person=person,
        court="Nottingham Crown Court",
        convicted_on=sentenced_on,
        sentenced_on=sentenced_on,
        offences=[
            sentences.OffenceInput(
                description="Assault occasioning actual bodily harm",
                category=OffenceCategory.VIOLENCE,
                committed_on=sentenced_on.replace(day=1),
                is_main=True,
                is_violent=True,
            )
        ],
        sentence=sentences.SentenceInput(
            disposal_type=DisposalType.CUSTODY,
            custodial_days=730,
            released_on=released_on,
            licence_ends_on=licence_ends_on,
        ),
        requirements=[],
        programme_licence_condition=programme_condition,
    )
