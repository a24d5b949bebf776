"""Writes about people on probation. Each is atomic, guarded and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit import services as audit
from audit.constants import AuditAction
from people.constants import AccessListKind
from people.models import CaseAccessEntry, Person


def record_person_viewed(*, acting_user: Any, person: Person) -> None:
    """Every opening of a person's record is audited, page or API alike.

    The audit trail names people by CRN only: administrators who search it need the
    identifier to investigate misuse, not the person's name (data minimisation).
    """
    audit.record(
        AuditAction.VIEW, actor=acting_user, obj=person, object_id=person.crn, object_repr=person.crn
    )


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
