"""The planner never proposes what confirming would refuse: manual booking, the planner
and confirmation share one rule set (women's choice, capacity, travel, one session a
day), an unknown journey is refused alike everywhere, and a session that has started is
never proposed or confirmed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError

from core.roles import Role
from organisation.tests.factories import TeamFactory
from people.tests.factories import PersonFactory
from unpaid_work import planning, services, travel
from unpaid_work.models import Booking, PlanRun, Project, UnpaidWorkOrder, WorkSession
from unpaid_work.tests.factories import project, upw_order

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
UNLOCATABLE = "ZZ9 9ZZ"  # a well-formed postcode that Code-Point Open does not hold


@pytest.fixture(autouse=True)
def the_friday_before() -> Any:
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def assessed(
    coordinator: Any, sex: str = "MALE", postcode: str = "NG7 2RD", **fields: Any
) -> UnpaidWorkOrder:
    person = PersonFactory(team=TeamFactory(pdu=coordinator.staff.pdu), sex=sex)
    order = upw_order(person, sentenced_on=date(2026, 10, 20))
    return services.update_assessment(
        acting_user=coordinator,
        order_id=order.pk,
        expected_version=UnpaidWorkOrder.objects.get(pk=order.pk).version,
        assessed_on=date(2026, 10, 25),
        home_postcode=postcode,
        **fields,
    )


def monday_session(coordinator: Any, day: date = MONDAY, **fields: Any) -> WorkSession:
    site = project(pdu=coordinator.staff.pdu, **fields)
    return WorkSession.objects.create(project=site, date=day, starts_at=time(9), ends_at=time(16))


def plan(coordinator: Any, start: date = MONDAY, end: date = MONDAY) -> Any:
    return services.create_plan(
        acting_user=coordinator, pdu_id=coordinator.staff.pdu_id, start=start, end=end
    )


def test_two_women_who_chose_not_to_work_in_an_all_male_group_are_confirmed_together(
    coordinator: Any,
) -> None:
    """A man is already booked. The planner proposes the two women together (each has the
    other); confirming books both.

    Proved able to fail: confirming without counting the other woman in the plan
    (``women_joining=0``), as confirmation used to, refuses both and turns this red; the
    planner used to propose what confirming refused."""
    session = monday_session(coordinator)
    services.book(acting_user=coordinator, session_id=session.pk, order_id=assessed(coordinator).pk)
    women = [assessed(coordinator, sex="FEMALE", no_all_male_group=True) for _ in range(2)]
    run = plan(coordinator)
    assert {p.order_id for p in run.proposals.all()} >= {w.pk for w in women}
    run = services.confirm_plan(
        acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
    )
    assert run.not_booked_on_confirm == []
    assert Booking.objects.filter(session=session, order__in=women).count() == 2


def test_a_woman_is_not_left_alone_with_men_when_the_other_woman_is_refused(coordinator: Any) -> None:
    session = monday_session(coordinator, capacity=3)
    services.book(acting_user=coordinator, session_id=session.pk, order_id=assessed(coordinator).pk)
    chooser = assessed(coordinator, sex="FEMALE", no_all_male_group=True)
    other = assessed(coordinator, sex="FEMALE")
    run = plan(coordinator)
    assert {p.order_id for p in run.proposals.all()} == {chooser.pk, other.pk}
    # Before confirming, the other woman is booked elsewhere that day by hand.
    services.book(
        acting_user=coordinator,
        session_id=monday_session(coordinator, name="Elsewhere").pk,
        order_id=other.pk,
    )
    run = services.confirm_plan(
        acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
    )
    reasons = {order_id: reason for order_id, _, reason in run.not_booked_on_confirm}
    assert "already booked on another session that day" in reasons[other.pk]
    assert "all-male group" in reasons[chooser.pk]
    assert not Booking.objects.filter(session=session, order__in=[chooser, other]).exists()


def test_by_hand_she_is_booked_only_where_another_woman_is(coordinator: Any) -> None:
    """The same rule the planner applies: an empty session could fill with men after her."""
    empty = monday_session(coordinator)
    chooser = assessed(coordinator, sex="FEMALE", no_all_male_group=True)
    with pytest.raises(ValidationError, match="no other woman is booked"):
        services.book(acting_user=coordinator, session_id=empty.pk, order_id=chooser.pk)
    services.book(
        acting_user=coordinator, session_id=empty.pk, order_id=assessed(coordinator, sex="FEMALE").pk
    )
    assert services.book(acting_user=coordinator, session_id=empty.pk, order_id=chooser.pk)


def test_an_unknown_journey_is_refused_by_booking_the_planner_and_confirming(coordinator: Any) -> None:
    """Proved able to fail: dropping the unknown-journey rule from
    ``rules.placement_problems`` lets the booking by hand through and turns this red."""
    nowhere = monday_session(coordinator, postcode=UNLOCATABLE, name="Nowhere")
    order = assessed(coordinator)
    with pytest.raises(ValidationError, match="journey is unknown"):
        services.book(acting_user=coordinator, session_id=nowhere.pk, order_id=order.pk)
    problem = planning.build_problem(coordinator.staff.pdu, MONDAY, MONDAY)
    assert not problem.options and "journey is unknown" in problem.refusals[order.pk]
    # Planned while the project could be located; confirmed after its postcode changed.
    Project.objects.filter(pk=nowhere.project_id).update(postcode="NG1 7EH")
    run = plan(coordinator)
    assert run.proposals.count() == 1
    Project.objects.filter(pk=nowhere.project_id).update(postcode=UNLOCATABLE)
    run = services.confirm_plan(
        acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
    )
    assert "journey is unknown" in run.not_booked_on_confirm[0][2]
    assert not Booking.objects.filter(order=order).exists()


def test_a_person_with_no_home_postcode_cannot_be_booked_by_hand(coordinator: Any) -> None:
    order = upw_order(PersonFactory(team=coordinator.staff.team), home_postcode="")
    with pytest.raises(ValidationError, match="journey is unknown"):
        services.book(acting_user=coordinator, session_id=monday_session(coordinator).pk, order_id=order.pk)


def test_a_session_that_has_started_is_never_proposed_or_confirmed(
    coordinator: Any, the_friday_before: Any
) -> None:
    """Proved able to fail: without ``ahead=True`` when confirming, the plan made at 08:30
    is booked at 09:30 after the session started, and this turns red."""
    order = assessed(coordinator)
    session = monday_session(coordinator)
    the_friday_before.move_to(datetime(2026, 11, 23, 8, 30, tzinfo=LONDON))
    early = plan(coordinator)
    assert [p.session_id for p in early.proposals.all()] == [session.pk]
    the_friday_before.move_to(datetime(2026, 11, 23, 9, 30, tzinfo=LONDON))
    late = plan(coordinator)
    assert late.proposals.count() == 0
    assert "already started" in dict(late.unbooked)[order.pk]
    confirmed = services.confirm_plan(
        acting_user=coordinator, run_id=early.pk, expected_version=PlanRun.objects.get(pk=early.pk).version
    )
    assert "already started" in confirmed.not_booked_on_confirm[0][2]
    assert not Booking.objects.filter(order=order).exists()


def test_the_planner_never_proposes_a_day_with_any_booking_already(coordinator: Any) -> None:
    """A booking today with its outcome already recorded still takes the day, as booking
    by hand checks; the planner used to count only bookings without an outcome."""
    order = assessed(coordinator)
    elsewhere = services.book(
        acting_user=coordinator,
        session_id=monday_session(coordinator, name="Elsewhere").pk,
        order_id=order.pk,
    )
    Booking.objects.filter(pk=elsewhere.pk).update(outcome="ACCEPTABLE_ABSENCE")
    monday_session(coordinator, name="Canal")
    problem = planning.build_problem(coordinator.staff.pdu, MONDAY, MONDAY)
    assert not [o for o in problem.options if o.person == order.pk]
    assert "already booked on another session that day" in problem.refusals[order.pk]


def test_capacity_and_supervision_limit_the_planner_as_they_limit_booking(
    coordinator: Any, make_user: Any
) -> None:
    session = monday_session(coordinator, capacity=6, people_per_supervisor=2)
    session.supervisors.add(make_user(Role.UNPAID_WORK).staff)
    orders = [assessed(coordinator) for _ in range(4)]
    run = plan(coordinator)
    assert run.proposals.count() == 2  # one supervisor oversees two
    run = services.confirm_plan(
        acting_user=coordinator, run_id=run.pk, expected_version=PlanRun.objects.get(pk=run.pk).version
    )
    assert run.not_booked_on_confirm == []
    with pytest.raises(ValidationError, match="full"):
        booked = set(Booking.objects.values_list("order_id", flat=True))
        services.book(
            acting_user=coordinator,
            session_id=session.pk,
            order_id=next(o.pk for o in orders if o.pk not in booked),
        )


def test_start_up_stops_with_a_clear_message_when_the_postcode_dataset_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="postcode dataset is missing") as error:
        travel.check_postcode_dataset(tmp_path)
    assert str(tmp_path) in str(error.value)
    travel.check_postcode_dataset()  # the normal install has it


def test_the_past_is_never_planned(coordinator: Any) -> None:
    with pytest.raises(ValidationError, match="today or later"):
        plan(coordinator, start=date(2026, 11, 19), end=date(2026, 11, 19) + timedelta(days=1))


def test_the_app_checks_the_postcode_dataset_when_it_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check runs in ``ready()``, so the web server, tests and manage.py all stop."""

    monkeypatch.setattr(travel, "postcode_dataset_dir", lambda: tmp_path)
    with pytest.raises(ImproperlyConfigured, match="postcode dataset is missing"):
        apps.get_app_config("unpaid_work").ready()
