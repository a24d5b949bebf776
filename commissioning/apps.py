from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    """The Probation Services Dynamic Framework: categories, suppliers, contracts and the
    services a practitioner can refer to."""

    name = "commissioning"
