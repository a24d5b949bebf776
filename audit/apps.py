from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of who viewed or changed what."""

    name = "audit"
