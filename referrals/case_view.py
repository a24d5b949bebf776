"""Referrals' part of the person overview (see ``core.case_view``): the way in to the
person's referrals to commissioned services. Registered by ``ReferralsConfig.ready``."""

from __future__ import annotations

from core.case_view import CASE_ACTIONS, CaseAction
from core.roles import Capability


def register() -> None:
    CASE_ACTIONS.register(
        CaseAction("referrals", 40, "Referrals to services", "referrals:person", Capability.MANAGE_CASES)
    )
