from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk of serious harm, MAPPA, predictors, registrations, needs and the tier."""

    name = "risk"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not
        # loaded when Django imports this AppConfig. Not a cycle: nothing imports back.
        from risk import case_view, handlers, jobs  # noqa: PLC0415

        case_view.register()
        handlers.register()
        jobs.register()
