"""Contract management figures: referrals by month against expected volumes, timeliness
against each provider deadline, attendance, outcomes achieved and cost per completed
referral. ``measure`` is pure (plain facts in, figures out); ``facts_for`` reads them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from referrals import rules
from referrals.constants import ReferralStatus
from referrals.models import ActionPlan, DeliverySession, Referral


@dataclass(frozen=True)
class ReferralFacts:
    sent_on: date
    assessed_on: date | None
    first_plan_on: date | None
    last_session_on: date | None
    report_on: date | None
    status: str
    attendance: tuple[tuple[str, bool | None], ...]  # (YES/LATE/NO, absence acceptable)
    ratings: tuple[str, ...]


@dataclass(frozen=True)
class OnTime:
    due: int = 0
    on_time: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None


@dataclass
class Performance:
    referrals: int = 0
    by_month: list[tuple[date, int]] = field(default_factory=list)
    expected_per_month: int | None = None
    assessment: OnTime = OnTime()
    action_plan: OnTime = OnTime()
    report: OnTime = OnTime()
    attendance: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    value: Decimal | None = None

    @property
    def cost_per_completed(self) -> Decimal | None:
        if self.value is None or not self.completed:
            return None
        return (self.value / self.completed).quantize(Decimal("0.01"))

    @property
    def attended_percent(self) -> float | None:
        total = sum(self.attendance.values())
        attended = self.attendance.get("YES", 0) + self.attendance.get("LATE", 0)
        return round(100 * attended / total, 1) if total else None

    @property
    def achieved_percent(self) -> float | None:
        total = sum(self.outcomes.values())
        return round(100 * self.outcomes.get("ACHIEVED", 0) / total, 1) if total else None


def months_back(today: date, count: int) -> list[date]:
    """The first day of each of the last ``count`` months, oldest first, this month last."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _on_time(pairs: list[tuple[date, date | None]], today: date) -> OnTime:
    """Deadlines that have passed or been met: met on or before the due day counts."""
    due = [(deadline, done) for deadline, done in pairs if done is not None or deadline < today]
    return OnTime(len(due), sum(1 for deadline, done in due if done is not None and done <= deadline))


def measure(
    facts: list[ReferralFacts],
    today: date,
    *,
    months: int = 12,
    expected_per_month: int | None = None,
    value: Decimal | None = None,
) -> Performance:
    starts = months_back(today, months)
    per_month = Counter(date(f.sent_on.year, f.sent_on.month, 1) for f in facts)
    attendance: Counter[str] = Counter()
    for f in facts:
        for attended, acceptable in f.attendance:
            key = attended if attended != "NO" else ("NO_ACCEPTABLE" if acceptable else "NO_UNACCEPTABLE")
            attendance[key] += 1
    return Performance(
        referrals=len(facts),
        by_month=[(start, per_month.get(start, 0)) for start in starts],
        expected_per_month=expected_per_month,
        assessment=_on_time([(rules.assessment_due(f.sent_on), f.assessed_on) for f in facts], today),
        action_plan=_on_time(
            [(rules.action_plan_due(f.assessed_on), f.first_plan_on) for f in facts if f.assessed_on], today
        ),
        report=_on_time(
            [
                (rules.report_due(f.last_session_on), f.report_on)
                for f in facts
                if f.last_session_on
                and f.status
                in (ReferralStatus.AWAITING_REPORT, ReferralStatus.COMPLETED, ReferralStatus.ENDED_EARLY)
            ],
            today,
        ),
        attendance=dict(attendance),
        outcomes=dict(Counter(r for f in facts for r in f.ratings)),
        statuses=dict(Counter(f.status for f in facts)),
        completed=sum(1 for f in facts if f.status == ReferralStatus.COMPLETED),
        value=value,
    )


def _with_history(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("end_of_service_report").prefetch_related(
        Prefetch("action_plans", queryset=ActionPlan.objects.order_by("submitted_at")),
        Prefetch("sessions", queryset=DeliverySession.objects.order_by("happened_at")),
        "end_of_service_report__results",
    )


def _facts_of(r: Referral) -> ReferralFacts:
    plans, sessions = list(r.action_plans.all()), list(r.sessions.all())
    report: Any = getattr(r, "end_of_service_report", None)
    return ReferralFacts(
        sent_on=timezone.localdate(r.sent_at),
        assessed_on=r.assessed_on,
        first_plan_on=timezone.localdate(plans[0].submitted_at) if plans else None,
        last_session_on=timezone.localdate(sessions[-1].happened_at) if sessions else None,
        report_on=timezone.localdate(report.submitted_at) if report else None,
        status=r.status,
        attendance=tuple((s.attendance, s.absence_acceptable) for s in sessions),
        ratings=tuple(res.rating for res in report.results.all()) if report else (),
    )


def facts_for(referrals: QuerySet[Referral]) -> list[ReferralFacts]:
    return [_facts_of(r) for r in _with_history(referrals)]


def performance_of(contract: Any, today: date) -> Performance:
    """One contract's figures, from its referrals."""
    facts = facts_for(Referral.objects.filter(contract=contract))
    return measure(
        facts, today, expected_per_month=contract.expected_referrals_per_month, value=contract.value
    )


def performances_of(contracts: Any, today: date) -> list[tuple[Any, Performance]]:
    """Each contract with its figures, reading all their referrals at once: a region's
    table costs the same number of queries however many contracts serve it."""
    chosen = list(contracts)
    facts: dict[int, list[ReferralFacts]] = {c.pk: [] for c in chosen}
    for r in _with_history(Referral.objects.filter(contract__in=[c.pk for c in chosen])):
        facts[r.contract_id].append(_facts_of(r))
    return [
        (c, measure(facts[c.pk], today, expected_per_month=c.expected_referrals_per_month, value=c.value))
        for c in chosen
    ]
