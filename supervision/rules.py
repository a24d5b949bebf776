"""Enforcement rules for community orders and suspended sentence orders. Pure.

Sentencing Act 2020 Sch 10 para 6 (and Sch 16 for SSOs): after an unacceptable
failure the responsible officer gives a warning or refers for breach; if a
warning was given "within the previous 12 months in relation to a breach of any
requirement of the order" (para 6(2); Sch 16 para 6(2) says the same of an SSO's
community requirements), referral is mandatory. The count is
per order: callers pass only the warnings given on the same event (order) as the
failure, so a warning on another order the person is serving never forces breach.
Breaches are presented to court within 10 business days of becoming aware (NPS SL014).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from core.business_days import add_business_days, business_days_between
from core.policy import value_on


@dataclass(frozen=True)
class EnforcementOptions:
    may_warn: bool
    must_breach: bool
    live_warning: date | None
    explanation: str


def live_warning(decided_on: date, warnings: Iterable[date]) -> date | None:
    """The latest warning given in the 12 months before the decision, if any.

    ``warnings`` are the dates of the warnings given on the order whose failure is
    being dealt with (Sch 10 para 6(2): "the order"), not every warning the person
    has had.

    Para 6 asks whether a warning has been given "within the previous twelve
    months" when the officer deals with the failure, so the window ends on the
    decision date. A warning counts until the day before its anniversary.
    """
    months = value_on("warning_period_months", decided_on)
    in_force = [w for w in warnings if w <= decided_on < w + relativedelta(months=months)]
    return max(in_force, default=None)


def enforcement_options(decided_on: date, warnings: Iterable[date]) -> EnforcementOptions:
    """Warn or breach, given the warnings already given on this order (never another)."""
    warning = live_warning(decided_on, warnings)
    if warning is not None:
        return EnforcementOptions(
            may_warn=False,
            must_breach=True,
            live_warning=warning,
            explanation=(
                f"A warning was given on this order on {warning:%-d %B %Y}, in the last 12 months, "
                "so breach action must be taken (Sentencing Act 2020 Schedule 10 paragraph 6)."
            ),
        )
    return EnforcementOptions(
        may_warn=True,
        must_breach=False,
        live_warning=None,
        explanation="No warning on this order in the last 12 months: give a warning or start breach action.",
    )


def breach_due_date(aware_on: date) -> date:
    return add_business_days(aware_on, value_on("breach_presentation_business_days", aware_on))


def breach_was_timely(aware_on: date, presented_on: date) -> bool:
    return business_days_between(aware_on, presented_on) <= value_on(
        "breach_presentation_business_days", aware_on
    )
