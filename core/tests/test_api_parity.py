"""Everything a page can do, the API can do: the pieces the pages show and the API once
lacked. Every record that can be edited carries a ``version`` (optimistic locking), so
every API schema returning one must include it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from accounts.api import UserOut
from commissioning.api import SupplierOut
from commissioning.competitions.api import CompetitionOut
from commissioning.models import DesiredOutcome
from core.roles import Role
from organisation.api import OfficeOut, PduOut, StaffOut, TeamOut
from people.api import PersonOut
from programmes.api.catalogue import ProgrammeOut, RoomOut
from programmes.api.groups import GroupOut, SessionOut
from programmes.api.referrals import ProgrammeReferralOut
from referrals.api import ReferralOut
from referrals.rules import achievement_score
from sentences.api import RequirementOut, SentenceOut
from supervision.api import AppointmentOut, BreachOut
from unpaid_work.api import BookingOut, OrderOut, ProjectOut, UnpaidWorkSessionOut
from unpaid_work.plans_api import PlanOut

# Each model with a version column, and the schema the API returns it as.
RETURNED_AS: dict[str, Any] = {
    "referrals.Referral": ReferralOut,
    "unpaid_work.UnpaidWorkOrder": OrderOut,
    "unpaid_work.Booking": BookingOut,
    "unpaid_work.PlanRun": PlanOut,
    "supervision.Appointment": AppointmentOut,
    "supervision.Breach": BreachOut,
    "organisation.Pdu": PduOut,
    "organisation.Office": OfficeOut,
    "sentences.Sentence": SentenceOut,
    "sentences.Requirement": RequirementOut,
    "commissioning.Competition": CompetitionOut,
    "people.Person": PersonOut,
    "organisation.Staff": StaffOut,
    "organisation.Team": TeamOut,
    "unpaid_work.Project": ProjectOut,
    "unpaid_work.WorkSession": UnpaidWorkSessionOut,
    "accounts.User": UserOut,
    "commissioning.Supplier": SupplierOut,
    "programmes.ProgrammeReferral": ProgrammeReferralOut,
    "programmes.Programme": ProgrammeOut,
    "programmes.Room": RoomOut,
    "programmes.ProgrammeGroup": GroupOut,
    "programmes.ProgrammeSession": SessionOut,
}


def test_every_versioned_record_is_returned_with_its_version() -> None:
    """Proved able to fail: removing ``version`` from ``PersonOut`` turns this red."""
    versioned = {
        model._meta.label
        for model in apps.get_models()
        if any(f.name == "version" for f in model._meta.concrete_fields)
    }
    assert versioned - set(RETURNED_AS) == set(), "Name the API schema of each versioned model"
    for label, schema in RETURNED_AS.items():
        assert "version" in schema.model_fields, f"{schema.__name__} ({label}) lacks version"


@pytest.mark.parametrize(
    ("ratings", "score"),
    [
        ([], Decimal(0)),
        (["NOT_ACHIEVED"], Decimal(0)),
        (["PARTIALLY_ACHIEVED"], Decimal("0.5")),
        (["ACHIEVED"], Decimal(1)),
        (["ACHIEVED", "PARTIALLY_ACHIEVED", "NOT_ACHIEVED"], Decimal("1.5")),
    ],
)
def test_the_achievement_score(ratings: list[str], score: Decimal) -> None:
    assert achievement_score(ratings) == score


@pytest.mark.django_db
def test_categories_give_their_desired_outcomes_with_ids(make_user: Any, client_for: Any) -> None:
    """A referral names desired outcomes by id, so the API must say what the ids are."""

    categories = client_for(make_user(Role.PRACTITIONER)).get("/api/v1/commissioning/categories").json()
    first = categories[0]["desired_outcomes"][0]
    assert DesiredOutcome.objects.get(pk=first["id"]).description == first["description"]
