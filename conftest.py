"""Shared fixtures. Reference geography is present in every test database (loaded by migration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from accounts.tests.factories import UserFactory
from commissioning.models import ServiceCategory
from commissioning.reference_data.loader import load_categories
from core.roles import Role
from organisation.models import Region
from organisation.reference_data.loader import load_geography


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user(Role.X)`` for a user holding one role; ``make_user(roles=[Role.X, Role.Y])``
    for several (capabilities their union, scope the widest default unless given)."""

    def make(role: Role = Role.PRACTITIONER, **kwargs: Any) -> Any:
        if "roles" in kwargs:
            return UserFactory(**kwargs)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Transactional tests (live server, raw SQL) flush the database afterwards,
    taking the migration-loaded geography and service categories with it; this puts
    them back first."""

    if not Region.objects.exists():
        load_geography(apps, connection)
    if not ServiceCategory.objects.exists():
        load_categories(apps, connection)
