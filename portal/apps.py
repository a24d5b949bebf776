from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the house: the home page, navigation, work lists, the static pages and
    the error pages. It may import any app; no app imports it."""

    name = "portal"
