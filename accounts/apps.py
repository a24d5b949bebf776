from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles, capabilities, sign-in and the geography scope of each user."""

    name = "accounts"
