"""The JSON API's shared parts: authentication, capability checks and RFC 9457 errors.

Operations declare their capability with ``@api_requires``; the same
``core.roles`` table and the same scoped selectors as the pages decide
access, so the API can never show more than the pages.
"""

import functools
import json
import logging
from collections.abc import Callable
from datetime import time
from typing import Annotated, Any, TypeVar

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, InternalError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from ninja.parser import Parser
from ninja.security import SessionAuth
from pydantic import AfterValidator, WithJsonSchema

from core import outages
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.limits import (
    JSON_STRING_MAX,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    NOTES_MAX,
    SHORT_TEXT_MAX,
    contains_nul,
    is_json_media,
)
from core.roles import Capability

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_JSON = "application/problem+json"


class ActiveSessionAuth(SessionAuth):
    """Signed-in, active users via the session cookie (CSRF checked on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def _no_nul(text: str) -> str:
    if contains_nul(text):
        raise ValueError("must not contain NUL characters")
    return text


Text = Annotated[str, Field(max_length=NOTES_MAX), AfterValidator(_no_nul)]
"""Free text in an API body (notes, reasons): the same limit as the pages."""

ShortText = Annotated[str, Field(max_length=SHORT_TEXT_MAX), AfterValidator(_no_nul)]
"""One-line text in an API body (names, titles, references)."""

LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
            "description": "A wall-clock time in England and Wales (Europe/London), HH:MM or HH:MM:SS",
            "example": "09:30",
        }
    ),
]
"""A time of day without a date or offset (session hours, arrival and leaving times).

OpenAPI's ``time`` format is RFC 3339's full-time, which requires an offset; these
times have none (they are local to the session's day), so the document says what
they are instead of claiming a format the values do not have."""


class PageNumberPagination(NinjaPageNumberPagination):
    """Ninja's page numbers, bounded: a page beyond ``MAX_PAGE`` is a 422, not an offset
    the database cannot hold (SQLite answers a huge LIMIT/OFFSET with an error)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class RefusedBody(Exception):
    """A request body refused before validation: wrong media type, NUL or overlong text."""

    def __init__(self, status: int, title: str, errors: list[dict[str, str]]) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors


def _refusals(value: Any, where: str = "body") -> list[dict[str, str]]:
    """Every string (and key) in a parsed JSON body that holds NUL or is longer than allowed."""
    found: list[dict[str, str]] = []
    if isinstance(value, str):
        if contains_nul(value):
            found.append({"field": where, "message": "must not contain NUL characters"})
        if len(value) > JSON_STRING_MAX:
            found.append({"field": where, "message": f"must be at most {JSON_STRING_MAX} characters"})
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if contains_nul(name) or len(name) > SHORT_TEXT_MAX:
                found.append({"field": where, "message": "has an invalid field name"})
                continue
            found += _refusals(item, name if where == "body" else f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _refusals(item, f"{where}.{index}")
    return found


class JsonOnlyParser(Parser):
    """Bodies must be JSON (415 otherwise) and may hold no NUL and no string longer
    than any note, whatever the operation's schema says; one place for every operation.

    Ninja turns any parser error into a 400; ``install_problem_handlers`` reads the
    ``RefusedBody`` behind it and answers its own status instead."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not is_json_media(request.content_type):
            raise RefusedBody(
                415,
                "Send JSON",
                [{"field": "Content-Type", "message": "must be application/json"}],
            )
        data = json.loads(request.body)
        errors = _refusals(data)
        if errors:
            raise RefusedBody(422, "Your request has invalid fields", errors)
        return data


def api_user(request: HttpRequest) -> Any:
    """The authenticated user of an API request (set by the API's authentication)."""
    return request.auth  # type: ignore[attr-defined]


def api_requires(capability: Capability | None) -> Callable[[F], F]:
    """Declares and enforces the capability an operation needs; others get 404."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if capability is not None and not api_user(request).has_capability(capability):
                raise Http404
            return func(request, *args, **kwargs)

        wrapper.api_capability = capability  # type: ignore[attr-defined]
        wrapper.api_access_declared = True  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def problem(
    api: NinjaAPI, request: HttpRequest, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    # The request id (not the path, which may echo identifiers) ties the problem to our logs.
    body["request_id"] = getattr(request, "request_id", "")
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_JSON
    return response


def _field_name(loc: Any) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "body"


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "Invalid value")}
            for error in exc.errors
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(api, request, 422, "Your request has invalid fields", detail, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def domain_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "body", "message": message} for message in exc.messages]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(api, request, 422, "Your request has invalid fields", detail, errors=errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, "Not found", "No such resource, or you do not have access to it.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(api, request, 401, "Sign in required", "Sign in, then try again.")
        return response

    @api.exception_handler(StaleRecord)
    def stale(request: HttpRequest, exc: StaleRecord) -> HttpResponse:
        return problem(api, request, 409, "Conflict", str(exc))

    @api.exception_handler(TransitionNotAllowed)
    def not_allowed(request: HttpRequest, exc: TransitionNotAllowed) -> HttpResponse:
        return problem(api, request, 409, "Not allowed in the current state", str(exc))

    install_input_handlers(api)
    install_database_handlers(api)


def install_input_handlers(api: NinjaAPI) -> None:
    """Input the database or Django refuses answers a 4xx problem, never a 500 page."""

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        refused = exc.__cause__
        if isinstance(refused, RefusedBody):
            detail = "; ".join(f"{e['field']}: {e['message']}" for e in refused.errors)
            return problem(api, request, refused.status, refused.title, detail, errors=refused.errors)
        if isinstance(refused, RequestDataTooBig):
            return _too_big(api, request)
        return problem(api, request, exc.status_code, str(exc) or "Error")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _too_big(api, request)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return problem(api, request, 400, "Bad request", "The request could not be read.")


def install_database_handlers(api: NinjaAPI) -> None:
    """Records that are missing and values the database refuses: a problem, never a 500 page."""

    @api.exception_handler(ObjectDoesNotExist)
    @api.exception_handler(PermissionDenied)
    def missing_or_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As everywhere: a record that is missing and one you may not see answer alike.
        return problem(api, request, 404, "Not found", "No such resource, or you do not have access to it.")

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # An id or page number beyond any the database can hold names nothing that exists.
        return problem(api, request, 404, "Not found", "No such resource, or you do not have access to it.")

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        logger.warning("database refused a value", extra={"error": str(exc)[:200]})
        return problem(
            api, request, 422, "Your request has invalid fields", "A value is out of range or too long."
        )

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("database constraint refused a write", extra={"error": str(exc)[:200]})
        return problem(
            api, request, 409, "Conflict", "The change conflicts with a rule or an existing record."
        )

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    @api.exception_handler(InternalError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database is down or refuses writes (ADR 22): a 503 problem with Retry-After
        # that says which, never the 500 a client would not retry.
        response = outages.response_for_exception(request, exc)
        return response if response is not None else unexpected(request, exc)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected API error")
        return problem(api, request, 500, "Something went wrong", "Try again later.")


def _too_big(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    return problem(api, request, 413, "Request too large", "Send a smaller request body.")


def unknown_path_view(api: NinjaAPI) -> Callable[..., HttpResponse]:
    """The last route under /api/v1: an unknown path is a 404 problem, not the HTML page."""

    @csrf_exempt
    def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
        return problem(api, request, 404, "Not found", "No such resource, or you do not have access to it.")

    return unknown_path
