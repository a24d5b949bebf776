from django.apps import AppConfig


class UnpaidWorkConfig(AppConfig):
    """Community Payback: projects, nominations, sessions, orders, attendance and the planner."""

    name = "unpaid_work"

    def ready(self) -> None:
        """Subscribes to the sentence events, and stops start-up (the web server, the test
        run and every manage.py command) with a clear message when the postcode dataset is
        missing, rather than letting every journey become unknown. A custom travel model
        needs no dataset."""
        # Imported here, not at the top: these modules read models, which are not loaded
        # when Django imports this AppConfig. Not a cycle: nothing imports back.
        from unpaid_work import handlers, jobs, travel  # noqa: PLC0415

        handlers.register()
        jobs.register()
        if isinstance(travel.travel_model(), travel.StraightLineTravel):
            travel.check_postcode_dataset()
