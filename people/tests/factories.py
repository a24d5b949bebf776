from __future__ import annotations

import factory

from organisation.tests.factories import TeamFactory
from people.models import Person


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    crn = factory.Sequence(lambda n: f"X{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    team = factory.SubFactory(TeamFactory)
    pdu = factory.LazyAttribute(lambda p: p.team.pdu if p.team else None)
