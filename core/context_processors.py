from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.navigation import nav_items_for


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": nav_items_for(getattr(request, "user", None), request.path),
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
