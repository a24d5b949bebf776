from django.apps import AppConfig


class UnpaidWorkConfig(AppConfig):
    """Community Payback: projects, nominations, sessions, orders, attendance and the planner."""

    name = "unpaid_work"
