"""The JSON API's shared parts: authentication, capability checks and RFC 9457 errors.

Operations declare their capability with ``@api_requires``; the same
``accounts.roles`` table and the same scoped selectors as the pages decide
access, so the API can never show more than the pages.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from accounts.roles import Capability
from core.exceptions import StaleRecord, TransitionNotAllowed

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_JSON = "application/problem+json"


class ActiveSessionAuth(SessionAuth):
    """Signed-in, active users via the session cookie (CSRF checked on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


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

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, exc.status_code, str(exc) or "Error")
