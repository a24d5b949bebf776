"""Request-level middleware: request ids, security headers, default-deny routing."""

from __future__ import annotations

import ipaddress
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from core import request_context
from core.access import AccessRule, access_rule_of
from core.limits import REQUEST_MAX_BYTES, is_json_media

logger = logging.getLogger("core.request")
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(remote_addr: str | None, forwarded_for: str, trusted_proxies: int) -> str | None:
    """The client's address, given how many proxies in front of us we trust.

    Each proxy appends the address it received the request from to
    ``X-Forwarded-For``; the client can put anything at the left. With N trusted
    proxies the last of them is ``REMOTE_ADDR`` and the client is the N-th entry
    from the right: the one the outermost trusted proxy appended. Entries further
    left were written by the client and are ignored. A header too short or not an
    address falls back to ``REMOTE_ADDR`` (the same rule as Werkzeug's ProxyFix).
    """
    remote = _valid_address(remote_addr or "")
    if trusted_proxies <= 0 or not forwarded_for:
        return remote
    entries = forwarded_for.split(",")
    if len(entries) < trusted_proxies:
        return remote
    return _valid_address(entries[-trusted_proxies]) or remote


def client_ip(request: HttpRequest) -> str | None:
    """The client address used by sign-in throttling, public-form limits and audit rows."""
    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        int(getattr(settings, "TRUSTED_PROXY_COUNT", 0)),
    )


class RequestIdMiddleware:
    """Gives each request an id (reusing a well-formed X-Request-ID) and logs it once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_current(
            request_context.RequestContext(
                request_id=request_id,
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:400],
                method=request.method or "",
                path=request.path[:400],
            )
        )
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_context.reset(token)


class RequestLimitsMiddleware:
    """Refuses, before reading it, any request larger than ``REQUEST_MAX_BYTES`` (413),
    any API request with a body that is not JSON (415), and any whose address carries
    a NUL character (400).

    Django caps form and JSON bodies (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not file
    uploads; without this one anonymous request could stream tens of megabytes. NUL
    in a path or query reaches the database as a search term, which PostgreSQL refuses
    with an error rather than an answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > REQUEST_MAX_BYTES:
            response = _refusal(request, 413, "Request too large", "Send fewer or smaller files.")
            response["Connection"] = "close"
            return response
        api_body = request.path.startswith("/api/") and length and request.method in {"POST", "PUT", "PATCH"}
        if api_body and not is_json_media(request.content_type):
            # No API operation takes files or forms; a body is JSON or nothing.
            return _refusal(request, 415, "Send JSON", "Content-Type must be application/json.")
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return _refusal(
                request, 400, "Bad request", "The address contains a character that is not allowed."
            )
        return self.get_response(request)


def _refusal(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    """A problem document under the API, plain text elsewhere (no page data is needed)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "about:blank",
                "title": title,
                "status": status,
                "detail": detail,
                "request_id": getattr(request, "request_id", ""),
            },
            status=status,
            content_type="application/problem+json",
        )
    return HttpResponse(f"{title}. {detail}", status=status, content_type="text/plain; charset=utf-8")


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a per-request nonce, plus headers Django lacks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The OpenAPI explorer (served from our own static files) sets inline styles.
            script_src = f"'self' 'nonce-{nonce}'"
            style_src = "'self' 'unsafe-inline'"
        else:
            script_src = f"'self' 'nonce-{nonce}'"
            style_src = "'self'"
        response.setdefault(
            "Content-Security-Policy",
            "; ".join(
                [
                    "default-src 'self'",
                    f"script-src {script_src}",
                    f"style-src {style_src}",
                    "img-src 'self' data:",
                    "font-src 'self'",
                    "connect-src 'self'",
                    "object-src 'none'",
                    "base-uri 'self'",
                    "form-action 'self'",
                    "frame-ancestors 'none'",
                ]
            ),
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Case data must never sit in a shared cache or the browser's back-forward cache.
            response.setdefault("Cache-Control", "no-store")
        return response


class DefaultDenyMiddleware:
    """Refuses any view that has not declared who may use it.

    Views declare an ``AccessRule`` with ``core.access.public`` or
    ``core.access.requires``. An undeclared view answers 404, so a forgotten
    decorator fails closed; ``core/tests/test_every_view_declares_access.py``
    catches it before it ships.
    """

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
        rule: AccessRule | None = access_rule_of(view_func)
        if rule is None:
            logger.error("view without an access rule", extra={"view": repr(view_func)})
            raise Http404
        if rule.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.allows(request.user):
            raise Http404
        return None
