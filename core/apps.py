from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting plumbing: request context, security headers, logging, home pages."""

    name = "core"
