from django.db import models


class ThrottleScope(models.TextChoices):
    """What a sign-in failure counter counts (ADR 12)."""

    PAIR = "PAIR", "A username from one address"
    ADDRESS = "ADDRESS", "One address, any username"
    USERNAME = "USERNAME", "One username, any address"
