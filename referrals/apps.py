from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Refer and monitor: referrals from practitioners to commissioned services, and the
    provider's assessment, action plan, sessions and end-of-service report."""

    name = "referrals"
