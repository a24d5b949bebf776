"""The demo dataset that `python3 dev.py run` loads."""

import pytest

from accounts.models import User
from core.roles import Role
from demo import dataset as demo
from people.models import Person
from programmes.constants import Attendance, GroupStatus, ReferralStatus
from programmes.models import (
    Programme,
    ProgrammeGroup,
    ProgrammeNeeds,
    ProgrammeReferral,
    Room,
    SessionAttendance,
)
from supervision.models import Appointment
from unpaid_work.models import Booking, Nomination, Project, UnpaidWorkOrder, WorkSession

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_user_for_every_role_and_live_cases() -> None:
    created = demo.load_demo(seed=3, people_per_team=4)
    assert {role for u in created for role in u.roles} == set(Role)
    # One demo senior probation officer is also a treatment manager (two jobs, one account).
    spo = User.objects.get(username="spo")
    assert spo.roles == {Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER}
    assert User.objects.filter(username="practitioner", staff__isnull=False).exists()
    people = Person.objects.all()
    assert people.count() == 16
    assert not people.filter(tier="").exists()  # every demo case has been tiered by the rules
    assert Appointment.objects.filter(outcome="").exists()
    assert people.filter(is_restricted=True).count() == 1
    # Every assessed person has a PNI, and the caseload shows more than one pathway.
    assert (
        ProgrammeNeeds.objects.values("person").distinct().count()
        == people.filter(risk_assessments__isnull=False).distinct().count()
    )
    assert len(set(ProgrammeNeeds.objects.values_list("pathway", flat=True))) >= 3
    assert demo.load_demo() == []  # idempotent: a second run adds nothing


def test_the_demo_runs_unpaid_work() -> None:

    demo.load_demo(seed=3, people_per_team=12)
    assert Project.objects.count() == 4
    assert Project.objects.filter(type="ETE").count() == 1
    assert Nomination.objects.filter(status="SUBMITTED").count() == 2
    assert Booking.objects.filter(credited_minutes__gt=0).exists()
    # Every booking is on the person's supervision record, and sessions have supervisors.
    assert not Booking.objects.filter(appointment__isnull=True).exists()
    assert not WorkSession.objects.filter(supervisors__isnull=True).exists()
    # Most orders are assessed, so the planner has people to place; some wait for assessment.
    orders = UnpaidWorkOrder.objects.filter(person__pdu__name=demo.HOME_PDU)
    assert (
        orders.filter(assessed_on__isnull=False).count() > orders.filter(assessed_on__isnull=True).count() > 0
    )


def test_the_demo_runs_programmes() -> None:
    """The programmes user finds a live waitlist, a running group with sessions and taken
    registers, and the enforcement the registers raised, all made by the real services."""
    demo.load_demo(seed=3, people_per_team=24)
    group = ProgrammeGroup.objects.get()
    assert group.status == GroupStatus.RUNNING and group.members.count() == 8
    assert SessionAttendance.objects.filter(
        session__group=group, outcome=Attendance.ATTENDED_COMPLIED
    ).exists()
    assert SessionAttendance.objects.filter(outcome=Attendance.UNACCEPTABLE_ABSENCE).count() == 1
    statuses = set(ProgrammeReferral.objects.values_list("status", flat=True))
    assert {
        ReferralStatus.ON_PROGRAMME,
        ReferralStatus.AWAITING_ALLOCATION,
        ReferralStatus.WITHDRAWN,
    } <= statuses
    # Every register row taken is an outcome on the person's supervision record.
    taken = SessionAttendance.objects.exclude(outcome="")
    assert not taken.filter(appointment__outcome="").exists()
    assert Programme.objects.filter(kind="STRUCTURED", status="SUBMITTED", region_id="F").exists()
    assert Room.objects.filter(accredited=True).count() == 2
