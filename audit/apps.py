from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of who viewed or changed what."""

    name = "audit"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not
        # loaded when Django imports this AppConfig. Not a cycle: nothing imports back.
        from audit import jobs  # noqa: PLC0415

        jobs.register()
