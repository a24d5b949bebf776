from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Allocation, appointments and outcomes, contact notes, warnings and breaches."""

    name = "supervision"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not
        # loaded when Django imports this AppConfig. Not a cycle: nothing imports back.
        from supervision import case_view  # noqa: PLC0415

        case_view.register()
