from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People on probation: identity, where their case is managed, and who may see it."""

    name = "people"
