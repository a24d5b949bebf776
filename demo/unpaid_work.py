"""The demo's Unpaid Work: projects with sessions in the home PDU, bookings for the
people with an unpaid work requirement, and most orders assessed. Deterministic from the
demo's seeded random source."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from organisation.constants import Grade
from organisation.models import Pdu, Staff
from people.constants import Sex
from unpaid_work import services as upw
from unpaid_work.constants import SessionOutcome
from unpaid_work.models import Booking, Project, UnpaidWorkOrder, WorkSession
from unpaid_work.selectors import booking_problems

DEMO_HOME_POSTCODES = [
    "NG1 1AA", "NG2 4QB", "NG2 6AB", "NG3 1AE", "NG3 6DR", "NG5 1GA",
    "NG5 6LP", "NG6 8QJ", "NG7 1FB", "NG7 2RD", "NG8 3GX", "NG8 5PS", "NG11 8NS",
]  # fmt: skip


def _assess(rng: random.Random, coordinator: Any, orders: list[Any], today: date) -> None:
    """Most orders have had their Unpaid Work assessment: home, travel and availability."""

    for order in orders:
        if rng.random() < 0.15 or order.sentenced_on > today:
            continue  # a few still waiting for their assessment
        upw.update_assessment(
            acting_user=coordinator,
            order_id=order.pk,
            expected_version=order.version,
            assessed_on=min(today, order.sentenced_on + timedelta(days=5)),
            home_postcode=rng.choice(DEMO_HOME_POSTCODES),
            travel_mode=rng.choice(["PUBLIC_TRANSPORT", "PUBLIC_TRANSPORT", "WALK", "CYCLE", "CAR"]),
            available_weekdays=sorted(rng.sample(range(6), rng.choice([3, 4, 5, 6]))),
            no_all_male_group=order.person.sex == Sex.FEMALE and rng.random() < 0.5,
        )


DEMO_PROJECTS = [
    (
        "Forest Recreation Ground clean-up",
        "GROUP",
        "Nottingham City Council Parks",
        "Forest Road East",
        "NG7 4EP",
        [0, 2, 4],
        False,
    ),
    (
        "St Ann's community allotments",
        "GROUP",
        "St Ann's Allotments Trust",
        "Ransom Road",
        "NG3 3LQ",
        [1, 3, 5],
        False,
    ),
    (
        "Women's centre redecoration",
        "INDIVIDUAL",
        "Nottingham Women's Centre",
        "30 Chaucer Street",
        "NG1 5LP",
        [1, 3],
        True,
    ),
    (
        "Construction skills (CSCS card)",
        "ETE",
        "Nottingham College",
        "Adams Building, Stoney Street",
        "NG1 1NG",
        [0, 2],
        False,
    ),
]


def _unpaid_work(rng: random.Random, pdu: Pdu) -> None:
    """Projects, a month of sessions, bookings and recorded attendance, and two public
    nominations waiting, so the Unpaid Work pages have something real to show."""

    coordinator = User.objects.get(username="unpaidwork")
    today = timezone.localdate()
    supervisors = [
        Staff.objects.create(
            staff_code=f"UPWS{n:02d}", forename=forename, surname=surname, grade=Grade.UPW_SUPERVISOR, pdu=pdu
        )
        for n, (forename, surname) in enumerate([("Dev", "Patel"), ("Jo", "Marsh"), ("Kofi", "Mensah")], 1)
    ]
    for name, kind, beneficiary, address, postcode, days, women in DEMO_PROJECTS:
        project = upw.create_project(
            acting_user=coordinator,
            name=name,
            pdu=pdu,
            type=kind,
            beneficiary=beneficiary,
            address=address,
            postcode=postcode,
            weekdays=days,
            starts_at=time(9),
            ends_at=time(16),
            capacity=8,
            people_per_supervisor=6,
            women_only=women,
            accessible=kind == "INDIVIDUAL",
            start_date=today - timedelta(days=60),
        )
        upw.generate_sessions(
            acting_user=coordinator,
            project_id=project.pk,
            start=today - timedelta(days=21),
            end=today + timedelta(days=27),
        )
    orders = list(UnpaidWorkOrder.objects.filter(person__pdu=pdu).select_related("person"))
    _assess(rng, coordinator, orders, today)
    orders = list(UnpaidWorkOrder.objects.filter(person__pdu=pdu).select_related("person"))
    sessions = [s for p in Project.objects.filter(pdu=pdu) for s in p.sessions.all()]
    for session in sessions:
        upw.assign_supervisors(
            acting_user=coordinator,
            session_id=session.pk,
            staff_ids=[rng.choice(supervisors).pk],
            expected_version=WorkSession.objects.get(pk=session.pk).version,
        )
    # The past three weeks and the next two days are booked; the rest is left for the planner.
    for session in (s for s in sessions if s.date <= today + timedelta(days=2)):
        for order in rng.sample(orders, min(len(orders), 4)):
            if booking_problems(session, order):
                continue
            booking = upw.book(acting_user=coordinator, session_id=session.pk, order_id=order.pk)
            if session.date < today:
                upw.record_attendance(
                    acting_user=coordinator,
                    booking_id=booking.pk,
                    outcome=SessionOutcome.ATTENDED_COMPLIED,
                    arrived_at=time(9),
                    left_at=time(rng.choice([15, 16])),
                    work_quality="GOOD",
                    behaviour="GOOD",
                    expected_version=Booking.objects.get(pk=booking.pk).version,
                )
    for who, where, postcode, work in (
        (
            "Sunita Rai",
            "Sneinton Community Centre",
            "NG2 4QB",
            "The community centre garden is overgrown and the fence needs painting.",
        ),
        ("Mark Allen", "Bulwell Bogs", "NG6 8QJ", "Litter along the River Leen path after the summer."),
    ):
        upw.submit_nomination(
            client_ip=None,
            nominator_name=who,
            email="nominations@example.org",
            description=work,
            address=where,
            postcode=postcode,
        )
