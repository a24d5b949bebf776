"""A small, fully-known world for access tests: geography, one user per role, and cases.

Every person has a unique marker surname, so a test can search any response
for people who should not appear in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from commissioning.models import (
    ApplicationDocument,
    Bid,
    Clarification,
    Commissioner,
    Competition,
    DesiredOutcome,
    Invitation,
    SupplierApplication,
)
from commissioning.tests.factories import contract, supplier
from core.constants import JobStatus
from core.models import Job
from core.roles import ROLE_CAPABILITIES, Capability, Role, ScopeLevel
from organisation.constants import Grade
from organisation.models import Office, Pdu
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory, TeamFactory
from people.constants import AccessListKind
from people.models import CaseAccessEntry, Person
from people.tests.factories import PersonFactory
from programmes.constants import (
    Attendance,
    Cohort,
    GroupSex,
    NeedArea,
    PartnerContactMethod,
    ReferralSource,
    Suitability,
)
from programmes.models import ProgrammeReferral
from programmes.rules.scheduling import Slot, is_bank_holiday
from programmes.services import catalogue as programme_catalogue
from programmes.services import groups as programme_groups
from programmes.services import referrals as programme_referrals
from programmes.tests.factories import SHORT_TEMPLATE, RoomFactory, programme_with_template
from referrals import services as referrals
from risk import services as risk_services
from sentences.tests.factories import community_order
from supervision import services as supervision
from supervision.constants import AppointmentOutcome, AppointmentType, EnforcementDecision
from unpaid_work import services as upw
from unpaid_work.models import Booking, PlannedBooking, PlanRun
from unpaid_work.tests.factories import project, upw_order


@dataclass
class World:
    users: dict[str, Any]
    people: list[Person]
    excluded: set[tuple[int, int]] = field(default_factory=set)  # (person id, user id)
    permitted: set[tuple[int, int]] = field(default_factory=set)
    referred: set[tuple[int, int]] = field(default_factory=set)  # (person id, provider organisation id)
    # The programmes records by name (rooms, groups, sessions, members, offers, interventions).
    programmes: dict[str, Any] = field(default_factory=dict)

    def may_read_about(self, user: Any, person: Person) -> bool:
        """Case access, or (for a provider's staff) a referral to their own organisation."""
        if _granted(user, Capability.DELIVER_SERVICES):
            return (person.pk, user.organisation_id) in self.referred
        return self.may_see(user, person)

    def may_see(self, user: Any, person: Person) -> bool:
        """The oracle, written independently of the selectors it checks."""
        if not _granted(user, Capability.VIEW_CASES):
            return False
        level = ScopeLevel(user.scope_level)
        staff = user.staff
        in_geography = {
            ScopeLevel.NATIONAL: True,
            ScopeLevel.REGION: staff is not None and person.pdu.region_id == staff.pdu.region_id,
            ScopeLevel.PDU: staff is not None and person.pdu_id == staff.pdu_id,
            ScopeLevel.TEAM: staff is not None
            and staff.team_id is not None
            and person.team_id == staff.team_id,
            ScopeLevel.NONE: False,
        }[level]
        if not in_geography or (person.pk, user.pk) in self.excluded:
            return False
        return not person.is_restricted or (person.pk, user.pk) in self.permitted


def _granted(user: Any, capability: Capability) -> bool:
    """Whether any of the user's roles grants ``capability``, read from the table itself
    (not ``has_capability``), so the oracle stays independent of the code it checks."""
    return any(capability in ROLE_CAPABILITIES[role] for role in user.roles)


def build_world() -> World:
    nottingham = Pdu.objects.get(name="Nottingham City")
    notts = Pdu.objects.get(name="Nottinghamshire")
    leeds = Pdu.objects.get(name="Leeds")
    team_a = TeamFactory(pdu=nottingham, code="W-A")
    team_b = TeamFactory(pdu=nottingham, code="W-B")
    team_m = TeamFactory(pdu=notts, code="W-M")
    team_l = TeamFactory(pdu=leeds, code="W-L")

    users: dict[str, Any] = {}
    for role in Role:
        staff = None
        if role not in (Role.COMMISSIONER, Role.PROVIDER):
            staff = StaffFactory(team=team_a, pdu=nottingham)
        users[role.value] = (
            UserFactory(username=f"w-{role.value.lower()}", role=role, staff=staff)
            if staff
            else UserFactory(username=f"w-{role.value.lower()}", role=role)
        )
    # A national-scope user (e.g. national security division) to cover the NATIONAL level.
    users["NATIONAL_CASE_VIEWER"] = UserFactory(
        username="w-national",
        role=Role.REGIONAL_DIRECTOR,
        scope_level=ScopeLevel.NATIONAL.value,
        staff=StaffFactory(team=None, pdu=leeds),
    )
    # A PSO in team B: same PDU as team A, different team.
    users["TEAM_B_PRACTITIONER"] = UserFactory(
        username="w-teamb", role=Role.PRACTITIONER, staff=StaffFactory(team=team_b, pdu=nottingham)
    )
    # Two jobs on one account: a senior probation officer in team B who is also a
    # treatment manager. Their access is the union of both roles' capabilities at the
    # widest default scope (region), so they see Nottinghamshire but not Leeds.
    users["SPO_TREATMENT_MANAGER"] = UserFactory(
        username="w-spo-tm",
        roles=[Role.SENIOR_PROBATION_OFFICER, Role.TREATMENT_MANAGER],
        staff=StaffFactory(team=team_b, pdu=nottingham),
    )

    def person(marker: str, team: Any, pdu: Any = None, **kw: Any) -> Person:
        return PersonFactory(last_name=f"Marker{marker}", team=team, pdu=pdu or team.pdu, **kw)

    people = [
        person("TeamA", team_a),
        person("TeamB", team_b),
        person("Unallocated", None, pdu=nottingham),
        person("Notts", team_m),
        person("Leeds", team_l),
        person("Excluded", team_a),
        person("Restricted", team_a, is_restricted=True),
    ]
    for index, subject in enumerate(people):
        _give_case_history(subject, users[Role.SENIOR_PROBATION_OFFICER.value], day=index + 1)
    _give_unpaid_work(users[Role.UNPAID_WORK.value], [people[0], people[6], people[4]], nottingham, leeds)
    world = World(users=users, people=people)
    _give_contracts_and_referrals(world, users["NATIONAL_CASE_VIEWER"])
    _give_programme_referrals(people)
    _give_programmes(world)
    excluded_person, restricted_person = people[5], people[6]
    practitioner, spo = users[Role.PRACTITIONER.value], users[Role.SENIOR_PROBATION_OFFICER.value]
    CaseAccessEntry.objects.create(
        person=excluded_person, user=practitioner, kind=AccessListKind.EXCLUDED, reason="test"
    )
    world.excluded.add((excluded_person.pk, practitioner.pk))
    CaseAccessEntry.objects.create(
        person=restricted_person, user=spo, kind=AccessListKind.PERMITTED, reason="test"
    )
    world.permitted.add((restricted_person.pk, spo.pk))
    return world


def _give_programme_referrals(people: list[Person]) -> None:
    """A referral to Building Better Relationships (so Partner Link Work pages have one)
    for each person, under their sentence, waiting for assessment. The programme has a
    short published template, so groups of it can be formed."""
    bbr = programme_with_template(
        SHORT_TEMPLATE, code="world-bbr", name="World BBR", need_area=NeedArea.DOMESTIC_ABUSE, women=False
    )
    for subject in people:
        give_programme_referral(subject, bbr)


def give_programme_referral(subject: Person, programme: Any) -> ProgrammeReferral:
    """A referral to ``programme`` under the person's first sentence, waiting for assessment."""
    event = subject.events.select_related("sentence").order_by("number").first()
    assert event is not None
    return ProgrammeReferral.objects.create(
        person=subject,
        event=event,
        programme=programme,
        pdu=subject.pdu,
        source=ReferralSource.PRACTITIONER,
        referred_on=event.sentenced_on,
        must_finish_by=event.sentence.expected_end_on,
    )


SI_MODULES = [
    {
        "name": "Sessions",
        "sessions": [{"name": f"Session {n}", "kind": "GROUP", "minutes": 90} for n in range(1, 5)],
    }
]


def _last_usable_day() -> date:
    """Yesterday, or the latest day before it that is not a bank holiday: a group starting
    then has its first session in the past and its second (a week on) still to come."""
    day = timezone.localdate() - timedelta(days=1)
    while is_bank_holiday(day):
        day -= timedelta(days=1)
    return day


def assess_suitable(actor: Any, referral: ProgrammeReferral) -> ProgrammeReferral:
    """The Programmes team's assessment: suitable for the referral's programme, so it waits
    for a group (AWAITING_ALLOCATION)."""
    referral = ProgrammeReferral.objects.get(pk=referral.pk)
    return programme_referrals.assess(
        acting_user=actor,
        referral_id=referral.pk,
        outcome=programme_referrals.SuitabilityInput(
            suitability=Suitability.SUITABLE, reasons="Meets the criteria", programme_id=referral.programme_id
        ),
        expected_version=referral.version,
    )


def form_group_with_a_past_session(
    actor: Any,
    *,
    programme: Any,
    room: Any,
    treatment_manager: Any,
    facilitator: Any,
    referrals: list[ProgrammeReferral],
    at: time = time(10),
) -> Any:
    """A men's group at ``room``'s PDU meeting weekly at ``at``, its first session on the
    last usable day (now past) and the next a week on: formed, and the referrals assessed
    and added from the waitlist, through the services the day before it started."""
    first_day = _last_usable_day()
    before = datetime.combine(first_day - timedelta(days=1), time(12), ZoneInfo("Europe/London"))
    with time_machine.travel(before, tick=False):
        group = programme_groups.create_group(
            acting_user=actor,
            programme=programme,
            cohort=Cohort.GENERAL,
            sex=GroupSex.MALE,
            ldc=False,
            pdu=room.office.pdu,
            room=room,
            slots=[Slot(first_day.weekday(), at)],
            starts_on=first_day,
            treatment_manager=treatment_manager,
            facilitators=[facilitator],
        )
        for referral in referrals:
            programme_groups.add_member(
                acting_user=actor, group_id=group.pk, referral_id=assess_suitable(actor, referral).pk
            )
    return group


def record_first_attendance(actor: Any, group: Any, member: Any) -> None:
    """The member attended the group's first session, recorded once it had ended."""
    first = group.sessions.filter(member__isnull=True).order_by("starts_at").first()
    assert first is not None and first.starts_at is not None and first.starts_at < timezone.now()
    with time_machine.travel(first.starts_at + timedelta(hours=3), tick=False):
        programme_groups.record_attendance(
            acting_user=actor, session_id=first.pk, member_id=member.pk, outcome=Attendance.ATTENDED_COMPLIED
        )


def _give_programmes(world: World) -> None:
    """Programmes records in and out of the Nottingham users' scope, made through the real
    services: a room at a Nottingham City office and one in Leeds; a group in each PDU of
    the world's BBR (formed the day before its first session, which has now passed) with
    the TeamA and Restricted people in Nottingham and the Leeds person in Leeds, taken
    from the waitlist after a suitability assessment; the TeamA person's attendance at
    the first session; a partner contact on their referral (naming their marker, so a
    leak shows); a delivery offer in each PDU; and a Structured Intervention submitted
    by each region's treatment manager (East Midlands, F, and Yorkshire, C)."""

    users, people = world.users, world.people
    nottingham, leeds = Pdu.objects.get(name="Nottingham City"), Pdu.objects.get(name="Leeds")
    team_a, restricted, in_leeds = people[0], people[6], people[4]
    for subject in (team_a, restricted, in_leeds):
        subject.sex = "MALE"
        subject.save()
    coordinator = users[Role.PROGRAMME_COORDINATOR.value]
    treatment_manager = users[Role.TREATMENT_MANAGER.value]
    leeds_team = in_leeds.team
    leeds_coordinator = UserFactory(
        username="w-leeds-coordinator",
        role=Role.PROGRAMME_COORDINATOR,
        staff=StaffFactory(team=leeds_team, pdu=leeds),
    )
    leeds_treatment_manager = UserFactory(
        username="w-leeds-tm", role=Role.TREATMENT_MANAGER, staff=StaffFactory(team=leeds_team, pdu=leeds)
    )
    leeds_facilitator = StaffFactory(team=leeds_team, pdu=leeds, grade=Grade.FACILITATOR)
    room = RoomFactory(office=Office.objects.active().filter(pdu=nottingham).first(), name="World room")
    leeds_room = RoomFactory(
        office=Office.objects.active().filter(pdu=leeds).first(), name="World Leeds room"
    )
    bbr = ProgrammeReferral.objects.get(person=team_a).programme
    groups = {
        key: form_group_with_a_past_session(
            actor,
            programme=bbr,
            room=where,
            treatment_manager=manager,
            facilitator=facilitator,
            referrals=[ProgrammeReferral.objects.get(person=subject) for subject in members],
        )
        for key, actor, where, manager, facilitator, members in (
            (
                "group",
                coordinator,
                room,
                treatment_manager.staff,
                users[Role.FACILITATOR.value].staff,
                (team_a, restricted),
            ),
            (
                "leeds_group",
                leeds_coordinator,
                leeds_room,
                leeds_treatment_manager.staff,
                leeds_facilitator,
                (in_leeds,),
            ),
        )
    }
    group = groups["group"]
    member = group.members.get(referral__person=team_a)
    record_first_attendance(coordinator, group, member)
    first = group.sessions.filter(member__isnull=True).order_by("starts_at").first()
    programme_referrals.record_partner_contact(
        acting_user=users[Role.PARTNER_LINK_WORKER.value],
        referral_id=member.referral_id,
        contacted_on=timezone.localdate(),
        method=PartnerContactMethod.PHONE,
        safety_concern=False,
        notes=f"Spoke to the partner of {team_a.last_name}",
    )
    offers = [
        programme_catalogue.add_offer(
            acting_user=actor,
            programme_code="building-choices-moderate",
            pdu_id=pdu.pk,
            office_id=None,
            starts_on=timezone.localdate(),
        )
        for actor, pdu in ((coordinator, nottingham), (leeds_coordinator, leeds))
    ]
    interventions = [
        programme_catalogue.submit_intervention(
            acting_user=actor,
            proposal=programme_catalogue.InterventionProposal(
                name=name, need_area=NeedArea.EMOTIONAL_MANAGEMENT, audience="Adults", modules=SI_MODULES
            ),
        )
        for actor, name in (
            (treatment_manager, "World Nottingham intervention"),
            (leeds_treatment_manager, "World Leeds intervention"),
        )
    ]
    group.refresh_from_db()
    world.programmes.update(
        room=room,
        leeds_room=leeds_room,
        programme=bbr,
        group=group,
        leeds_group=groups["leeds_group"],
        session=first,
        later_session=group.sessions.filter(member__isnull=True).order_by("starts_at").last(),
        leeds_session=groups["leeds_group"]
        .sessions.filter(member__isnull=True)
        .order_by("starts_at")
        .first(),
        member=member,
        restricted_member=group.members.get(referral__person=restricted),
        leeds_member=groups["leeds_group"].members.get(),
        restricted_one_to_one=group.sessions.get(member__referral__person=restricted),
        offer=offers[0],
        leeds_offer=offers[1],
        intervention=interventions[0],
        leeds_intervention=interventions[1],
        facilitator=users[Role.FACILITATOR.value].staff,
        leeds_facilitator=leeds_facilitator,
        leeds_coordinator=leeds_coordinator,
        leeds_treatment_manager=leeds_treatment_manager,
    )


def _give_case_history(person: Person, actor: Any, day: int) -> None:
    """A sentence, a failed appointment with breach action, a registration and a note, so
    every nested case page (appointments, breaches, requirements...) has real ids to walk."""

    event = community_order(person, sentenced_on=date(2026, 1, day))
    staff = (
        StaffFactory(team=person.team, pdu=person.pdu)
        if person.team
        else StaffFactory(team=None, pdu=person.pdu)
    )
    when = datetime(2026, 2, day, 10, tzinfo=ZoneInfo("Europe/London"))
    appointment = supervision.book_appointment(
        acting_user=actor,
        person=person,
        event=event,
        type=AppointmentType.SUPERVISION,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        practitioner=staff,
    )
    supervision.record_outcome(
        acting_user=actor,
        appointment_id=appointment.pk,
        outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
        notes=f"Did not attend ({person.last_name})",
        expected_version=appointment.version,
    )
    supervision.take_enforcement_action(
        acting_user=actor,
        appointment_id=appointment.pk,
        decision=EnforcementDecision.BREACH,
        circumstances=f"Breach for {person.last_name}",
    )
    supervision.add_contact_note(
        acting_user=actor, person=person, text=f"Note about {person.last_name}", is_sensitive=False
    )
    risk_services.add_registration(
        acting_user=actor, person=person, type="DOMESTIC_ABUSE", starts_on=date(2026, 1, day)
    )
    # An assessment with the PNI's inputs, so the person has a Programme Needs Identifier.
    risk_services.record_assessment(
        acting_user=actor,
        person=person,
        completed_on=date(2026, 1, day),
        ovp=Decimal("40"),
        sara_partner="HIGH",
    )


def _give_contracts_and_referrals(world: World, sender: Any) -> None:
    """Two contracts (the world's provider holds one) and a referral to each: the
    provider may see only the person referred to their own organisation."""

    provider = world.users[Role.PROVIDER.value]
    ours = contract(
        "WORLD_ACC", region_id="F", supplier=supplier("WORLD_OURS", organisation=provider.organisation)
    )
    theirs = contract(
        "WORLD_LEEDS",
        region_id="C",
        supplier=supplier("WORLD_THEIRS", organisation=ExternalOrganisationFactory(kind="PROVIDER")),
    )
    contract("WORLD_WOS", categories=(9,), region_id="C", allows_male=False)
    application = SupplierApplication.objects.create(
        organisation_name="World Applicant",
        contact_name="A",
        mandatory_exclusions_apply=False,
        discretionary_exclusions_apply=False,
        annual_turnover=1,
        audited_accounts=True,
        experience="x",
        references="x",
        employers_liability=1,
        public_liability=1,
        professional_indemnity=1,
        safeguarding_declaration=True,
        data_protection_declaration=True,
        cyber_essentials=False,
        submitted_at=timezone.now(),
    )
    ApplicationDocument.objects.create(
        application=application, name="accounts.txt", content_type="text/plain", size=2, data=b"ok"
    )
    outcome = DesiredOutcome.objects.filter(category=1).first()
    assert outcome is not None
    for person, service in ((world.people[0], ours), (world.people[4], theirs)):
        person.sex, person.date_of_birth = "MALE", date(1990, 1, 1)
        person.save()
        referrals.send_referral(
            acting_user=sender,
            person=person,
            contract_id=service.pk,
            category=1,
            complexity="LOW",
            desired_outcome_ids=[outcome.pk],
            max_rar_days=5,
            completion_deadline=timezone.localdate() + timedelta(days=30),
            risk_information="Low",
        )
        world.referred.add((person.pk, service.supplier.organisation_id))
    _give_competition(provider, ours.supplier)


def _give_competition(provider: Any, supplier: Any) -> None:
    """A published competition the world's provider was invited to, with a bid and a question."""

    now = timezone.now()
    lead = Commissioner.objects.create(name="World PCC", kind="PCC", agreement_signed_on=date(2026, 1, 1))
    competition = Competition.objects.create(
        reference="CO-WORLD",
        title="World competition",
        lead=lead,
        category_id=1,
        geography_level="REGION",
        region_id="F",
        specification="x",
        expected_referrals_per_month=1,
        budget=Decimal(1000),
        quality_weight=60,
        price_weight=30,
        social_value_weight=10,
        clarification_deadline=now + timedelta(days=1),
        bid_deadline=now + timedelta(days=2),
        service_starts_on=date(2027, 1, 1),
        service_ends_on=date(2028, 1, 1),
        status="PUBLISHED",
        created_by=provider,
    )
    Invitation.objects.create(competition=competition, supplier=supplier, invited_at=now)
    Bid.objects.create(
        competition=competition,
        supplier=supplier,
        price=Decimal(900),
        quality_response="x",
        social_value_response="x",
        submitted_at=now,
        submitted_by=provider,
    )
    Clarification.objects.create(competition=competition, asked_by=supplier, question="Q?", asked_at=now)


def _give_unpaid_work(coordinator: Any, booked: list[Person], home: Any, elsewhere: Any) -> None:
    """Projects, sessions and bookings in two regions, including a restricted case."""

    for pdu, people in ((home, booked[:2]), (elsewhere, booked[2:])):
        site = project(pdu=pdu, name=f"Project in {pdu.name}")
        upw.generate_sessions(
            acting_user=coordinator, project_id=site.pk, start=date(2026, 11, 16), end=date(2026, 11, 16)
        )
        session = site.sessions.get()
        run = PlanRun.objects.create(
            pdu=pdu,
            starts_on=date(2026, 11, 16),
            ends_on=date(2026, 11, 29),
            created_at=timezone.now(),
            created_by=coordinator,
            solver_status="OPTIMAL",
            objective=0,
            bound=0,
            gap=0,
            seconds=0,
            people_considered=len(people),
            sessions_considered=1,
            greedy_minutes=0,
        )
        for person in people:
            order = upw_order(person)
            Booking.objects.create(session=session, order=order)
            PlannedBooking.objects.create(run=run, session=session, order=order, reason="test")
    # A planner job the coordinator started (queued), and a scheduled job no one started
    # (failed): the first is the coordinator's and the administrators', the second theirs alone.
    Job.objects.create(
        kind=upw.PLAN_JOB,
        label=f"Placement plan for {home.name}",
        started_by=coordinator,
        params={"pdu_id": home.pk, "start": "2026-11-16", "end": "2026-11-29"},
        dedupe_key=f"{upw.PLAN_JOB}:{home.pk}:2026-11-16:2026-11-29",
        created_at=timezone.now(),
    ).followers.add(coordinator)
    Job.objects.create(
        kind="risk.nightly_tiers",
        label="Nightly tier recalculation",
        status=JobStatus.FAILED,
        error="The worker running it stopped; it was tried 3 times.",
        created_at=timezone.now(),
    )
    upw.submit_nomination(
        client_ip=None,
        nominator_name="N",
        email="n@example.org",
        description="Paint",
        address="A",
        postcode="NG1 1AA",
    )
