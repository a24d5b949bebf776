"""Signed checkpoints make removal of the newest audit events detectable (ADR 13)."""

from __future__ import annotations

import json
import logging
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.checkpoint import Checkpoint, from_json, problem_with
from audit.constants import AuditAction
from audit.services import record

KEY = "k" * 40
HEAD = Checkpoint(count=3, head_id=7, head_hash="ab" * 32, made_at="2026-11-30T10:00:00.000000+00:00")


# --- The pure rules ----------------------------------------------------------------


def test_a_signed_checkpoint_verifies_only_with_its_key_and_content() -> None:
    signed = HEAD.signed(KEY.encode())
    assert signed.signature_ok(KEY.encode())
    assert not signed.signature_ok(b"another-key")
    altered = Checkpoint(2, signed.head_id, signed.head_hash, signed.made_at, signed.signature)
    assert not altered.signature_ok(KEY.encode())


def test_a_checkpoint_round_trips_through_json_and_rejects_anything_else() -> None:
    signed = HEAD.signed(KEY.encode())
    assert from_json(signed.to_json()) == signed
    for text in ("{}", "[]", "not json", json.dumps({"format": "other"})):
        with pytest.raises(ValueError):
            from_json(text)


def test_the_chain_must_still_reach_the_checkpoint_count() -> None:
    assert problem_with(HEAD, 3, HEAD.head_hash) is None
    assert problem_with(HEAD, 4, HEAD.head_hash) is None
    assert "the newest 1 were removed" in str(problem_with(HEAD, 2, None))


def test_the_row_at_the_checkpoint_count_must_carry_its_hash() -> None:
    assert "was rewritten" in str(problem_with(HEAD, 5, "cd" * 32))


# --- The commands --------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[Any]:
    return [record(AuditAction.SIGN_IN_FAILED, actor=None, actor_username=f"u{i}") for i in range(n)]


def _delete_events_after(event_id: int) -> None:
    """What an intruder with database access would do; PostgreSQL's trigger must be lifted first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [event_id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def test_checkpointing_without_a_key_says_what_to_set() -> None:
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_KEY is not set"):
        call_command("checkpoint_audit", stdout=StringIO())


def test_the_key_must_be_long_and_not_the_secret_key(settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_KEY = "short"
    with pytest.raises(CommandError, match="at least 32 characters"):
        call_command("checkpoint_audit", stdout=StringIO())
    settings.AUDIT_CHECKPOINT_KEY = settings.SECRET_KEY
    with pytest.raises(CommandError, match="must differ from SECRET_KEY"):
        call_command("checkpoint_audit", stdout=StringIO())


def test_a_checkpoint_goes_to_a_file_and_the_log(
    settings: Any, checkpoint_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    events = _events(3)
    with caplog.at_level(logging.INFO, logger="audit.checkpoint"):
        call_command("checkpoint_audit", stdout=StringIO())
    (path,) = checkpoint_dir.glob("checkpoint-*.json")
    written = from_json(path.read_text())
    assert (written.count, written.head_id, written.head_hash) == (3, events[-1].pk, events[-1].hash)
    assert written.signature_ok(KEY.encode())
    assert written.to_json() in caplog.text


def test_removing_the_newest_events_fails_verification_against_the_checkpoint(settings: Any) -> None:
    """Proved able to fail: skipping the checkpoint check in verify_audit_chain turns it red."""
    settings.AUDIT_CHECKPOINT_KEY = KEY
    events = _events(5)
    call_command("checkpoint_audit", stdout=StringIO())
    _events(2)  # events after the checkpoint are fine
    assert "it reaches the checkpoint" in _verify()
    _delete_events_after(events[2].pk)
    with pytest.raises(CommandError, match=r"the chain has 3 events but the checkpoint .* signed 5"):
        _verify()


def test_without_a_checkpoint_removed_newest_events_go_unnoticed_and_the_command_says_so() -> None:
    events = _events(4)
    _delete_events_after(events[1].pk)
    out = _verify()
    assert "intact: 2 events" in out and "No checkpoint" in out


def test_a_checkpoint_with_a_bad_signature_is_reported(settings: Any, checkpoint_dir: Path) -> None:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    _events(3)
    call_command("checkpoint_audit", stdout=StringIO())
    (path,) = checkpoint_dir.glob("checkpoint-*.json")
    forged = json.loads(path.read_text())
    forged["count"] = 2
    path.write_text(json.dumps(forged))
    with pytest.raises(CommandError, match="bad signature"):
        _verify()


def test_checkpoints_cannot_be_checked_without_the_key(settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    _events(1)
    call_command("checkpoint_audit", stdout=StringIO())
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_KEY is not set"):
        _verify()


def test_a_cut_off_chain_is_never_signed(settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    events = _events(4)
    call_command("checkpoint_audit", stdout=StringIO())
    _delete_events_after(events[1].pk)
    _events(3)  # new events hide the cut from a count alone
    with pytest.raises(CommandError, match="Not signing: event number 4 no longer carries"):
        call_command("checkpoint_audit", stdout=StringIO())


def test_a_checkpoint_copied_back_from_the_log_can_be_named(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    events = _events(3)
    call_command("checkpoint_audit", stdout=StringIO())
    (stored,) = Path(settings.AUDIT_CHECKPOINT_DIR).glob("*.json")
    copy = tmp_path / "from-the-log.json"
    copy.write_text(stored.read_text())
    stored.unlink()  # an intruder removed the file too
    _delete_events_after(events[0].pk)
    assert "No checkpoint" in _verify()
    with pytest.raises(CommandError, match="the newest 2 were removed"):
        call_command("verify_audit_chain", "--checkpoint", str(copy), stdout=StringIO())
