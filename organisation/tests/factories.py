from __future__ import annotations

import factory

from organisation.constants import Grade, OrganisationKind
from organisation.models import ExternalOrganisation, Office, Pdu, Staff, Team


class PduFactory(factory.django.DjangoModelFactory[Pdu]):
    class Meta:
        model = Pdu

    name = factory.Sequence(lambda n: f"Test PDU {n}")
    region_id = "F"


class OfficeFactory(factory.django.DjangoModelFactory[Office]):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Test office {n}")
    address = "1 High Street, Nottingham"
    postcode = "NG1 1AA"
    pdu = factory.SubFactory(PduFactory)


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"TEAM{n:04d}")
    name = factory.Sequence(lambda n: f"Team {n}")
    pdu = factory.SubFactory(PduFactory)


class StaffFactory(factory.django.DjangoModelFactory[Staff]):
    class Meta:
        model = Staff

    staff_code = factory.Sequence(lambda n: f"STF{n:05d}")
    forename = factory.Faker("first_name")
    surname = factory.Faker("last_name")
    grade = Grade.PO
    team = factory.SubFactory(TeamFactory)
    pdu = factory.LazyAttribute(lambda staff: staff.team.pdu if staff.team else PduFactory())


class ExternalOrganisationFactory(factory.django.DjangoModelFactory[ExternalOrganisation]):
    class Meta:
        model = ExternalOrganisation

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.PROVIDER
