from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from core.roles import DEFAULT_SCOPE, EXTERNAL_ROLES, Role
from organisation.constants import Grade
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory

TEST_PASSWORD = "correct-horse-battery-staple"

GRADE_FOR_ROLE = {
    Role.PRACTITIONER: Grade.PO,
    Role.SENIOR_PROBATION_OFFICER: Grade.SPO,
    Role.UNPAID_WORK: Grade.PLACEMENT_COORDINATOR,
    Role.PROGRAMMES: Grade.TREATMENT_MANAGER,
    Role.REGIONAL_DIRECTOR: Grade.REGIONAL_DIRECTOR,
    Role.NATIONAL_ANALYST: Grade.ANALYST,
    Role.ADMINISTRATOR: Grade.ADMINISTRATOR,
    Role.COMMERCIAL: Grade.COMMERCIAL_MANAGER,
}


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user of a given role; staff roles get a staff record, external roles an organisation."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PRACTITIONER
    scope_level = factory.LazyAttribute(lambda u: DEFAULT_SCOPE[Role(u.role)].value)
    staff = factory.LazyAttribute(
        lambda u: None if Role(u.role) in EXTERNAL_ROLES else StaffFactory(grade=GRADE_FOR_ROLE[Role(u.role)])
    )
    organisation = factory.LazyAttribute(
        lambda u: ExternalOrganisationFactory() if Role(u.role) in EXTERNAL_ROLES else None
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        if create:
            instance.save()
