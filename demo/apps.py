from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, the synthetic national caseload and the benchmarks: built through the
    other apps' services and models, so it sits above them all and nothing imports it."""

    name = "demo"
