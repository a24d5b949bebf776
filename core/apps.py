from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel: access declarations, roles, API plumbing, policy values, locking,
    dates, fields, page helpers, domain events and the registries higher layers fill.
    It imports no other app of ours (docs/architecture.md)."""

    name = "core"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not loaded
        # when Django imports this AppConfig. Not a cycle: nothing imports back.
        from core import periodic  # noqa: PLC0415

        periodic.register()
