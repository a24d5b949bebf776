from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import GENESIS_HASH, compute_hash, first_broken_link
from audit.constants import AuditAction
from audit.models import AuditEvent
from audit.services import record


def _rows(n: int) -> list[tuple[int, str, str, dict[str, object]]]:
    rows, previous = [], GENESIS_HASH
    for i in range(1, n + 1):
        fields: dict[str, object] = {"action": "VIEW", "object_id": str(i)}
        digest = compute_hash(previous, fields)
        rows.append((i, previous, digest, fields))
        previous = digest
    return rows


def test_an_intact_chain_has_no_broken_link() -> None:
    assert first_broken_link(_rows(5)) is None


def test_altered_content_is_reported_at_that_row() -> None:
    rows = _rows(5)
    row_id, previous, digest, fields = rows[2]
    rows[2] = (row_id, previous, digest, {**fields, "object_id": "tampered"})
    assert first_broken_link(rows) == (3, "content does not match its hash (the row was altered)")


def test_a_removed_row_breaks_the_link_of_the_next() -> None:
    rows = _rows(5)
    del rows[1]
    broken = first_broken_link(rows)
    assert broken is not None and broken[0] == 3


def test_the_first_row_must_link_to_genesis() -> None:
    rows = _rows(2)[1:]
    assert first_broken_link(rows) == (2, "previous_hash does not match the hash of the row before it")


@pytest.mark.django_db
def test_recorded_events_chain_and_verify() -> None:
    first = record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username="someone")
    second = record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username="someone", changes={"when": "now"})
    assert second.previous_hash == first.hash
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_model() -> None:
    event = record(AuditAction.SIGN_OUT, actor=None, actor_username="x")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_verification_reports_the_first_tampered_event() -> None:
    events = [record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username=f"u{i}") for i in range(4)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger must refuse this first...
            with pytest.raises(Exception, match="append-only"), connection.cursor() as inner:
                inner.execute(
                    "UPDATE audit_auditevent SET actor_username='forged' WHERE id=%s", [events[2].pk]
                )
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET actor_username='forged' WHERE id=%s", [events[2].pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("verify_audit_chain", stdout=StringIO())
    assert AuditEvent.objects.count() == 4
