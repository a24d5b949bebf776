from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Refer and monitor: referrals from practitioners to commissioned services, and the
    provider's assessment, action plan, sessions and end-of-service report."""

    name = "referrals"

    def ready(self) -> None:
        # Imported here, not at the top: the module reads models, which are not
        # loaded when Django imports this AppConfig. Not a cycle: nothing imports back.
        from referrals import case_view  # noqa: PLC0415

        case_view.register()
