from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.roles import Role
from people.tests.factories import PersonFactory
from sentences.tests.factories import community_order
from supervision import services
from supervision.constants import AppointmentOutcome, AppointmentType, BreachStatus, EnforcementDecision
from supervision.timeliness import chart_bars, timeliness_for

pytestmark = pytest.mark.django_db


def _breach(user: Any, person: Any, aware: date) -> Any:
    event = person.events.first() or community_order(person, sentenced_on=date(2025, 6, 2))
    when = datetime.combine(aware, datetime.min.time()).replace(hour=10, tzinfo=ZoneInfo("Europe/London"))
    appointment = services.book_appointment(
        acting_user=user,
        person=person,
        event=event,
        type=AppointmentType.SUPERVISION,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        practitioner=user.staff,
    )
    services.record_outcome(
        acting_user=user,
        appointment_id=appointment.pk,
        outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        notes="n",
        expected_version=1,
    )
    return services.take_enforcement_action(
        acting_user=user,
        appointment_id=appointment.pk,
        decision=EnforcementDecision.BREACH,
        circumstances="c",
        on=aware,
    )


def _present(user: Any, breach: Any, on: date) -> None:
    services.advance_breach(
        acting_user=user, breach_id=breach.pk, to=BreachStatus.ACTIONED, on=on, expected_version=1
    )
    services.advance_breach(
        acting_user=user, breach_id=breach.pk, to=BreachStatus.PRESENTED, on=on, expected_version=2
    )


@time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_timeliness_counts_the_tenth_business_day_as_on_time(make_user: Any, client_for: Any) -> None:
    """Frozen on 22 November 2026, so the page's last 12 months still hold April and May 2026."""
    spo = make_user(Role.SENIOR_PROBATION_OFFICER)
    person = PersonFactory(team=spo.staff.team, pdu=spo.staff.pdu)
    on_time = _breach(spo, person, date(2026, 4, 2))
    _present(spo, on_time, date(2026, 4, 20))  # the 10th business day after (Easter in between)
    late = _breach(spo, person, date(2026, 4, 2))
    _present(spo, late, date(2026, 4, 21))
    _breach(spo, person, date(2026, 5, 1))  # never presented: overdue by November
    figures = timeliness_for(spo, date(2026, 11, 22))
    april = next(m for m in figures.months if m.month == date(2026, 4, 1))
    may = next(m for m in figures.months if m.month == date(2026, 5, 1))
    assert (april.timely, april.late, may.overdue) == (1, 1, 1)
    assert figures.percent_timely == 50
    bars = chart_bars(figures.months)
    assert len(bars) == 12 and bars[-1].x == 11 * 60
    page = client_for(spo).get("/enforcement/")
    assert page.status_code == 200 and "50%" in page.content.decode()


def test_timeliness_is_aggregate_only_for_analysts(make_user: Any, client_for: Any) -> None:
    spo = make_user(Role.SENIOR_PROBATION_OFFICER)
    person = PersonFactory(team=spo.staff.team, pdu=spo.staff.pdu)
    _breach(spo, person, date(2026, 10, 1))
    page = client_for(make_user(Role.NATIONAL_ANALYST)).get("/enforcement/").content.decode()
    assert person.crn not in page and "Breach timeliness" in page
    assert client_for(make_user(Role.PRACTITIONER)).get("/enforcement/").status_code == 404
