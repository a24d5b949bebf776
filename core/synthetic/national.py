"""A realistic synthetic national caseload, deterministic from a seed.

About 240,000 people across the 108 real PDUs (OMSQ: 240,362 under supervision
at 31 December 2024), about 20,000 staff (HMPPS workforce: 20,555 FTE), a mix of
community orders, suspended sentences and licences, requirements, risk
assessments, registrations, tiers computed by the real rules, and years of
appointment history with outcomes, warnings and breaches.

Everything is written with ``core.synthetic.bulk`` (COPY on PostgreSQL), so the
full national set loads in minutes. The same code at a small scale builds test
and demo data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from core.synthetic.bulk import IdBlock, load, reset_sequences
from organisation.models import Office, Pdu, Staff, Team
from people.models import Person
from people.rules import soundex
from risk import tiering
from risk.models import Registration, RiskAssessment, TierCalculation
from sentences.models import Event, Offence, Requirement, Sentence
from sentences.rules import end_of_period
from supervision.models import Appointment, Breach, Warning

FIRST_NAMES = [
    "Aaron",
    "Abdul",
    "Adam",
    "Aisha",
    "Alex",
    "Ali",
    "Amy",
    "Andrew",
    "Ben",
    "Bethany",
    "Billy",
    "Bradley",
    "Callum",
    "Chloe",
    "Chris",
    "Connor",
    "Craig",
    "Daniel",
    "Darren",
    "David",
    "Dean",
    "Declan",
    "Demi",
    "Ellie",
    "Emma",
    "Ethan",
    "Faisal",
    "Gary",
    "Gemma",
    "George",
    "Grace",
    "Hannah",
    "Harry",
    "Imran",
    "Jack",
    "Jade",
    "Jamal",
    "James",
    "Jamie",
    "Jason",
    "Jordan",
    "Josh",
    "Karl",
    "Kayleigh",
    "Kieran",
    "Kyle",
    "Leah",
    "Lee",
    "Lewis",
    "Liam",
    "Lucy",
    "Luke",
    "Mark",
    "Martin",
    "Mohammed",
    "Nathan",
    "Neil",
    "Nicola",
    "Olivia",
    "Owen",
    "Paul",
    "Priya",
    "Reece",
    "Ricky",
    "Ryan",
    "Sam",
    "Sarah",
    "Scott",
    "Sean",
    "Shane",
    "Sophie",
    "Stacey",
    "Stephen",
    "Steven",
    "Tariq",
    "Terry",
    "Tom",
    "Tony",
    "Tyler",
    "Wayne",
    "Zara",
]
LAST_NAMES = [
    "Ahmed",
    "Ali",
    "Allen",
    "Atkinson",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Bennett",
    "Brown",
    "Campbell",
    "Carter",
    "Clark",
    "Clarke",
    "Collins",
    "Cooper",
    "Cox",
    "Davies",
    "Davis",
    "Dixon",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Harrison",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Knight",
    "Lee",
    "Lewis",
    "Lloyd",
    "Marshall",
    "Martin",
    "Mason",
    "Miah",
    "Mills",
    "Mitchell",
    "Moore",
    "Morgan",
    "Morris",
    "Murphy",
    "Owen",
    "Parker",
    "Patel",
    "Phillips",
    "Powell",
    "Price",
    "Reid",
    "Richards",
    "Roberts",
    "Robinson",
    "Rogers",
    "Scott",
    "Shaw",
    "Simpson",
    "Singh",
    "Smith",
    "Stevens",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Wilkinson",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
ETHNICITIES = [
    ("W_BRITISH", 70),
    ("W_OTHER", 6),
    ("B_CARIBBEAN", 4),
    ("B_AFRICAN", 3),
    ("A_PAKISTANI", 3),
    ("A_INDIAN", 1),
    ("A_BANGLADESHI", 1),
    ("M_WHITE_BLACK_CARIBBEAN", 3),
    ("O_OTHER", 2),
    ("NOT_RECORDED", 7),
]
DISPOSALS = [("CO", 30), ("SSO", 17), ("CUSTODY", 53)]  # community, suspended, pre and post release
ROSH = [("LOW", 27), ("MEDIUM", 53), ("HIGH", 18), ("VERY_HIGH", 2)]
REGISTRATIONS = [
    ("DOMESTIC_ABUSE", 0.18),
    ("CHILD_CONCERNS", 0.08),
    ("MENTAL_HEALTH", 0.12),
    ("SELF_HARM", 0.06),
    ("STALKING", 0.02),
    ("IOM", 0.05),
    ("CHILD_PROTECTION", 0.03),
]
OUTCOMES = [
    ("ATTENDED_COMPLIED", 84),
    ("ACCEPTABLE_ABSENCE", 7),
    ("UNACCEPTABLE_ABSENCE", 6),
    ("ATTENDED_FAILED_TO_COMPLY", 3),
]
OFFENCES = [
    ("Assault by beating", "VIOLENCE", True),
    ("Theft from a shop", "THEFT", False),
    ("Burglary (dwelling)", "THEFT", False),
    ("Possession with intent to supply", "DRUGS", False),
    ("Criminal damage", "CRIMINAL_DAMAGE", False),
    ("Actual bodily harm", "VIOLENCE", True),
    ("Possession of a bladed article", "WEAPONS", False),
    ("Fraud by false representation", "FRAUD", False),
    ("Affray", "PUBLIC_ORDER", True),
    ("Sexual assault", "SEXUAL", False),
]
TEAMS_PER_PDU = 6


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class Progress:
    """Reports each stage so a long load shows where it is."""

    report: Callable[[str], None]
    started: float = field(default_factory=time.perf_counter)

    def stage(self, name: str, rows: int) -> None:
        self.report(f"{time.perf_counter() - self.started:7.1f}s  {name}: {rows:,} rows")


@dataclass
class Scale:
    people: int = 240_000
    staff: int = 20_000
    appointments_per_person: int = 15
    history_years: int = 3


@dataclass
class Build:
    """What every stage of the generation shares."""

    rng: random.Random
    scale: Scale
    today: date
    progress: Progress
    counts: dict[str, int] = field(default_factory=dict)

    def load(self, name: str, model: type[Any], fields: list[str], rows: Any) -> None:
        self.counts[name] = load(model, fields, rows)
        self.progress.stage(name, self.counts[name])


@dataclass
class PersonFacts:
    pk: int
    sex: str
    pdu: int
    practitioner: int | None
    active_event: int | None = None


def generate(
    *, scale: Scale, seed: int, today: date, report: Callable[[str], None] = print
) -> dict[str, int]:
    build = Build(rng=random.Random(seed), scale=scale, today=today, progress=Progress(report))
    pdus = list(Pdu.objects.active().order_by("pk"))
    offices = {p.pk: list(Office.objects.active().filter(pdu=p).values_list("pk", flat=True)) for p in pdus}
    teams_by_pdu = _teams(build, pdus)
    staff_by_team = _staff(build, teams_by_pdu)
    people = _people(build, pdus, teams_by_pdu, staff_by_team)
    _sentences_and_risk(build, people)
    _appointments(build, people, offices)
    reset_sequences(
        Team,
        Staff,
        Person,
        Event,
        Offence,
        Sentence,
        Requirement,
        RiskAssessment,
        Registration,
        TierCalculation,
        Appointment,
        Warning,
        Breach,
    )
    return build.counts


def _teams(build: Build, pdus: list[Pdu]) -> dict[int, list[int]]:
    ids = IdBlock(Team)
    rows: list[tuple[Any, ...]] = []
    teams_by_pdu: dict[int, list[int]] = {}
    for pdu in pdus:
        for n in range(TEAMS_PER_PDU):
            tid = ids.take()
            rows.append((tid, f"P{pdu.pk:03d}T{n + 1}-{tid}", f"{pdu.name} team {n + 1}", pdu.pk, 1))
            teams_by_pdu.setdefault(pdu.pk, []).append(tid)
    build.load("teams", Team, ["id", "code", "name", "pdu", "version"], rows)
    return teams_by_pdu


STAFF_GRADES = [
    ("PO", 30),
    ("PSO", 32),
    ("PQIP", 8),
    ("SPO", 6),
    ("CASE_ADMINISTRATOR", 12),
    ("UPW_SUPERVISOR", 6),
    ("FACILITATOR", 4),
    ("TREATMENT_MANAGER", 2),
]
CASE_HOLDING_GRADES = frozenset({"PO", "PSO", "PQIP"})


def _staff(build: Build, teams_by_pdu: dict[int, list[int]]) -> dict[int, list[int]]:
    rng, ids = build.rng, IdBlock(Staff)
    team_pdu = {team: pdu for pdu, teams in teams_by_pdu.items() for team in teams}
    all_teams = list(team_pdu)
    staff_by_team: dict[int, list[int]] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for _ in range(build.scale.staff):
            sid, team, grade = ids.take(), rng.choice(all_teams), _pick(rng, STAFF_GRADES)
            hours = Decimal("37.0") if rng.random() < 0.8 else Decimal(rng.choice(["18.5", "22.5", "30.0"]))
            if grade in CASE_HOLDING_GRADES:
                staff_by_team.setdefault(team, []).append(sid)
            yield (
                sid,
                f"S{sid:07d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                grade,
                hours,
                team_pdu[team],
                team,
                1,
            )

    fields = [
        "id",
        "staff_code",
        "forename",
        "surname",
        "grade",
        "contracted_hours",
        "pdu",
        "team",
        "version",
    ]
    build.load("staff", Staff, fields, rows())
    return staff_by_team


PERSON_FIELDS = [
    "id",
    "crn",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "pnc_number",
    "sex",
    "gender_identity",
    "ethnicity",
    "disability",
    "disability_details",
    "religion",
    "sexual_orientation",
    "first_name_key",
    "last_name_key",
    "phone",
    "email",
    "pdu",
    "team",
    "practitioner",
    "is_restricted",
    "tier",
    "tier_provisional",
    "legacy_tier",
    "rosh",
    "created_at",
    "version",
]


def _people(
    build: Build, pdus: list[Pdu], teams_by_pdu: dict[int, list[int]], staff_by_team: dict[int, list[int]]
) -> list[PersonFacts]:
    rng, today, ids = build.rng, build.today, IdBlock(Person)
    used_crns = set(Person.objects.values_list("crn", flat=True))
    weights = [1.0 + rng.random() for _ in pdus]
    facts: list[PersonFacts] = []
    now = datetime.now(UTC)

    def new_crn() -> str:
        while True:
            crn = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.randrange(1_000_000):06d}"
            if crn not in used_crns:
                used_crns.add(crn)
                return crn

    def rows() -> Iterator[tuple[Any, ...]]:
        for _ in range(build.scale.people):
            pk, crn = ids.take(), new_crn()
            pdu = rng.choices(pdus, weights=weights)[0]
            team = rng.choice(teams_by_pdu[pdu.pk])
            candidates = staff_by_team.get(team, [])
            practitioner = rng.choice(candidates) if candidates and rng.random() < 0.94 else None
            sex = "FEMALE" if rng.random() < 0.12 else "MALE"
            born = today - timedelta(days=rng.randrange(18 * 365, 70 * 365))
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            facts.append(PersonFacts(pk, sex, pdu.pk, practitioner))
            yield (
                pk,
                crn,
                first,
                "",
                last,
                born,
                "",
                sex,
                "NOT_RECORDED",
                _pick(rng, ETHNICITIES),
                "NOT_RECORDED",
                "",
                "NOT_RECORDED",
                "NOT_RECORDED",
                soundex(first),
                soundex(last),
                "",
                "",
                pdu.pk,
                team if practitioner else None,
                practitioner,
                False,
                "",
                False,
                "",
                "",
                now,
                1,
            )

    build.load("people", Person, PERSON_FIELDS, rows())
    return facts


@dataclass
class CaseRows:
    """Rows for one stage, per table, with the ids handed out so far."""

    events: list[tuple[Any, ...]] = field(default_factory=list)
    offences: list[tuple[Any, ...]] = field(default_factory=list)
    sentences: list[tuple[Any, ...]] = field(default_factory=list)
    requirements: list[tuple[Any, ...]] = field(default_factory=list)
    assessments: list[tuple[Any, ...]] = field(default_factory=list)
    registrations: list[tuple[Any, ...]] = field(default_factory=list)
    tiers: list[tuple[Any, ...]] = field(default_factory=list)
    person_tiers: list[tuple[int, str, bool, str, str]] = field(default_factory=list)
    ids: dict[type[Any], IdBlock] = field(default_factory=dict)

    def next_id(self, model: type[Any]) -> int:
        if model not in self.ids:
            self.ids[model] = IdBlock(model)
        return self.ids[model].take()


def _sentence(
    build: Build, rows: CaseRows, person: PersonFacts
) -> tuple[str, date, date | None, list[str], bool]:
    """One event with its main offence, sentence and requirements."""
    rng = build.rng
    disposal = _pick(rng, DISPOSALS)
    sentenced = build.today - timedelta(days=rng.randrange(10, 700))
    eid = rows.next_id(Event)
    person.active_event = eid
    rows.events.append(
        (eid, person.pk, 1, "Magistrates' Court", sentenced, sentenced, person.practitioner, True)
    )
    description, category, violent = rng.choice(OFFENCES)
    sexual = category == "SEXUAL"
    committed = sentenced - timedelta(days=rng.randrange(20, 200))
    rows.offences.append(
        (rows.next_id(Offence), eid, description, category, committed, True, violent, sexual)
    )
    sid = rows.next_id(Sentence)
    released = None
    if disposal == "CO":
        months = rng.choice([12, 12, 18, 24])
        end = end_of_period(sentenced, months)
        terms: tuple[Any, ...] = (months, None, None, None, None, None, None)
    elif disposal == "SSO":
        operational = rng.choice([12, 18, 24])
        end = end_of_period(sentenced, operational)
        terms = (None, rng.randrange(30, 700), operational, rng.choice([None, 12]), None, None, None)
    else:
        days = rng.randrange(60, 2000)
        released, licence_end = sentenced + timedelta(days=days // 2), sentenced + timedelta(days=days)
        pss_end = end_of_period(released, 12) if days < 730 else None
        end = max(filter(None, [licence_end, pss_end]))
        terms = (None, days, None, None, released, licence_end, pss_end)
    rows.sentences.append((sid, eid, disposal, *terms, sentenced, end, "ACTIVE", "", "", 1))
    kinds = _requirement_kinds(rng) if disposal != "CUSTODY" else []
    for kind, amount in kinds:
        req_end = end_of_period(sentenced, 12) if kind == "UNPAID_WORK" else end
        rows.requirements.append(
            (rows.next_id(Requirement), sid, kind, amount, {}, sentenced, req_end, 0, "ACTIVE", None, "", 1)
        )
    return disposal, sentenced, released, [k for k, _ in kinds], sexual


def _requirement_kinds(rng: random.Random) -> list[tuple[str, int]]:
    kinds = []
    if rng.random() < 0.6:
        kinds.append(("RAR", rng.randrange(5, 40)))
    if rng.random() < 0.45:
        kinds.append(("UNPAID_WORK", rng.choice([40, 60, 80, 100, 120, 150, 200])))
    if rng.random() < 0.1:
        kinds.append(("CURFEW", 6))
    if not kinds or rng.random() < 0.1:
        kinds.append(("PROGRAMME", 20))
    return kinds


def _risk_and_tier(
    build: Build,
    rows: CaseRows,
    person: PersonFacts,
    sentence: tuple[str, date, date | None, list[str], bool],
) -> None:
    """A risk assessment, registrations and the tier the real rules give them."""
    rng = build.rng
    disposal, sentenced, released, kinds, sexual = sentence
    rosh = _pick(rng, ROSH)
    arp, csrp = round(rng.betavariate(2, 2.5) * 100, 2), round(rng.betavariate(1.2, 20) * 100, 2)
    arp_type = "DYNAMIC" if rng.random() < 0.8 else "STATIC"
    csrp_type = "DYNAMIC" if rng.random() < 0.8 else "STATIC"
    rsr, ogrs3 = round(rng.betavariate(1.3, 25) * 100, 2), round(rng.betavariate(2, 2) * 100, 2)
    needs = {n.value: rng.randrange(0, 10) for n in tiering.NEED_THRESHOLDS}
    rows.assessments.append(
        (
            rows.next_id(RiskAssessment),
            person.pk,
            sentenced + timedelta(days=rng.randrange(5, 40)),
            rosh,
            Decimal(str(arp)),
            arp_type,
            Decimal(str(csrp)),
            csrp_type,
            None,
            "",
            Decimal(str(rsr)),
            Decimal(str(ogrs3)),
            None,
            None,
            needs,
            False,
            False,
        )
    )
    registered = frozenset(code for code, chance in REGISTRATIONS if rng.random() < chance)
    rows.registrations.extend(
        (rows.next_id(Registration), person.pk, code, sentenced, None, "") for code in registered
    )
    result = tiering.calculate_tier(
        tiering.TierInputs(
            as_of=build.today,
            has_active_event=True,
            sex=tiering.Sex(person.sex),
            rosh=tiering.Rosh(rosh),
            mappa=None,
            predictors=tiering.Predictors(
                arp=tiering.Ogrs4Predictor(arp, tiering.PredictorType(arp_type)),
                csrp=tiering.Ogrs4Predictor(csrp, tiering.PredictorType(csrp_type)),
                dc_srp=None,
                rsr=rsr,
                ogrs3=ogrs3,
            ),
            registrations=frozenset(tiering.Registration(r) for r in registered),
            latest_release_date=released,
            ever_sexual_offence=sexual,
            needs={tiering.Need(k): tiering.need_severity(tiering.Need(k), v) for k, v in needs.items()},
            womens_factors=tiering.WomensFactors(False, False) if person.sex == "FEMALE" else None,
            breach_or_recall_within_year=False,
            mandate_for_change=disposal == "CUSTODY" or bool({"RAR", "PROGRAMME"} & set(kinds)),
        )
    )
    rows.tiers.append(
        (
            rows.next_id(TierCalculation),
            person.pk,
            datetime.now(UTC),
            result.tier,
            result.provisional,
            result.legacy_tier,
            result.protect_level,
            result.protect_points,
            result.change_level,
            result.change_points,
            list(result.reasons),
            {},
            "Synthetic national caseload",
        )
    )
    rows.person_tiers.append((person.pk, result.tier, result.provisional, result.legacy_tier, rosh))


def _sentences_and_risk(build: Build, people: list[PersonFacts]) -> None:
    rows = CaseRows()
    for person in people:
        _risk_and_tier(build, rows, person, _sentence(build, rows, person))
    build.load(
        "events",
        Event,
        ["id", "person", "number", "court", "convicted_on", "sentenced_on", "practitioner", "is_active"],
        rows.events,
    )
    build.load(
        "offences",
        Offence,
        ["id", "event", "description", "category", "committed_on", "is_main", "is_violent", "is_sexual"],
        rows.offences,
    )
    build.load(
        "sentences",
        Sentence,
        [
            "id",
            "event",
            "disposal_type",
            "length_months",
            "custodial_days",
            "operational_months",
            "supervision_months",
            "released_on",
            "licence_ends_on",
            "pss_ends_on",
            "starts_on",
            "expected_end_on",
            "status",
            "termination_reason",
            "termination_note",
            "version",
        ],
        rows.sentences,
    )
    build.load(
        "requirements",
        Requirement,
        [
            "id",
            "sentence",
            "type",
            "amount",
            "details",
            "starts_on",
            "expected_end_on",
            "progress",
            "status",
            "ended_on",
            "termination_reason",
            "version",
        ],
        rows.requirements,
    )
    build.load(
        "risk assessments",
        RiskAssessment,
        [
            "id",
            "person",
            "completed_on",
            "rosh",
            "arp_score",
            "arp_type",
            "csrp_score",
            "csrp_type",
            "dc_srp_score",
            "dc_srp_band",
            "rsr",
            "ogrs3",
            "ovp",
            "ogp",
            "need_scores",
            "parenting_responsibilities",
            "impulsivity_or_temper_control",
        ],
        rows.assessments,
    )
    build.load(
        "registrations",
        Registration,
        ["id", "person", "type", "starts_on", "ends_on", "notes"],
        rows.registrations,
    )
    build.load(
        "tier calculations",
        TierCalculation,
        [
            "id",
            "person",
            "calculated_at",
            "tier",
            "provisional",
            "legacy_tier",
            "protect_level",
            "protect_points",
            "change_level",
            "change_points",
            "reasons",
            "inputs",
            "trigger",
        ],
        rows.tiers,
    )
    _update_people_tiers(rows.person_tiers)
    build.progress.stage("tiers copied to people", len(rows.person_tiers))


def _update_people_tiers(rows: list[tuple[int, str, bool, str, str]]) -> None:
    from django.db import connection, transaction

    # The temporary table lives until the transaction commits, so both statements share one.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE tmp_tiers (id bigint, tier varchar(16), prov boolean, legacy varchar(2), rosh varchar(10)) ON COMMIT DROP"
            )
            with cursor.connection.cursor().copy("COPY tmp_tiers FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                "UPDATE people_person p SET tier=t.tier, tier_provisional=t.prov, legacy_tier=t.legacy, rosh=t.rosh FROM tmp_tiers t WHERE p.id=t.id"
            )
        else:
            cursor.executemany(
                "UPDATE people_person SET tier=%s, tier_provisional=%s, legacy_tier=%s, rosh=%s WHERE id=%s",
                [(t, p, lg, r, pk) for pk, t, p, lg, r in rows],
            )


APPOINTMENT_FIELDS = [
    "id",
    "person",
    "event",
    "type",
    "starts_at",
    "ends_at",
    "office",
    "practitioner",
    "outcome",
    "absence_reason",
    "outcome_notes",
    "outcome_recorded_at",
    "version",
]
ENFORCEABLE = frozenset({"UNACCEPTABLE_ABSENCE", "ATTENDED_FAILED_TO_COMPLY"})
UPCOMING_PER_PERSON = 2


def _appointments(build: Build, people: list[PersonFacts], offices: dict[int, list[int]]) -> None:
    """Years of supervision appointments with outcomes; enforceable failures get a warning,
    or, within 12 months of one, a concluded breach (as the law requires)."""
    rng, today = build.rng, build.today
    ids, warning_ids, breach_ids = IdBlock(Appointment), IdBlock(Warning), IdBlock(Breach)
    warnings: list[tuple[Any, ...]] = []
    breaches: list[tuple[Any, ...]] = []
    history_start = today - relativedelta(years=build.scale.history_years)
    span = (today - history_start).days

    def rows() -> Iterator[tuple[Any, ...]]:
        for person in people:
            if person.practitioner is None:
                continue
            office_choices: list[int | None] = [*offices.get(person.pdu, [])] or [None]
            count = max(UPCOMING_PER_PERSON + 1, int(rng.gauss(build.scale.appointments_per_person, 4)))
            days = sorted(
                history_start + timedelta(days=rng.randrange(span))
                for _ in range(count - UPCOMING_PER_PERSON)
            )
            days += [today + timedelta(days=rng.randrange(1, 28)) for _ in range(UPCOMING_PER_PERSON)]
            last_warning: date | None = None
            for day in days:
                starts = datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.choice([9, 10, 11, 13, 14, 15]),
                    rng.choice([0, 30]),
                    tzinfo=UTC,
                )
                past = day <= today
                outcome = _pick(rng, OUTCOMES) if past and rng.random() > 0.01 else ""
                aid = ids.take()
                yield (
                    aid,
                    person.pk,
                    person.active_event,
                    "SUPERVISION",
                    starts,
                    starts + timedelta(hours=1),
                    rng.choice(office_choices),
                    person.practitioner,
                    outcome,
                    "MEDICAL" if outcome == "ACCEPTABLE_ABSENCE" else "",
                    "",
                    starts if outcome else None,
                    1,
                )
                if outcome not in ENFORCEABLE:
                    continue
                if last_warning is None or day >= last_warning + relativedelta(months=12):
                    warnings.append(
                        (
                            warning_ids.take(),
                            person.pk,
                            person.active_event,
                            aid,
                            day,
                            "Failed without a reasonable excuse",
                        )
                    )
                    last_warning = day
                else:
                    presented = min(day + timedelta(days=rng.randrange(3, 20)), today)  # never in the future
                    breaches.append(
                        (
                            breach_ids.take(),
                            person.pk,
                            person.active_event,
                            aid,
                            "CONCLUDED",
                            day,
                            day,
                            day,
                            presented,
                            presented,
                            "CONTINUED",
                            "Second unacceptable failure within 12 months",
                            "",
                            1,
                        )
                    )

    build.load("appointments", Appointment, APPOINTMENT_FIELDS, rows())
    from accounts.models import User

    # Warnings record who gave them: an inactive service account stands in for the synthetic staff.
    author, _ = User.objects.get_or_create(
        username="synthetic.loader", defaults={"role": "PRACTITIONER", "is_active": False, "password": "!"}
    )
    build.load(
        "warnings",
        Warning,
        ["id", "person", "event", "appointment", "given_on", "circumstances", "given_by"],
        [(*w, author.pk) for w in warnings],
    )
    breach_fields = [
        "id",
        "person",
        "event",
        "appointment",
        "status",
        "aware_on",
        "requested_on",
        "actioned_on",
        "presented_on",
        "concluded_on",
        "court_outcome",
        "reason",
        "withdrawn_reason",
        "version",
    ]
    build.load("breaches", Breach, breach_fields, breaches)
