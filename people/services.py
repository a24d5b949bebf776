"""Writes about people on probation. Each is atomic, guarded and audited."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from audit import services as audit
from audit.constants import AuditAction
from core.locking import lock_at_version
from organisation.models import UK_POSTCODE, Pdu, Team
from people.constants import AccessListKind
from people.models import Address, Alias, CaseAccessEntry, Person

CRN_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"


def _new_crn() -> str:
    generator = random.SystemRandom()
    while True:
        crn = f"{generator.choice(CRN_LETTERS)}{generator.randrange(1_000_000):06d}"
        if not Person.objects.filter(crn=crn).exists():
            return crn


@transaction.atomic
def create_person(
    *, acting_user: Any, pdu: Pdu, team: Team | None, address: dict[str, str] | None = None, **fields: Any
) -> Person:
    """Creates a person with a new CRN in the given PDU (and team), unallocated."""
    person = Person(crn=_new_crn(), pdu=pdu, team=team, **fields)
    person.full_clean(exclude=["practitioner"])
    person.save()
    if address:
        Address.objects.create(person=person, start_date=date.today(), is_main=True, **address)
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=person,
        object_id=person.crn,
        object_repr=person.crn,
        changes={"crn": [None, person.crn], "pdu": [None, pdu.pk]},
    )
    return person


@transaction.atomic
def add_access_entry(
    *, acting_user: Any, person: Person, user: Any, kind: AccessListKind, reason: str
) -> CaseAccessEntry:
    """Puts a user on a case's excluded or permitted list (restricting the case if PERMITTED)."""
    entry, _ = CaseAccessEntry.objects.update_or_create(
        person=person, user=user, defaults={"kind": kind, "reason": reason}
    )
    if kind == AccessListKind.PERMITTED and not person.is_restricted:
        Person.objects.filter(pk=person.pk).update(is_restricted=True)
        person.is_restricted = True
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=person,
        object_id=person.crn,
        object_repr=person.crn,
        changes={"access_list": [None, {"user": user.get_username(), "kind": kind, "reason": reason}]},
    )
    return entry


@transaction.atomic
def add_alias(
    *, acting_user: Any, person: Person, first_name: str, last_name: str, date_of_birth: date | None = None
) -> Alias:
    if not first_name.strip() or not last_name.strip():
        raise ValidationError({"first_name": "Enter both names of the alias"})
    alias = Alias.objects.create(
        person=person, first_name=first_name.strip(), last_name=last_name.strip(), date_of_birth=date_of_birth
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=alias,
        object_id=str(alias.pk),
        object_repr=person.crn,
        changes={"alias": [None, "added"]},
    )
    return alias


@transaction.atomic
def change_address(
    *,
    acting_user: Any,
    person: Person,
    line_1: str,
    town: str,
    postcode: str,
    moved_on: date,
    expected_version: int,
    line_2: str = "",
) -> Address:
    """Records a new main address; the current one ends the day before, so history is kept.

    The person is the aggregate its addresses belong to: the change names the person's
    version, so two people recording different moves at once cannot both succeed.
    """
    postcode = postcode.strip().upper()
    UK_POSTCODE(postcode)
    locked = lock_at_version(Person, person.pk, expected_version)
    current = (
        Address.objects.select_for_update().filter(person=person, is_main=True, end_date__isnull=True).first()
    )
    if current is not None:
        if moved_on <= current.start_date:
            raise ValidationError({"moved_on": "The move date must be after the current address started"})
        current.end_date = moved_on - timedelta(days=1)
        current.is_main = False
        current.save(update_fields=["end_date", "is_main"])
    address = Address.objects.create(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode,
        start_date=moved_on,
        is_main=True,
    )
    locked.bump_version()
    locked.save(update_fields=["version"])
    person.version = locked.version
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=person,
        object_id=person.crn,
        object_repr=person.crn,
        changes={"address": ["previous" if current else None, "new main address"]},
    )
    return address
