"""Per-request facts (request id, client address) available to logging and audit.

Context variables rather than thread-locals so the values follow the request into
async code and never leak between requests served by the same worker.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    method: str = ""
    path: str = ""


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar("request_context", default=_EMPTY)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)
