from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.roles import Role
from people.tests.factories import PersonFactory
from unpaid_work import services
from unpaid_work.dashboard import pdu_dashboard
from unpaid_work.models import Booking
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db


def test_dashboard_figures_and_case_lists_respect_scope(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.UNPAID_WORK)
    pdu = coordinator.staff.pdu
    today = timezone.localdate()
    on_time = upw_order(
        PersonFactory(pdu=pdu, team=coordinator.staff.team), hours=60, sentenced_on=today - timedelta(days=30)
    )
    neglected = upw_order(
        PersonFactory(pdu=pdu, team=coordinator.staff.team),
        hours=300,
        sentenced_on=today - timedelta(days=300),
    )
    site = project(pdu=pdu, weekdays=[0, 1, 2, 3, 4, 5, 6], start_date=today - timedelta(days=60))
    services.generate_sessions(
        acting_user=coordinator,
        project_id=site.pk,
        start=today - timedelta(days=20),
        end=today - timedelta(days=14),
    )
    session = site.sessions.order_by("date").first()
    booking = services.book(acting_user=coordinator, session_id=session.pk, order_id=on_time.pk)
    services.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="ATTENDED_COMPLIED",
        arrived_at=time(9),
        left_at=time(16),
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )
    figures = pdu_dashboard(pdu, today)
    assert figures.ordered_minutes == 360 * 60 and figures.worked_minutes == 420
    assert figures.started_on_time == 1 and figures.not_started_overdue == 1
    assert [line.order for line in figures.at_risk] == [neglected, on_time] or neglected in [
        line.order for line in figures.at_risk
    ]
    page = client_for(coordinator).get("/unpaid-work/dashboard/").content.decode()
    assert neglected.person.crn in page
    analyst_page = (
        client_for(make_user(Role.NATIONAL_ANALYST))
        .get(f"/unpaid-work/dashboard/?pdu={pdu.pk}")
        .content.decode()
    )
    assert neglected.person.crn not in analyst_page and "Hours ordered" in analyst_page
