from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.outages import is_read_only
from core.roles import capabilities_for_roles
from portal.navigation import nav_items_for


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": nav_items_for(getattr(request, "user", None), request.path),
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        "capabilities": _capabilities(getattr(request, "user", None)),
        # Every page says when the service is read-only (ADR 22): no database needed.
        "read_only": is_read_only(),
    }


def _capabilities(user: Any) -> frozenset[str]:
    """The signed-in user's capabilities by name (the union over their roles), so templates
    show only links they may follow."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(str(c) for c in capabilities_for_roles(user.roles))
