"""The planner against the database: building the problem, proposing, editing,
confirming (bookings and appointments), discarding, and the page and API journeys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import jobs
from core.exceptions import StaleRecord, TransitionNotAllowed
from core.roles import Role
from organisation.tests.factories import StaffFactory, TeamFactory
from people.tests.factories import PersonFactory
from unpaid_work import planning, selectors, services
from unpaid_work.constants import PlanStatus
from unpaid_work.models import Booking, PlanRun, UnpaidWorkOrder, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026: "next Monday" is 23 November, and the week from it has no
# bank holiday. Unfrozen, these tests failed in any week before a Monday bank holiday
# (Easter, May, August, Christmas), when the sessions they plan are not generated.
A_WORKING_WEEK_AHEAD = datetime(2026, 11, 18, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _frozen_before_a_working_week() -> Iterator[None]:
    """Time moves on from a fixed Wednesday, so the suite passes on any calendar date.

    Proved able to fail: without this fixture, running on 25 December 2026 (next
    Monday the Boxing Day bank holiday) turns eight tests here red."""
    with time_machine.travel(A_WORKING_WEEK_AHEAD):
        yield


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def assessed(
    coordinator: Any, postcode: str = "NG7 2RD", sex: str = "MALE", **fields: Any
) -> UnpaidWorkOrder:
    person = PersonFactory(team=TeamFactory(pdu=coordinator.staff.pdu), sex=sex)
    order = upw_order(person, sentenced_on=timezone.localdate() - timedelta(days=30))
    return services.update_assessment(
        acting_user=coordinator,
        order_id=order.pk,
        expected_version=UnpaidWorkOrder.objects.get(pk=order.pk).version,
        assessed_on=timezone.localdate() - timedelta(days=25),
        home_postcode=postcode,
        travel_mode=fields.pop("travel_mode", "PUBLIC_TRANSPORT"),
        **fields,
    )


def sessions(coordinator: Any, days: int = 5, **project_fields: Any) -> list[WorkSession]:
    site = project(pdu=coordinator.staff.pdu, **project_fields)
    start = next_monday()
    return services.generate_sessions(
        acting_user=coordinator, project_id=site.pk, start=start, end=start + timedelta(days=days - 1)
    )


# --- Priority: which orders come first ---------------------------------------------------


def test_past_the_start_deadline_is_urgent_and_due_inside_the_horizon_is_near() -> None:
    sentenced = date(2026, 11, 2)  # first session due 15 business days later: 23 November 2026
    level, why = planning.priority(
        started=False, remaining=6000, sentenced_on=sentenced, start=date(2026, 11, 24), end=date(2026, 12, 7)
    )
    assert level == planning.URGENT and "was due by 23 November 2026" in why
    level, _ = planning.priority(
        started=False, remaining=6000, sentenced_on=sentenced, start=date(2026, 11, 23), end=date(2026, 12, 6)
    )
    assert level == planning.NEAR  # due on the first day of the horizon: not yet late
    level, _ = planning.priority(
        started=True, remaining=600, sentenced_on=sentenced, start=date(2026, 11, 24), end=date(2026, 12, 7)
    )
    assert level == planning.NORMAL  # started, and little left


def test_the_12_months_ending_inside_the_horizon_is_urgent() -> None:
    sentenced = date(2025, 12, 8)  # the 12 months end on 7 December 2026
    inside = planning.priority(
        started=True, remaining=60, sentenced_on=sentenced, start=date(2026, 11, 24), end=date(2026, 12, 7)
    )
    outside = planning.priority(
        started=True, remaining=60, sentenced_on=sentenced, start=date(2026, 11, 23), end=date(2026, 12, 6)
    )
    assert inside[0] == planning.URGENT and outside[0] != planning.URGENT


def test_hours_needing_more_than_two_days_a_week_are_near_a_deadline() -> None:
    start = date(2026, 11, 23)
    sentenced = date(2026, 6, 1)  # 12 months end 31 May 2027: 27 weeks from the start
    weeks = (date(2027, 5, 31) - start).days / 7
    steady = int(weeks * planning.STEADY_PACE_MINUTES_PER_WEEK)
    at_pace = planning.priority(
        started=True, remaining=steady, sentenced_on=sentenced, start=start, end=start + timedelta(days=13)
    )
    over = planning.priority(
        started=True,
        remaining=steady + 60,
        sentenced_on=sentenced,
        start=start,
        end=start + timedelta(days=13),
    )
    assert at_pace[0] == planning.NORMAL and over[0] == planning.NEAR


# --- Building the problem -----------------------------------------------------------------


def test_the_problem_applies_every_rule_and_explains_refusals(coordinator: Any) -> None:
    days = sessions(coordinator, days=5)
    ready = assessed(coordinator)
    not_assessed = upw_order(PersonFactory(team=TeamFactory(pdu=coordinator.staff.pdu)))
    leeds = assessed(coordinator, postcode="LS1 4AP", travel_mode="WALK")
    fussy = assessed(coordinator, available_weekdays=[6])  # Sundays only; the project runs Monday to Saturday
    problem = planning.build_problem(coordinator.staff.pdu, days[0].date, days[-1].date)
    assert {p.id for p in problem.people} == {ready.pk, leeds.pk, fussy.pk}
    assert {o.session for o in problem.options if o.person == ready.pk} == {s.pk for s in days}
    assert "not assessed" in problem.refusals[not_assessed.pk]
    assert "over the travel limit" in problem.refusals[leeds.pk]
    assert "not available that day" in problem.refusals[fussy.pk]


def test_days_already_booked_and_orders_already_fully_booked_are_left_alone(coordinator: Any) -> None:
    days = sessions(coordinator, days=3)
    busy = assessed(coordinator)
    services.book(acting_user=coordinator, session_id=days[0].pk, order_id=busy.pk)
    done = assessed(coordinator)
    UnpaidWorkOrder.objects.filter(pk=done.pk).update(required_minutes=420)
    services.book(acting_user=coordinator, session_id=days[1].pk, order_id=done.pk)
    problem = planning.build_problem(coordinator.staff.pdu, days[0].date, days[-1].date)
    assert {o.session for o in problem.options if o.person == busy.pk} == {days[1].pk, days[2].pk}
    assert done.pk not in {p.id for p in problem.people} and problem.already_fully_booked == 1
    first = next(s for s in problem.sessions if s.id == days[0].pk)
    assert first.places == 6 - 1  # the existing booking takes a place


# --- Proposing, editing, confirming ------------------------------------------------------------


def test_a_plan_is_proposed_edited_and_confirmed_into_bookings_and_appointments(coordinator: Any) -> None:
    days = sessions(coordinator, days=2, capacity=2)
    orders = [assessed(coordinator) for _ in range(3)]
    run = services.create_plan(
        acting_user=coordinator, pdu_id=coordinator.staff.pdu_id, start=days[0].date, end=days[-1].date
    )
    assert run.status == PlanStatus.PROPOSED and run.gap <= 0.01
    assert run.proposals.count() == 4  # two places on each of two days
    assert Booking.objects.count() == 0  # nothing is booked until confirmed
    assert all(p.reason for p in run.proposals.all())
    left_out = run.proposals.first()
    assert left_out is not None
    keep = set(run.proposals.exclude(pk=left_out.pk).values_list("pk", flat=True))
    run = services.set_proposals_included(
        acting_user=coordinator, run_id=run.pk, included=keep, expected_version=run.version
    )
    with pytest.raises(StaleRecord):
        services.confirm_plan(acting_user=coordinator, run_id=run.pk, expected_version=run.version - 1)
    run = services.confirm_plan(acting_user=coordinator, run_id=run.pk, expected_version=run.version)
    assert run.status == PlanStatus.CONFIRMED and run.not_booked_on_confirm == []
    bookings = Booking.objects.filter(order__in=orders)
    assert bookings.count() == 3
    assert all(b.appointment is not None and b.appointment.type == "UNPAID_WORK" for b in bookings)
    with pytest.raises(TransitionNotAllowed):
        services.discard_plan(
            acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
        )


def test_confirming_checks_every_rule_again(coordinator: Any) -> None:
    days = sessions(coordinator, days=1)
    order = assessed(coordinator)
    run = services.create_plan(
        acting_user=coordinator, pdu_id=coordinator.staff.pdu_id, start=days[0].date, end=days[0].date
    )
    services.stand_down(
        acting_user=coordinator,
        session_id=days[0].pk,
        reason="WEATHER",
        expected_version=WorkSession.objects.get(pk=days[0].pk).version,
    )
    run = services.confirm_plan(
        acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
    )
    assert run.status == PlanStatus.CONFIRMED
    assert run.not_booked_on_confirm[0][0] == order.pk
    assert "stood down" in run.not_booked_on_confirm[0][2]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("start_offset", "length", "field", "message"),
    [
        (-1, 14, "start", "today or later"),
        (0, 29, "end", "at most 28 days"),
    ],
)
def test_the_horizon_starts_today_or_later_and_spans_at_most_28_days(
    coordinator: Any, start_offset: int, length: int, field: str, message: str
) -> None:
    start = timezone.localdate() + timedelta(days=start_offset)
    with pytest.raises(ValidationError) as error:
        services.create_plan(
            acting_user=coordinator,
            pdu_id=coordinator.staff.pdu_id,
            start=start,
            end=start + timedelta(days=length - 1),
        )
    assert message in str(error.value.message_dict[field])
    today = timezone.localdate()
    assert services.create_plan(
        acting_user=coordinator, pdu_id=coordinator.staff.pdu_id, start=today, end=today + timedelta(days=27)
    )


def test_a_discarded_plan_books_nothing(coordinator: Any) -> None:
    days = sessions(coordinator, days=1)
    assessed(coordinator)
    run = services.create_plan(
        acting_user=coordinator, pdu_id=coordinator.staff.pdu_id, start=days[0].date, end=days[0].date
    )
    run = services.discard_plan(acting_user=coordinator, run_id=run.pk, expected_version=run.version)
    assert run.status == PlanStatus.DISCARDED and not Booking.objects.exists()


# --- Supervisors and appointments -----------------------------------------------------------


def test_supervisors_come_from_the_pdu_and_cover_the_people_booked(coordinator: Any) -> None:
    session = sessions(coordinator, days=1, capacity=8, people_per_supervisor=2)[0]
    pdu = coordinator.staff.pdu
    supervisor = StaffFactory(grade="UPW_SUPERVISOR", team=None, pdu=pdu)
    elsewhere = StaffFactory(grade="UPW_SUPERVISOR")
    officer = StaffFactory(grade="PO", team=None, pdu=pdu)
    for bad in (elsewhere, officer):
        with pytest.raises(ValidationError):
            services.assign_supervisors(
                acting_user=coordinator,
                session_id=session.pk,
                staff_ids=[bad.pk],
                expected_version=WorkSession.objects.get(pk=session.pk).version,
            )
    for _ in range(3):
        services.book(acting_user=coordinator, session_id=session.pk, order_id=assessed(coordinator).pk)
    with pytest.raises(ValidationError, match="needs more supervisors"):
        services.assign_supervisors(
            acting_user=coordinator,
            session_id=session.pk,
            staff_ids=[supervisor.pk],
            expected_version=WorkSession.objects.get(pk=session.pk).version,
        )
    second = StaffFactory(grade="UPW_SUPERVISOR", team=None, pdu=pdu)
    services.assign_supervisors(
        acting_user=coordinator,
        session_id=session.pk,
        staff_ids=[supervisor.pk, second.pk],
        expected_version=WorkSession.objects.get(pk=session.pk).version,
    )
    assert set(session.supervisors.all()) == {supervisor, second}
    assert selectors.session_facts(session).places_left == 4 - 3  # two supervisors of two


def test_attendance_is_recorded_on_the_bookings_appointment(coordinator: Any) -> None:
    site = project(pdu=coordinator.staff.pdu)
    day = timezone.localdate() - timedelta(days=1)
    session = WorkSession.objects.create(
        project=site, date=day, starts_at=site.starts_at, ends_at=site.ends_at
    )
    order = assessed(coordinator, available_weekdays=[])
    booking = services.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)
    assert booking.appointment is not None and booking.appointment.outcome == ""
    services.record_attendance(
        acting_user=coordinator,
        booking_id=booking.pk,
        outcome="UNACCEPTABLE_ABSENCE",
        notes="Did not attend and did not call",
        expected_version=Booking.objects.get(pk=booking.pk).version,
    )
    booking.appointment.refresh_from_db()
    assert booking.appointment.outcome == "UNACCEPTABLE_ABSENCE"
    assert order.person.appointments.count() == 1  # the same appointment, not a second one


# --- Pages and API ---------------------------------------------------------------------------


def test_the_planner_pages_propose_edit_and_confirm(coordinator: Any, client_for: Any) -> None:
    days = sessions(coordinator, days=1, capacity=2)
    orders = [assessed(coordinator) for _ in range(3)]
    client = client_for(coordinator)
    bad = client.post("/unpaid-work/planner/", {"pdu": coordinator.staff.pdu_id, "start": "", "end": "x"})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content
    made = client.post(
        "/unpaid-work/planner/",
        {
            "pdu": coordinator.staff.pdu_id,
            "start": days[0].date.strftime("%d/%m/%Y"),
            "end": days[0].date.strftime("%d/%m/%Y"),
        },
    )
    assert made.status_code == 302 and made["Location"].startswith("/jobs/")
    assert not PlanRun.objects.exists()  # queued: the page answered before the planner ran
    assert jobs.run_queued_jobs() == 1
    run = PlanRun.objects.get()
    progress = client.get(made["Location"])
    plan_url = f"/unpaid-work/planner/{run.pk}/"
    assert progress.status_code == 200 and plan_url.encode() in progress.content
    page = client.get(plan_url)
    assert page.status_code == 200 and b"Review the proposed bookings" in page.content
    assert b"Not booked (1)" in page.content  # three people, two places
    keep = list(run.proposals.values_list("pk", flat=True))[:1]
    done = client.post(plan_url, {"included": keep, "version": run.version, "confirm": "1"})
    assert done.status_code == 302
    assert Booking.objects.filter(order__in=orders).count() == 1


def test_the_planner_api_runs_edits_and_confirms(coordinator: Any, client_for: Any, make_user: Any) -> None:
    days = sessions(coordinator, days=2, capacity=1)
    assessed(coordinator)
    assessed(coordinator)
    api = client_for(coordinator)
    wrong = api.post(
        "/api/v1/unpaid-work/plans",
        {"pdu_id": coordinator.staff.pdu_id, "start": "2020-01-01", "end": "2020-01-02"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong["Content-Type"] == "application/problem+json"
    created = api.post(
        "/api/v1/unpaid-work/plans",
        {"pdu_id": coordinator.staff.pdu_id, "start": str(days[0].date), "end": str(days[1].date)},
        content_type="application/json",
    )
    assert created.status_code == 202, created.content
    job = created.json()
    assert job["status"] == "QUEUED" and job["url"] == f"/api/v1/jobs/{job['id']}"
    jobs.run_queued_jobs()
    done = api.get(job["url"]).json()
    assert done["status"] == "SUCCEEDED" and done["percent"] == 100
    plan = api.get(f"/api/v1/unpaid-work/plans/{done['result_url'].rstrip('/').rsplit('/', 1)[-1]}").json()
    assert len(plan["proposals"]) == 2 and plan["gap"] <= 0.01
    first = plan["proposals"][0]["id"]
    edited = api.put(
        f"/api/v1/unpaid-work/plans/{plan['id']}/included",
        {"included": [first], "version": plan["version"]},
        content_type="application/json",
    ).json()
    assert [p["included"] for p in edited["proposals"]].count(True) == 1
    confirmed = api.post(
        f"/api/v1/unpaid-work/plans/{plan['id']}/confirm",
        {"version": edited["version"]},
        content_type="application/json",
    ).json()
    assert confirmed["status"] == "CONFIRMED"
    assert [p["booking_id"] is not None for p in confirmed["proposals"]].count(True) == 1
    other = client_for(make_user(Role.UNPAID_WORK))  # another PDU
    assert other.get(f"/api/v1/unpaid-work/plans/{plan['id']}").status_code == 404


@pytest.mark.parametrize(("minutes", "allowed"), [(120, True), (121, False)])
def test_travel_time_is_credited_for_at_most_60_minutes_each_way(
    coordinator: Any, minutes: int, allowed: bool
) -> None:
    order = assessed(coordinator)
    if allowed:
        assert services.add_adjustment(
            acting_user=coordinator, order_id=order.pk, minutes=minutes, reason="TRAVEL_TIME"
        )
        return
    with pytest.raises(ValidationError, match="at most 60 minutes each way"):
        services.add_adjustment(
            acting_user=coordinator, order_id=order.pk, minutes=minutes, reason="TRAVEL_TIME"
        )
    # Other adjustments keep the 180-minute limit.
    assert services.add_adjustment(
        acting_user=coordinator, order_id=order.pk, minutes=180, reason="OTHER", note="Court time"
    )


def test_bookings_before_the_horizon_still_use_hours_and_the_ete_allowance(coordinator: Any) -> None:
    order = assessed(coordinator)
    UnpaidWorkOrder.objects.filter(pk=order.pk).update(required_minutes=3000)  # ETE allowance 900 minutes
    ete = project(pdu=coordinator.staff.pdu, type="ETE", name="Skills")
    tomorrow = timezone.localdate() + timedelta(days=1)
    early = WorkSession.objects.create(
        project=ete, date=tomorrow, starts_at=ete.starts_at, ends_at=ete.ends_at
    )
    services.book(acting_user=coordinator, session_id=early.pk, order_id=order.pk, is_ete=True)
    later = sessions(coordinator, days=1)  # next Monday, after tomorrow
    problem = planning.build_problem(coordinator.staff.pdu, later[0].date, later[0].date)
    person = next(p for p in problem.people if p.id == order.pk)
    assert person.remaining_minutes == 3000 - 420
    assert person.ete_left_minutes == 900 - 420
