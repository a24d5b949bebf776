"""The replica router's decision (ADR 22), checked without a second database server.

These tests take no database fixture on purpose: pytest-django's test transaction
would put the primary in an atomic block, which (rightly) keeps every read there."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test.utils import override_settings

from core.replicas import REPLICA_ALIAS, ReplicaRouter, read_alias, reads_from_replica, replica_reads
from referrals import contract_management, contract_management_api

WITH_REPLICA = {**settings.DATABASES, REPLICA_ALIAS: {**settings.DATABASES[DEFAULT_DB_ALIAS]}}
router = ReplicaRouter()


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    assert REPLICA_ALIAS not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(object) == DEFAULT_DB_ALIAS


@override_settings(DATABASES=WITH_REPLICA)
def test_only_replica_views_read_from_the_replica() -> None:
    """Proved able to fail: with ``read_alias`` answering the replica whenever one is
    configured, the first assertion (an ordinary page's read) turned red."""
    assert router.db_for_read(object) == DEFAULT_DB_ALIAS
    with replica_reads():
        assert router.db_for_read(object) == REPLICA_ALIAS
    assert router.db_for_read(object) == DEFAULT_DB_ALIAS


@override_settings(DATABASES=WITH_REPLICA)
def test_writes_and_migrations_stay_on_the_primary() -> None:
    with replica_reads():
        assert router.db_for_write(object) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "core")
    assert not router.allow_migrate(REPLICA_ALIAS, "core")


@override_settings(DATABASES=WITH_REPLICA)
def test_a_read_inside_a_primary_transaction_stays_on_the_primary(monkeypatch: Any) -> None:
    """The audit trail reads its chain's head inside its write transaction."""

    class InTransaction:
        in_atomic_block = True

    monkeypatch.setattr("core.replicas.connections", {DEFAULT_DB_ALIAS: InTransaction()})
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS


@override_settings(DATABASES=WITH_REPLICA)
def test_the_decorator_routes_only_while_the_view_runs() -> None:
    seen = reads_from_replica(read_alias)()
    assert seen == REPLICA_ALIAS
    assert read_alias() == DEFAULT_DB_ALIAS


def test_contract_management_figures_read_from_the_replica() -> None:
    views: list[Any] = [
        contract_management.contract_performance,
        contract_management.region_performance,
        contract_management_api.contract_performance,
        contract_management_api.region_performance,
    ]
    for view in views:
        wrapped = view
        while not getattr(wrapped, "reads_from_replica", False) and hasattr(wrapped, "__wrapped__"):
            wrapped = wrapped.__wrapped__
        assert getattr(wrapped, "reads_from_replica", False), view
