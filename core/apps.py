from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel: access declarations, roles, API plumbing, policy values, locking,
    dates, fields, page helpers, domain events and the registries higher layers fill.
    It imports no other app of ours (docs/architecture.md)."""

    name = "core"
