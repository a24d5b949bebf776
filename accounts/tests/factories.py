from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from accounts.models import User, UserRole
from core.roles import EXTERNAL_ROLES, Role, default_scope_for_roles, in_table_order
from organisation.constants import Grade
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory

TEST_PASSWORD = "correct-horse-battery-staple"

GRADE_FOR_ROLE = {
    Role.PRACTITIONER: Grade.PO,
    Role.SENIOR_PROBATION_OFFICER: Grade.SPO,
    Role.UNPAID_WORK: Grade.PLACEMENT_COORDINATOR,
    Role.TREATMENT_MANAGER: Grade.TREATMENT_MANAGER,
    Role.FACILITATOR: Grade.FACILITATOR,
    Role.PROGRAMME_COORDINATOR: Grade.CASE_ADMINISTRATOR,
    Role.PARTNER_LINK_WORKER: Grade.PSO,
    Role.INTERVENTIONS_PANEL: Grade.TREATMENT_MANAGER,
    Role.REGIONAL_DIRECTOR: Grade.REGIONAL_DIRECTOR,
    Role.NATIONAL_ANALYST: Grade.ANALYST,
    Role.ADMINISTRATOR: Grade.ADMINISTRATOR,
    Role.COMMERCIAL: Grade.COMMERCIAL_MANAGER,
}


def _held(u: Any) -> list[Role]:
    """The roles a factory call asks for: ``roles=[...]``, else ``role=``."""
    return in_table_order(u.roles if u.roles is not None else [u.role])


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user holding ``role`` (one) or ``roles`` (several); staff roles get a staff record
    (graded for the first role), external roles an organisation. ``roles=[]`` makes a user
    holding no role at all."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        role = Role.PRACTITIONER
        roles: Iterable[Role] | None = None

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    scope_level = factory.LazyAttribute(lambda u: default_scope_for_roles(_held(u)).value)
    staff = factory.LazyAttribute(
        lambda u: (
            None
            if not _held(u) or set(_held(u)) & EXTERNAL_ROLES
            else StaffFactory(grade=GRADE_FOR_ROLE[_held(u)[0]])
        )
    )
    organisation = factory.LazyAttribute(
        lambda u: ExternalOrganisationFactory() if set(_held(u)) & EXTERNAL_ROLES else None
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def grants(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Holds the roles asked for (written straight to the table, as fixtures may build
        combinations the services would refuse, to prove the refusal elsewhere)."""
        # factory_boy passes Params to post-generation through the factory's resolver only;
        # the held roles are stashed on the instance by _create below.
        held = obj.__dict__.pop("_factory_roles", [])
        if create and held:
            UserRole.objects.bulk_create([UserRole(user=obj, role=role) for role in held])
        obj.forget_roles()

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        held = kwargs.pop("_held_roles")
        user = super()._create(model_class, *args, **kwargs)
        user.__dict__["_factory_roles"] = held
        return user

    _held_roles = factory.LazyAttribute(_held)

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        if create:
            instance.save()
