"""Writes to geography reference data. Each is atomic, guarded and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from organisation.models import Office, Pdu, Region, Staff, Team

OFFICE_FIELDS = ("name", "address", "postcode", "pdu_id", "is_delivery_office", "is_reporting_office")


def _check_unique_pdu_name(name: str, region: Region, exclude_pk: int | None = None) -> None:
    clash = Pdu.objects.active().filter(region=region, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"{region.name} already has a PDU called {name}"})


@transaction.atomic
def create_pdu(*, acting_user: Any, name: str, region: Region) -> Pdu:
    name = name.strip()
    _check_unique_pdu_name(name, region)
    pdu = Pdu.objects.create(name=name, region=region)
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=pdu,
        changes={"name": [None, name], "region_id": [None, region.pk]},
    )
    return pdu


@transaction.atomic
def rename_pdu(*, acting_user: Any, pdu_id: int, name: str, expected_version: int) -> Pdu:
    pdu = lock_at_version(Pdu, pdu_id, expected_version)
    if not pdu.is_active:
        raise TransitionNotAllowed("A retired PDU cannot be renamed. Reinstate it first.")
    name = name.strip()
    if name == pdu.name:
        return pdu
    _check_unique_pdu_name(name, pdu.region, exclude_pk=pdu.pk)
    old_name = pdu.name
    pdu.name = name
    pdu.bump_version()
    pdu.save(update_fields=["name", "version"])
    audit.record(AuditAction.UPDATE, actor=acting_user, obj=pdu, changes={"name": [old_name, name]})
    return pdu


def _set_retired(
    model: type[Pdu] | type[Office], *, acting_user: Any, pk: int, expected_version: int, retire: bool
) -> Any:
    """Retires (soft-deletes) or reinstates a PDU or office, guarded and audited."""
    record: Any = lock_at_version(model, pk, expected_version)
    label = model._meta.verbose_name
    if retire and not record.is_active:
        raise TransitionNotAllowed(f"This {label} is already retired.")
    if not retire and record.is_active:
        raise TransitionNotAllowed(f"This {label} is already in use.")
    old = record.retired_at
    record.retired_at = timezone.now() if retire else None
    record.bump_version()
    record.save(update_fields=["retired_at", "version"])
    action = AuditAction.RETIRE if retire else AuditAction.REINSTATE
    audit.record(action, actor=acting_user, obj=record, changes={"retired_at": [old, record.retired_at]})
    return record


@transaction.atomic
def retire_pdu(*, acting_user: Any, pk: int, expected_version: int) -> Pdu:
    pdu = Pdu.objects.get(pk=pk)
    if pdu.offices.active().exists() or pdu.teams.active().exists():
        raise TransitionNotAllowed("Move or retire this PDU's offices and teams before retiring the PDU.")
    return _set_retired(Pdu, acting_user=acting_user, pk=pk, expected_version=expected_version, retire=True)


@transaction.atomic
def reinstate_pdu(*, acting_user: Any, pk: int, expected_version: int) -> Pdu:
    pdu = Pdu.objects.get(pk=pk)
    _check_unique_pdu_name(pdu.name, pdu.region, exclude_pk=pdu.pk)
    return _set_retired(Pdu, acting_user=acting_user, pk=pk, expected_version=expected_version, retire=False)


def _office_snapshot(office: Office) -> dict[str, Any]:
    return {field: getattr(office, field) for field in OFFICE_FIELDS}


def _clean_office(office: Office) -> None:
    office.postcode = office.postcode.strip().upper()
    office.full_clean(exclude=["version", "retired_at"])
    if not office.pdu.is_active:
        raise ValidationError({"pdu": "Choose a PDU that is in use"})


@transaction.atomic
def create_office(*, acting_user: Any, **fields: Any) -> Office:
    office = Office(**fields)
    _clean_office(office)
    office.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=office,
        changes=audit.diff({}, _office_snapshot(office)),
    )
    return office


@transaction.atomic
def update_office(*, acting_user: Any, office_id: int, expected_version: int, **fields: Any) -> Office:
    office = lock_at_version(Office, office_id, expected_version)
    if not office.is_active:
        raise TransitionNotAllowed("A retired office cannot be changed. Reinstate it first.")
    before = _office_snapshot(office)
    for name, value in fields.items():
        setattr(office, name, value)
    _clean_office(office)
    changes = audit.diff(before, _office_snapshot(office))
    if not changes:
        return office
    office.bump_version()
    office.save()
    audit.record(AuditAction.UPDATE, actor=acting_user, obj=office, changes=changes)
    return office


@transaction.atomic
def retire_office(*, acting_user: Any, pk: int, expected_version: int) -> Office:
    return _set_retired(
        Office, acting_user=acting_user, pk=pk, expected_version=expected_version, retire=True
    )


@transaction.atomic
def reinstate_office(*, acting_user: Any, pk: int, expected_version: int) -> Office:
    if not Office.objects.select_related("pdu").get(pk=pk).pdu.is_active:
        raise TransitionNotAllowed("Reinstate the office's PDU first.")
    return _set_retired(
        Office, acting_user=acting_user, pk=pk, expected_version=expected_version, retire=False
    )


STAFF_FIELDS = ("forename", "surname", "grade", "contracted_hours", "pdu_id", "team_id")


def _staff_snapshot(staff: Staff) -> dict[str, Any]:
    return {field: getattr(staff, field) for field in STAFF_FIELDS}


def _clean_staff(staff: Staff) -> None:
    staff.full_clean()
    if staff.team is not None and staff.team.pdu_id != staff.pdu_id:
        raise ValidationError({"team": "Choose a team in the staff member's PDU"})
    if not staff.pdu.is_active:
        raise ValidationError({"pdu": "Choose a PDU that is in use"})


@transaction.atomic
def create_team(*, acting_user: Any, code: str, name: str, pdu: Pdu) -> Team:
    team = Team(code=code.strip().upper(), name=name.strip(), pdu=pdu)
    team.full_clean()
    if not pdu.is_active:
        raise ValidationError({"pdu": "Choose a PDU that is in use"})
    team.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=team,
        changes=audit.diff({}, {"code": team.code, "name": team.name, "pdu_id": pdu.pk}),
    )
    return team


@transaction.atomic
def create_staff(*, acting_user: Any, **fields: Any) -> Staff:
    staff = Staff(**fields)
    staff.staff_code = staff.staff_code.strip().upper()
    _clean_staff(staff)
    staff.save()
    audit.record(
        AuditAction.CREATE, actor=acting_user, obj=staff, changes=audit.diff({}, _staff_snapshot(staff))
    )
    return staff


@transaction.atomic
def update_staff(*, acting_user: Any, staff_id: int, expected_version: int, **fields: Any) -> Staff:
    staff = lock_at_version(Staff, staff_id, expected_version)
    if staff.left_at is not None:
        raise TransitionNotAllowed("This member of staff has left; their record can no longer change.")
    before = _staff_snapshot(staff)
    for name, value in fields.items():
        setattr(staff, name, value)
    _clean_staff(staff)
    changes = audit.diff(before, _staff_snapshot(staff))
    if changes:
        staff.bump_version()
        staff.save()
        audit.record(AuditAction.UPDATE, actor=acting_user, obj=staff, changes=changes)
    return staff
