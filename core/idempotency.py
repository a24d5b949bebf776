"""``Idempotency-Key`` on API POSTs: a client can retry a write without making a duplicate.

After the IETF HTTP APIs draft "The Idempotency-Key HTTP Header Field" (ADR 22). A
signed-in client sends ``Idempotency-Key: <unique string>`` with a POST under
``/api/``; the key belongs to that user and lives ``IDEMPOTENCY_KEY_HOURS`` (24):

- first use: the key is claimed (a row committed at once, so a concurrent retry sees
  it), then the operation runs in one transaction with the storing of its response:
  the record and the answer to it commit together or not at all;
- a retry with the same key, method, path and body gets the stored response (same
  status and body) with ``Idempotent-Replayed: true``, and nothing runs again;
- the same key with another body or path: 422 problem; while the first is still
  running: 409 problem;
- a key older than 24 hours is forgotten (``purge_idempotency_keys`` deletes them; one
  met before then is treated as new).

Only answers a retry would repeat are kept: successes and refusals of the request
itself (400, 404, 413, 415, 422). A 5xx, 401, 403, 409 or 429 may go another way next
time, so the key is released and the retry runs afresh. The user is kept by id, not
by a foreign key: the kernel reads no higher layer's table.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from core.outages import PROBLEM_JSON, is_read_only

logger = logging.getLogger("core.idempotency")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as a structured-field string carries
STORED_STATUSES = frozenset({400, 404, 410, 413, 415, 422})
PROCESSING_LEASE = timedelta(minutes=10)  # a claim older than this never committed: the worker died


class IdempotencyKey(models.Model):
    """One client's key and the response its first request got.

    ``status`` is null while the first request is still running (the claim); the
    response is filled in the same transaction as the write it answers."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=400)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=200, blank=True)
    response_body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        constraints = [models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_key_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


def lifetime() -> timedelta:
    return timedelta(hours=float(settings.IDEMPOTENCY_KEY_HOURS))


def purge_expired(now: Any = None) -> int:
    """Deletes keys older than their lifetime; the number deleted."""
    cutoff = (now or timezone.now()) - lifetime()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def request_fingerprint(request: HttpRequest) -> str:
    return fingerprint(request.body)


def fingerprint(raw: bytes) -> str:
    """SHA-256 of a body, JSON in canonical form so spacing and key order do not matter."""
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()


def _problem(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    return JsonResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "request_id": getattr(request, "request_id", ""),
        },
        status=status,
        content_type=PROBLEM_JSON,
    )


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.status or 200)
    if record.content_type:
        response["Content-Type"] = record.content_type
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    """Applies ``Idempotency-Key`` to signed-in API POSTs; every other request passes by."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        user: Any = getattr(request, "user", None)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith("/api/")
            or not getattr(user, "is_authenticated", False)
            or is_read_only()  # refused before the view; claiming the key would be a write
        ):
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            return _problem(
                request, 400, "Bad request", f"{HEADER} must be 1 to 255 visible ASCII characters."
            )
        return self._once(request, user.pk, key)

    def _once(self, request: HttpRequest, user_id: int, key: str) -> HttpResponse:
        try:
            fingerprint = request_fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # answered 413 there; nothing to remember
        claimed = self._claim(request, user_id, key, fingerprint)
        if isinstance(claimed, HttpResponse):
            return claimed
        stored = False
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code in STORED_STATUSES or 200 <= response.status_code < 300:
                if connection.needs_rollback:
                    logger.warning("idempotent request left its transaction broken; key released")
                elif not getattr(response, "streaming", False):
                    claimed.status = response.status_code
                    claimed.content_type = response.get("Content-Type", "")
                    claimed.response_body = response.content
                    claimed.save(update_fields=["status", "content_type", "response_body"])
                    stored = True
            if not stored:
                transaction.set_rollback(True)
        if not stored:
            # A failure the retry may not repeat: release the key (and any half of the write).
            IdempotencyKey.objects.filter(pk=claimed.pk, status__isnull=True).delete()
        return response

    def _claim(
        self, request: HttpRequest, user_id: int, key: str, fingerprint: str
    ) -> IdempotencyKey | HttpResponse:
        """The new claim on ``key``, or the answer when it is already known."""
        now = timezone.now()
        existing = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
        if existing is not None:
            expired = existing.created_at < now - lifetime()
            abandoned = existing.status is None and existing.created_at < now - PROCESSING_LEASE
            if expired or abandoned:
                existing.delete()
            elif (existing.method, existing.path, existing.request_hash) != (
                request.method,
                request.path,
                fingerprint,
            ):
                return _problem(
                    request,
                    422,
                    "Idempotency-Key reused",
                    f"This {HEADER} was used for a different request. Use a new key for a new request.",
                )
            elif existing.status is None:
                return _conflict(request)
            else:
                return _replay(existing)
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    method=request.method or "POST",
                    path=request.path[:400],
                    request_hash=fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            return _conflict(request)  # a concurrent retry claimed it first


def _conflict(request: HttpRequest) -> HttpResponse:
    response = _problem(
        request,
        409,
        "Request still being processed",
        f"A request with this {HEADER} is still being processed. Retry shortly.",
    )
    response["Retry-After"] = "1"
    return response
