"""Property-based API test: schemathesis generates requests for every operation in the
OpenAPI document and checks that none answers 5xx and every response matches its
documented schema.

Generated ids alone would stop at 404 on nearly every operation, so path parameters are
drawn from the test world's real records (in scope for the user calling) as well as from
the generated values. Each operation is called by a user whose role holds the operation's
capability, so the generated bodies reach the services' guards.

It runs on the SQLite pass of the test command only (CI's PostgreSQL pass skips it), in
one pass over the whole API, with a small, fixed number of examples per operation so the
run stays within a few minutes on two cores. ``API_PROPERTY_EXAMPLES`` raises it locally.

Proved able to fail: making ``organisation.api.list_regions`` raise ``RuntimeError`` turned
this test red with that operation named.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from core.roles import ROLE_CAPABILITIES, Role
from core.tests.test_access_matrix import _samples
from core.tests.world import World, build_world
from probation.api import api

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("API_PROPERTY_EXAMPLES", "25"))
CSRF_SECRET = "k" * 32  # the CSRF cookie and header must match; any 32 characters will do
HEADERS = {"X-CSRFToken": CSRF_SECRET, "Referer": "https://testserver/"}


def _capability_of(method: str, path: str) -> Any:
    """The capability an operation declares (``@api_requires``), read from the router."""
    for router_prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            full = (
                "/api/v1" + (router_prefix.rstrip("/") + "/" + route.lstrip("/")).replace("//", "/")
            ).rstrip("/")
            if full.replace("<", "{").replace(">", "}") != path.rstrip("/"):
                continue
            for operation in path_view.operations:
                if method.upper() in operation.methods:
                    return getattr(operation.view_func, "api_capability", None)
    return None


def _user_for(world: World, capability: Any) -> Any:
    """A user who holds the capability, preferring the widest scope so real ids resolve."""
    preference = ["NATIONAL_CASE_VIEWER", *[role.value for role in Role]]
    for name in preference:
        user = world.users.get(name)
        if user is None:
            continue
        if capability is None or any(capability in ROLE_CAPABILITIES[r] for r in user.roles):
            return user
    return world.users[Role.ADMINISTRATOR.value]


def _session_cookies(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}


def _snapshot_of_accounts() -> list[dict[str, Any]]:
    return list(get_user_model().objects.values())


def _restore(accounts: list[dict[str, Any]]) -> None:
    model = get_user_model()
    for row in accounts:
        model.objects.filter(pk=row["id"]).update(**{k: v for k, v in row.items() if k != "id"})


def _requests(operation: Any) -> Any:
    """Valid requests and, as often, requests that break the schema (wrong types, missing or
    extra fields, out-of-range numbers): both must get a 4xx answer or a 2xx, never a 5xx."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )


def _exercise(operation: Any, cookies: dict[str, str], real_ids: dict[str, Any]) -> None:
    """Generated requests for one operation, half of them with real ids in its path."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_requests(operation), ids=st.fixed_dictionaries(real_ids), use_real=st.booleans())
    def check(case: Any, ids: dict[str, str], use_real: bool) -> None:
        if use_real and ids:
            case.path_parameters = {**(case.path_parameters or {}), **ids}
        response = case.call(headers=HEADERS, cookies=cookies)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    check()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="property-based API tests run once, on the SQLite pass",
)
def test_every_operation_survives_generated_requests(db: Any) -> None:
    assert connection.vendor == "sqlite"
    world = build_world()
    samples = _samples(world)
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    schema.app = WSGIHandler()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    accounts = _snapshot_of_accounts()
    failures: list[str] = []
    for operation in operations:
        _restore(accounts)  # a generated write may change a world user's access; start each afresh
        user = _user_for(world, _capability_of(operation.method, operation.path))
        real_ids = {
            name: st.sampled_from(samples[name])
            for name in (parameter.name for parameter in operation.path_parameters)
            if name in samples
        }
        try:
            _exercise(operation, _session_cookies(user), real_ids)
        except (Exception, BaseExceptionGroup) as error:  # report every operation's failure together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
