from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk of serious harm, MAPPA, predictors, registrations, needs and the tier."""

    name = "risk"
