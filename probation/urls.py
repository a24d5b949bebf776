from django.urls import URLPattern, URLResolver, include, path, re_path

from core.access import public
from core.api import unknown_path_view
from probation.api import api


def _api_patterns() -> list[URLPattern | URLResolver]:
    """The API answers for itself: each operation enforces its own capability."""
    patterns, _app_name, _namespace = api.urls
    unknown = public(unknown_path_view(api))
    # Ninja's own root page raises Django's HTML 404; keep its name (the OpenAPI document
    # reverses it) but answer with the problem document instead.
    patterns = [
        path("", unknown, name="api-root") if getattr(p, "name", None) == "api-root" else p for p in patterns
    ]
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            public(pattern.callback)
    # Last: any other path under the API answers a 404 problem document, not the HTML page.
    return [*patterns, re_path(r"^(?P<rest>.*)$", unknown, name="unknown")]


urlpatterns = [
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    path("organisation/", include("organisation.urls")),
    path("", include("supervision.urls")),
    path("", include("sentences.urls")),
    path("", include("risk.urls")),
    path("", include("unpaid_work.urls")),
    path("", include("commissioning.urls")),
    path("", include("referrals.urls")),
    path("", include("programmes.urls")),
    path("cases/", include("people.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", include((_api_patterns(), "api"), namespace="api")),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
