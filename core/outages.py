"""Database outages and read-only mode: what a request gets when the database cannot help.

Two situations, one answer shape (ADR 22):

- *The database is unavailable* (``OperationalError``/``InterfaceError``: refused
  connection, timeout, lost connection). Every request answers 503 with
  ``Retry-After: SERVICE_UNAVAILABLE_RETRY_AFTER``: an RFC 9457 problem under
  ``/api/``, the GOV.UK "Sorry, the service is unavailable" page elsewhere. During the
  outage clients used to get the HTML 500 page.
- *The service is read-only*, because an operator switched it (``READ_ONLY=true`` or
  the flag file ``READ_ONLY_FLAG_FILE``, checked on every request so no deploy or
  restart is needed) or because the database refused a write (a PostgreSQL standby or
  read-only transaction, SQLSTATE 25006; SQLite's "attempt to write a readonly
  database"), which is remembered for ``READ_ONLY_REMEMBER_SECONDS``. Reads are
  served; every unsafe method is refused before its view runs (so nothing is half
  saved) with a 503 that says the service is read-only and when to retry. Sign-in and
  sign-out are the only writes let through (``allowed_when_read_only``).

The pages rendered here use no context processor and no request context: the
database may be what failed, and the page must not need it. This module imports no
app of ours; the portal's 500 handler calls ``response_for_exception`` for failures
outside any view (middleware, session loading).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("core.outages")

F = TypeVar("F", bound=Callable[..., Any])
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL read_only_sql_transaction (a standby, or SET TRANSACTION READ ONLY)
_SQLITE_READ_ONLY = ("attempt to write a readonly database", "readonly database")
_ALLOWED_ATTR = "allowed_when_read_only"
PROBLEM_JSON = "application/problem+json"


class Outage(StrEnum):
    """Why the service cannot do what was asked; the problem's ``reason`` member."""

    UNAVAILABLE = "database_unavailable"
    READ_ONLY = "read_only"


# Monotonic time until which this process treats the database as refusing writes.
_refusing_writes_until: float = 0.0


def refuses_writes(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a write because it is read-only."""
    if isinstance(exc, OperationalError | InternalError):
        cause = exc.__cause__
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if state == READ_ONLY_SQLSTATE:
            return True
        message = str(exc).lower()
        return any(text in message for text in _SQLITE_READ_ONLY)
    return False


def classify(exc: BaseException | None) -> Outage | None:
    """The outage ``exc`` shows, or None when it is an ordinary error (a 500 as before)."""
    if exc is None:
        return None
    if refuses_writes(exc):
        return Outage.READ_ONLY
    if isinstance(exc, OperationalError | InterfaceError):
        return Outage.UNAVAILABLE
    return None


def remember_refusal() -> None:
    """The database refused a write: stay read-only for a while without asking it again."""
    global _refusing_writes_until  # noqa: PLW0603 (one process-wide flag, deliberately)
    _refusing_writes_until = time.monotonic() + float(settings.READ_ONLY_REMEMBER_SECONDS)


def forget_refusal() -> None:
    """Clear the remembered refusal (tests; or the first write after it expires)."""
    global _refusing_writes_until  # noqa: PLW0603
    _refusing_writes_until = 0.0


def database_refusing_writes() -> bool:
    return time.monotonic() < _refusing_writes_until


def switched_by_operator() -> bool:
    """The operator's switch: the ``READ_ONLY`` setting, or the flag file on this host.

    The file is checked on every request (one ``stat``) so that switching needs no
    deploy, restart or database; ``manage.py read_only on`` creates it."""
    if settings.READ_ONLY:
        return True
    flag = settings.READ_ONLY_FLAG_FILE
    return bool(flag) and Path(flag).exists()


def is_read_only() -> bool:
    return switched_by_operator() or database_refusing_writes()


def allowed_when_read_only(view: F) -> F:
    """Marks a view whose writes are allowed in read-only mode (sign-in and sign-out only).

    A signed-out user must still be able to sign in to read, and a user must be able
    to end their session; both write the session, the sign-in throttle and the audit
    trail, which the operator's switch leaves writable. When the database itself
    refuses writes they fail and answer the read-only page like any other write."""
    setattr(view, _ALLOWED_ATTR, True)
    return view


def retry_after(outage: Outage) -> int:
    if outage is Outage.READ_ONLY:
        return int(settings.READ_ONLY_RETRY_AFTER)
    return int(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)


def _wording(outage: Outage, method: str) -> tuple[str, str]:
    """The problem's title and detail; the pages say the same in their own words."""
    if outage is Outage.UNAVAILABLE:
        return (
            "Service unavailable",
            "The service cannot reach its database. Try again later; "
            "a change you were making may not have been saved.",
        )
    if method in UNSAFE_METHODS:
        return (
            "The service is read-only",
            "The service is read-only for now: you can look at records but not change them. "
            "Nothing was saved. Try again later.",
        )
    return (
        "The service is read-only",
        "Every view of case data is recorded, and the service cannot record it while "
        "the database is read-only, so this cannot be shown now. Try again later.",
    )


def problem_response(request: HttpRequest, outage: Outage) -> HttpResponse:
    """The 503 problem document (RFC 9457) for the API."""
    title, detail = _wording(outage, request.method or "GET")
    seconds = retry_after(outage)
    response = JsonResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": 503,
            "detail": detail,
            "reason": str(outage),
            "retry_after": seconds,
            "request_id": getattr(request, "request_id", ""),
        },
        status=503,
        content_type=PROBLEM_JSON,
    )
    response["Retry-After"] = str(seconds)
    return response


def page_response(request: HttpRequest, outage: Outage) -> HttpResponse:
    """The 503 GOV.UK page, rendered without the request (no context processor, no database)."""
    seconds = retry_after(outage)
    if outage is Outage.UNAVAILABLE:
        template = "errors/503.html"
    elif (request.method or "GET") in UNSAFE_METHODS:
        template = "errors/read_only.html"
    else:
        template = "errors/read_only_read.html"
    html = loader.get_template(template).render({"retry_minutes": max(1, (seconds + 59) // 60)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def response_for(request: HttpRequest, outage: Outage) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(request, outage)
    return page_response(request, outage)


def response_for_exception(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """The 503 answer for a database failure (remembering a refused write), else None."""
    outage = classify(exc)
    if outage is None:
        return None
    if outage is Outage.READ_ONLY:
        remember_refusal()
        logger.warning("the database refused a write: read-only", extra={"error": str(exc)[:200]})
    else:
        logger.error("the database is unavailable", extra={"error": str(exc)[:200]})
    return response_for(request, outage)


class ReadOnlyMiddleware:
    """Refuses unsafe methods in read-only mode and answers database failures with a 503.

    Last in ``MIDDLEWARE``: access is decided first (a forbidden write is still a 404),
    and ``process_exception`` sees a view's exception before any other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not is_read_only():
            return None
        if getattr(view_func, _ALLOWED_ATTR, False):
            return None
        logger.info("write refused: read-only", extra={"method": request.method, "path": request.path})
        return response_for(request, Outage.READ_ONLY)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return response_for_exception(request, exception)
