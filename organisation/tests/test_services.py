from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.constants import AuditAction
from audit.models import AuditEvent
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.roles import Role
from organisation import services
from organisation.models import Office, Pdu, Region
from organisation.tests.factories import OfficeFactory, PduFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.ADMINISTRATOR)


def test_renaming_a_pdu_is_audited_with_old_and_new_names(admin: Any) -> None:
    pdu = PduFactory(name="Old name")
    services.rename_pdu(acting_user=admin, pdu_id=pdu.pk, name="New name", expected_version=1)
    pdu.refresh_from_db()
    assert pdu.name == "New name" and pdu.version == 2
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(pdu.pk))
    assert event.changes == {"name": ["Old name", "New name"]} and event.actor == admin


def test_a_stale_version_is_refused(admin: Any) -> None:
    pdu = PduFactory()
    services.rename_pdu(acting_user=admin, pdu_id=pdu.pk, name="First", expected_version=1)
    with pytest.raises(StaleRecord):
        services.rename_pdu(acting_user=admin, pdu_id=pdu.pk, name="Second", expected_version=1)


def test_pdu_names_are_unique_among_active_pdus_in_a_region(admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.create_pdu(acting_user=admin, name="leeds", region=Region.objects.get(pk="C"))
    # The same name in another region is fine.
    services.create_pdu(acting_user=admin, name="Leeds", region=Region.objects.get(pk="F"))


def test_retiring_keeps_the_record_and_history(admin: Any) -> None:
    pdu = PduFactory()
    services.retire_pdu(acting_user=admin, pk=pdu.pk, expected_version=1)
    pdu.refresh_from_db()
    assert pdu.retired_at is not None and not Pdu.objects.active().filter(pk=pdu.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        services.retire_pdu(acting_user=admin, pk=pdu.pk, expected_version=2)
    with pytest.raises(TransitionNotAllowed):
        services.rename_pdu(acting_user=admin, pdu_id=pdu.pk, name="x", expected_version=2)
    services.reinstate_pdu(acting_user=admin, pk=pdu.pk, expected_version=2)
    actions = list(
        AuditEvent.objects.filter(object_id=str(pdu.pk), object_type="organisation.pdu").values_list(
            "action", flat=True
        )
    )
    assert actions == [AuditAction.REINSTATE, AuditAction.RETIRE]


def test_a_pdu_with_active_offices_or_teams_cannot_be_retired(admin: Any) -> None:
    office = OfficeFactory()
    with pytest.raises(TransitionNotAllowed):
        services.retire_pdu(acting_user=admin, pk=office.pdu_id, expected_version=1)
    team = TeamFactory()
    with pytest.raises(TransitionNotAllowed):
        services.retire_pdu(acting_user=admin, pk=team.pdu_id, expected_version=1)


def test_office_changes_are_validated_and_audited(admin: Any) -> None:
    pdu = PduFactory()
    office = services.create_office(
        acting_user=admin, name="Hub", address="1 Road", postcode="ng1 6ab", pdu=pdu
    )
    assert office.postcode == "NG1 6AB"
    with pytest.raises(ValidationError) as error:
        services.update_office(
            acting_user=admin, office_id=office.pk, expected_version=1, postcode="NOT A POSTCODE"
        )
    assert "postcode" in error.value.message_dict
    office.refresh_from_db()
    assert office.postcode == "NG1 6AB" and office.version == 1  # nothing half-written
    services.update_office(acting_user=admin, office_id=office.pk, expected_version=1, name="Hub 2")
    event = AuditEvent.objects.filter(object_type="organisation.office", action=AuditAction.UPDATE).get()
    assert event.changes == {"name": ["Hub", "Hub 2"]}


def test_an_office_cannot_move_to_a_retired_pdu(admin: Any) -> None:
    retired = PduFactory()
    services.retire_pdu(acting_user=admin, pk=retired.pk, expected_version=1)
    retired.refresh_from_db()
    office = OfficeFactory()
    with pytest.raises(ValidationError):
        services.update_office(acting_user=admin, office_id=office.pk, expected_version=1, pdu=retired)
    assert Office.objects.get(pk=office.pk).pdu_id == office.pdu_id
