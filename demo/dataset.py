"""The demo dataset: teams, staff, one user per role and a few hundred people.

Deterministic from a seed so every newcomer sees the same demo. It is built on
the real geography (East Midlands as the home region, with people in a second
region so scoping is visible). Never run against production: the command
refuses unless DEBUG is on or ``--allow-non-debug`` is given.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from commissioning.constants import ApplicationStatus, CommissionerKind
from commissioning.models import (
    Commissioner,
    Contract,
    DesiredOutcome,
    Qualification,
    Supplier,
    SupplierApplication,
)
from commissioning.reference_data.loader import load_framework_contracts
from core.roles import Role
from demo.programmes import load_programmes
from demo.synthetic.names import FIRST_NAMES, LAST_NAMES
from demo.unpaid_work import _unpaid_work
from organisation.constants import Grade, OrganisationKind
from organisation.models import ExternalOrganisation, PccArea, Pdu, Staff, Team
from people.constants import AccessListKind, Sex
from people.models import CaseAccessEntry, Person
from referrals import services as referrals
from referrals.constants import WithdrawalReason
from referrals.models import Referral
from risk import services as risk
from risk.constants import PNI_ITEM_NAMES
from sentences import services as sentences
from sentences.constants import DisposalType, OffenceCategory, RequirementType
from supervision import services as supervision
from supervision.constants import AppointmentOutcome, AppointmentType, EnforcementDecision
from supervision.selectors import enforcement_options_for

DEMO_PASSWORD = "probation-demo-2026"  # noqa: S105 - printed to the developer; demo only


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    first_name: str
    last_name: str
    grade: Grade | None
    team_code: str | None
    pdu_name: str | None
    organisation_code: str | None = None
    also: tuple[Role, ...] = ()  # further roles held alongside ``role``

    @property
    def roles(self) -> list[Role]:
        return [self.role, *self.also]


HOME_PDU = "Nottingham City"
SECOND_PDU = "Nottinghamshire"
OTHER_REGION_PDU = "Leeds"

TEAMS = [
    ("NOTCTY-A", "Nottingham City Team A", HOME_PDU),
    ("NOTCTY-B", "Nottingham City Team B", HOME_PDU),
    ("NOTTS-MAN", "Mansfield Team", SECOND_PDU),
    ("LEEDS-N", "Leeds North Team", OTHER_REGION_PDU),
]

DEMO_USERS = [
    DemoUser("practitioner", Role.PRACTITIONER, "Priya", "Shah", Grade.PO, "NOTCTY-A", HOME_PDU),
    # A senior probation officer who is also the PDU's treatment manager: two jobs, one account.
    DemoUser(
        "spo",
        Role.SENIOR_PROBATION_OFFICER,
        "Sam",
        "Okafor",
        Grade.SPO,
        "NOTCTY-A",
        HOME_PDU,
        also=(Role.TREATMENT_MANAGER,),
    ),
    DemoUser("unpaidwork", Role.UNPAID_WORK, "Una", "Walsh", Grade.PLACEMENT_COORDINATOR, None, HOME_PDU),
    DemoUser("treatment", Role.TREATMENT_MANAGER, "Tom", "Byrne", Grade.TREATMENT_MANAGER, None, SECOND_PDU),
    DemoUser("facilitator", Role.FACILITATOR, "Paul", "Grant", Grade.FACILITATOR, None, SECOND_PDU),
    DemoUser(
        "programmes", Role.PROGRAMME_COORDINATOR, "Gemma", "Price", Grade.CASE_ADMINISTRATOR, None, SECOND_PDU
    ),
    DemoUser("plw", Role.PARTNER_LINK_WORKER, "Lena", "Hughes", Grade.PSO, None, SECOND_PDU),
    DemoUser("panel", Role.INTERVENTIONS_PANEL, "Ravi", "Menon", Grade.TREATMENT_MANAGER, None, HOME_PDU),
    DemoUser("rpd", Role.REGIONAL_DIRECTOR, "Rachel", "Dunn", Grade.REGIONAL_DIRECTOR, None, HOME_PDU),
    DemoUser("analyst", Role.NATIONAL_ANALYST, "Anil", "Mistry", Grade.ANALYST, None, HOME_PDU),
    DemoUser("admin", Role.ADMINISTRATOR, "Ada", "Moss", Grade.ADMINISTRATOR, None, HOME_PDU),
    DemoUser("commercial", Role.COMMERCIAL, "Kit", "Harper", Grade.COMMERCIAL_MANAGER, None, HOME_PDU),
    DemoUser("commissioner", Role.COMMISSIONER, "Cara", "Lowe", None, None, None, "PCC-NOTTINGHAMSHIRE"),
    DemoUser("provider", Role.PROVIDER, "Pete", "Nolan", None, None, None, "NACRO"),
]

# A second practitioner in the same PDU, different team: shows team scoping.
COLLEAGUE = DemoUser("colleague", Role.PRACTITIONER, "Colin", "Reid", Grade.PSO, "NOTCTY-B", HOME_PDU)


def _crn(rng: random.Random, used: set[str]) -> str:
    while True:
        crn = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.randrange(0, 1_000_000):06d}"
        if crn not in used:
            used.add(crn)
            return crn


@transaction.atomic
def load_demo(*, seed: int = 2026, people_per_team: int = 40) -> list[DemoUser]:
    """Creates the demo dataset; returns the users created (idempotent by username)."""
    if User.objects.filter(username="admin").exists():
        return []
    rng = random.Random(seed)
    pdus = {p.name: p for p in Pdu.objects.filter(name__in=[HOME_PDU, SECOND_PDU, OTHER_REGION_PDU])}
    teams = {
        code: Team.objects.create(code=code, name=name, pdu=pdus[pdu_name]) for code, name, pdu_name in TEAMS
    }
    ExternalOrganisation.objects.create(
        code="PCC-NOTTINGHAMSHIRE",
        name="Office of the Nottinghamshire Police and Crime Commissioner",
        kind=OrganisationKind.PCC,
        pcc_area=PccArea.objects.get(pk="nottinghamshire"),
        region=pdus[HOME_PDU].region,
    )
    # The real 2021-2026 framework contracts; the demo provider user works for Nacro,
    # which holds the East Midlands accommodation contract.
    load_framework_contracts()
    nacro = ExternalOrganisation.objects.create(
        code="NACRO", name="Nacro", kind=OrganisationKind.PROVIDER, region=pdus[HOME_PDU].region
    )
    Supplier.objects.filter(code="NACRO").update(organisation=nacro)
    _framework(pdus[HOME_PDU])
    created: list[DemoUser] = []
    staff_by_team: dict[str, list[Staff]] = {code: [] for code in teams}
    for index, spec in enumerate([*DEMO_USERS, COLLEAGUE], start=1):
        staff = None
        if spec.grade is not None and spec.pdu_name is not None:
            team = teams[spec.team_code] if spec.team_code else None
            staff = Staff.objects.create(
                staff_code=f"DEMO{index:04d}",
                forename=spec.first_name,
                surname=spec.last_name,
                grade=spec.grade,
                pdu=pdus[spec.pdu_name],
                team=team,
            )
            if team is not None and spec.grade in {Grade.PO, Grade.PSO}:
                staff_by_team[team.code].append(staff)
        organisation = (
            ExternalOrganisation.objects.get(code=spec.organisation_code) if spec.organisation_code else None
        )
        account_services.create_user(
            acting_user=None,
            username=spec.username,
            password=DEMO_PASSWORD,
            roles=spec.roles,
            first_name=spec.first_name,
            last_name=spec.last_name,
            staff=staff,
            organisation=organisation,
        )
        created.append(spec)
    # Every team gets practitioners even without a demo sign-in, so cases can be allocated.
    for code, team in teams.items():
        for n in range(2):
            staff_by_team[code].append(
                Staff.objects.create(
                    staff_code=f"{code.replace('-', '')[:9]}{n:02d}",
                    forename=rng.choice(FIRST_NAMES),
                    surname=rng.choice(LAST_NAMES),
                    grade=rng.choice([Grade.PO, Grade.PSO, Grade.PQIP]),
                    pdu=team.pdu,
                    team=team,
                )
            )
    used: set[str] = set()
    people: list[Person] = []
    for code, team in teams.items():
        for _ in range(people_per_team):
            allocated = rng.random() > 0.1
            person = Person(
                crn=_crn(rng, used),
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45)),
                sex=Sex.FEMALE if rng.random() < 0.15 else Sex.MALE,
                pdu=team.pdu,
                team=team if allocated else None,
                practitioner=rng.choice(staff_by_team[code]) if allocated else None,
            )
            person.set_name_keys()
            people.append(person)
    Person.objects.bulk_create(people)
    for person in Person.objects.filter(crn__in=used).select_related("practitioner"):
        _give_history(rng, person)
    _restrict_some(people)
    _unpaid_work(rng, pdus[HOME_PDU])
    _referrals(pdus[HOME_PDU])
    # Its own seeded source, so adding programmes changed nothing the demo made before.
    load_programmes(random.Random(seed + 12), second_pdu=SECOND_PDU, home_pdu=HOME_PDU)
    return created


DEMO_OFFENCES = [
    ("Assault by beating", "VIOLENCE"),
    ("Theft from a shop", "THEFT"),
    ("Burglary", "THEFT"),
    ("Criminal damage", "CRIMINAL_DAMAGE"),
    ("Possession with intent to supply", "DRUGS"),
]


def _pni_inputs(person: Person) -> dict[str, Any]:
    """Plausible Programme Needs Identifier inputs, so the caseload shows every pathway.

    A generator seeded by the CRN, not the dataset's own: adding these draws leaves every
    other demo value as it was. About one in eight has an unknown item (missing information);
    the rest spread across low, medium and high risk and need."""
    pni = random.Random(f"pni:{person.crn}")
    level = pni.choice([0, 1, 1, 2])  # how troubled the needs are: low, medium (twice), high
    items: dict[str, Any] = {
        name: min(2, max(0, level + pni.choice([-1, 0, 0, 1]))) for name in PNI_ITEM_NAMES
    }
    items["offence_related_sexual_interests"] = 0
    items["sexual_preoccupation"] = 0
    if pni.random() < 0.125:
        items[pni.choice(PNI_ITEM_NAMES[3:])] = None
    return items | {
        "ovp": Decimal(pni.randrange(5, 80)),
        "sara_partner": pni.choice(["", "", "LOW", "MEDIUM", "HIGH"]),
        "sara_others": pni.choice(["", "LOW", "LOW", "MEDIUM"]),
        "osp_iic_band": "NOT_APPLICABLE",
        "ldc_score": pni.randrange(0, 4),
    }


def _give_history(rng: random.Random, person: Person) -> None:
    """A sentence, a risk assessment and appointments, through the real services, so the
    demo's tiers, timelines and enforcement states are the ones the rules produce."""

    today = timezone.localdate()
    sentenced = today - timedelta(days=rng.randrange(60, 400))
    disposal = rng.choice(
        [
            DisposalType.COMMUNITY_ORDER,
            DisposalType.COMMUNITY_ORDER,
            DisposalType.SUSPENDED_SENTENCE_ORDER,
            DisposalType.CUSTODY,
        ]
    )
    description, category = rng.choice(DEMO_OFFENCES)
    offence = sentences.OffenceInput(
        description=description,
        category=OffenceCategory(category),
        committed_on=sentenced - timedelta(days=60),
        is_main=True,
        is_violent=category == "VIOLENCE",
    )
    if disposal == DisposalType.CUSTODY:
        spec = sentences.SentenceInput(
            disposal_type=disposal,
            custodial_days=300,
            released_on=sentenced + timedelta(days=150),
            licence_ends_on=sentenced + timedelta(days=300),
        )
        requirements = []
    else:
        spec = sentences.SentenceInput(
            disposal_type=disposal,
            length_months=18 if disposal == DisposalType.COMMUNITY_ORDER else None,
            custodial_days=120 if disposal != DisposalType.COMMUNITY_ORDER else None,
            operational_months=18 if disposal != DisposalType.COMMUNITY_ORDER else None,
        )
        requirements = [sentences.RequirementInput(type=RequirementType.RAR, amount=rng.randrange(10, 30))]
        if rng.random() < 0.5:
            requirements.append(
                sentences.RequirementInput(
                    type=RequirementType.UNPAID_WORK, amount=rng.choice([60, 80, 120, 150])
                )
            )
    event = sentences.record_event(
        acting_user=None,
        person=person,
        court="Nottingham Magistrates' Court",
        convicted_on=sentenced,
        sentenced_on=sentenced,
        offences=[offence],
        sentence=spec,
        requirements=requirements,
    )
    risk.record_assessment(
        acting_user=None,
        person=person,
        completed_on=sentenced + timedelta(days=14),
        rosh=rng.choice(["LOW", "MEDIUM", "MEDIUM", "HIGH"]),
        arp_score=Decimal(rng.randrange(5, 95)),
        arp_type="DYNAMIC",
        csrp_score=Decimal(rng.randrange(1, 80)) / 10,
        csrp_type=rng.choice(["DYNAMIC", "STATIC"]),
        rsr=Decimal(rng.randrange(1, 90)) / 10,
        ogrs3=Decimal(rng.randrange(10, 95)),
        need_scores={"ACCOMMODATION": rng.randrange(0, 9), "THINKING_AND_BEHAVIOUR": rng.randrange(0, 9)},
        **_pni_inputs(person),
    )
    if rng.random() < 0.2:
        risk.add_registration(acting_user=None, person=person, type="DOMESTIC_ABUSE", starts_on=sentenced)
    if person.practitioner is None:
        return
    for weeks in (-6, -4, -2, 1, 3):
        day = today + timedelta(weeks=weeks)
        starts = timezone.make_aware(datetime.combine(day, time(10 + rng.randrange(6), 0)))
        appointment = supervision.book_appointment(
            acting_user=None,
            person=person,
            event=event,
            type=AppointmentType.SUPERVISION,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            practitioner=person.practitioner,
        )
        if weeks < 0 and not (weeks == -2 and rng.random() < 0.15):  # a few outcomes left to record
            failed = rng.random() < 0.08
            supervision.record_outcome(
                acting_user=None,
                appointment_id=appointment.pk,
                outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE
                if failed
                else AppointmentOutcome.ATTENDED_COMPLIED,
                notes="Did not attend and did not get in touch" if failed else "",
                expected_version=appointment.version,
            )
            if failed:
                options = enforcement_options_for(appointment)
                decision = EnforcementDecision.WARNING if options.may_warn else EnforcementDecision.BREACH
                supervision.take_enforcement_action(
                    acting_user=_system_user(),
                    appointment_id=appointment.pk,
                    decision=decision,
                    circumstances="Missed a supervision appointment without a reasonable excuse",
                )


def _system_user() -> User:
    """Demo warnings record who gave them: the demo's senior probation officer."""
    return User.objects.get(username="spo")


def _restrict_some(people: list[Person]) -> None:
    """One case the demo practitioner is excluded from; one restricted to the SPO only."""
    practitioner = User.objects.get(username="practitioner")
    spo = User.objects.get(username="spo")
    team_a = [p for p in people if p.team is not None and p.team.code == "NOTCTY-A"]
    excluded, restricted = Person.objects.get(crn=team_a[0].crn), Person.objects.get(crn=team_a[1].crn)
    CaseAccessEntry.objects.create(
        person=excluded,
        user=practitioner,
        kind=AccessListKind.EXCLUDED,
        reason="Practitioner is related to the person on probation",
    )
    CaseAccessEntry.objects.create(
        person=restricted,
        user=spo,
        kind=AccessListKind.PERMITTED,
        reason="High-profile case: access limited to the senior probation officer",
    )
    Person.objects.filter(pk=restricted.pk).update(is_restricted=True)


def _framework(pdu: Pdu) -> None:
    """Commissioners for Nottinghamshire (the PCC and HMPPS East Midlands), neither yet
    signed up to the user agreement, and Nacro's qualification for accommodation in the
    region, so a competition there invites Nacro and any supplier that qualifies next."""

    Commissioner.objects.create(
        name="Nottinghamshire Police and Crime Commissioner",
        kind=CommissionerKind.PCC,
        organisation=ExternalOrganisation.objects.get(code="PCC-NOTTINGHAMSHIRE"),
    )
    Commissioner.objects.create(
        name=f"HMPPS {pdu.region.name}", kind=CommissionerKind.HMPPS_REGION, region=pdu.region
    )
    nacro = Supplier.objects.get(code="NACRO")
    application = SupplierApplication.objects.create(
        supplier=nacro,
        organisation_name=nacro.name,
        registered_address="Walkden House, 16-17 Devonshire Square, London",
        contact_name="Framework team",
        mandatory_exclusions_apply=False,
        discretionary_exclusions_apply=False,
        annual_turnover=Decimal("60000000"),
        audited_accounts=True,
        experience="National accommodation services since 2021",
        references="HMPPS contracts 2021",
        employers_liability=Decimal("10000000"),
        public_liability=Decimal("10000000"),
        professional_indemnity=Decimal("5000000"),
        safeguarding_declaration=True,
        data_protection_declaration=True,
        cyber_essentials=True,
        status=ApplicationStatus.PASSED,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )
    application.categories.set([1])
    application.regions.set([pdu.region])
    Qualification.objects.create(supplier=nacro, category_id=1, region=pdu.region, application=application)


def _referrals(pdu: Pdu) -> None:
    """Referrals from the practitioner's cases to Nacro's East Midlands accommodation
    service, one at each stage, so both sides of refer-and-monitor have work to show."""

    practitioner = User.objects.get(username="practitioner")
    caseworker = User.objects.get(username="provider")
    contract = Contract.objects.get(reference="PRJ_5549")
    outcomes = list(DesiredOutcome.objects.filter(category=1).values_list("pk", flat=True)[:2])
    men = Person.objects.filter(pdu=pdu, sex=Sex.MALE, practitioner=practitioner.staff).order_by("crn")[:5]
    now, today = timezone.now(), timezone.localdate()
    for stage, person in enumerate(men):
        referral = referrals.send_referral(
            acting_user=practitioner,
            person=person,
            contract_id=contract.pk,
            category=1,
            complexity=["LOW", "MEDIUM", "HIGH"][stage % 3],
            desired_outcome_ids=outcomes,
            max_rar_days=10,
            completion_deadline=today + timedelta(days=90),
            risk_information="Medium risk of serious harm to known adults. No concerns about lone working in an office.",
        )
        # Sent over the last fortnight, so sessions and reports fall after the referral.
        Referral.objects.filter(pk=referral.pk).update(sent_at=now - timedelta(days=14 - stage))
        if stage == 4:
            referrals.withdraw(
                acting_user=practitioner,
                referral_id=referral.pk,
                reason=WithdrawalReason.MOV,
                expected_version=Referral.objects.get(pk=referral.pk).version,
            )
            continue
        if stage == 0:
            continue
        referrals.assign_caseworker(
            acting_user=caseworker,
            referral_id=referral.pk,
            caseworker_id=caseworker.pk,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        referrals.book_assessment(
            acting_user=caseworker,
            referral_id=referral.pk,
            at=now + timedelta(minutes=1),
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        if stage == 1:
            continue
        referrals.record_assessment(
            acting_user=caseworker,
            referral_id=referral.pk,
            assessed_on=today,
            notes="Sofa surfing; needs a deposit.",
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        referrals.submit_action_plan(
            acting_user=caseworker,
            referral_id=referral.pk,
            number_of_sessions=1 if stage == 3 else 3,
            activities="Apply to the council's housing register; deposit guarantee scheme; tenancy skills.",
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        referrals.decide_action_plan(
            acting_user=practitioner,
            referral_id=referral.pk,
            approve=True,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        referrals.record_session(
            acting_user=caseworker,
            referral_id=referral.pk,
            number=1,
            happened_at=now - timedelta(minutes=5),
            method="PROBATION_OFFICE",
            attendance="YES",
            absence_acceptable=None,
            progress_notes="Housing register form done.",
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
        if stage == 3:
            referrals.submit_report(
                acting_user=caseworker,
                referral_id=referral.pk,
                ratings=dict.fromkeys(outcomes, "ACHIEVED"),
                further_information="Moved into a private rented flat with a deposit guarantee.",
                expected_version=Referral.objects.get(pk=referral.pk).version,
            )


def describe(users: list[DemoUser]) -> list[dict[str, Any]]:
    return [
        {"username": u.username, "password": DEMO_PASSWORD, "role": ", ".join(r.label for r in u.roles)}
        for u in users
    ]
