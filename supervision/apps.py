from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Allocation, appointments and outcomes, contact notes, warnings and breaches."""

    name = "supervision"
