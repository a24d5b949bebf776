"""Synthetic events, offences, sentences and requirements, with risk assessments,
registrations and tiers computed by the real tiering rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from demo.synthetic.build import Build, PersonFacts, _pick
from demo.synthetic.bulk import IdBlock
from people.constants import Sex
from risk import tiering
from risk.models import Registration, RiskAssessment, TierCalculation
from sentences.constants import RequirementStatus, RequirementType, SentenceStatus
from sentences.models import Event, Offence, Requirement, Sentence
from sentences.rules import end_of_period

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
    rows.sentences.append((sid, eid, disposal, *terms, sentenced, end, SentenceStatus.ACTIVE, "", "", 1))
    kinds = _requirement_kinds(rng) if disposal != "CUSTODY" else []
    for kind, amount in kinds:
        req_end = end_of_period(sentenced, 12) if kind == RequirementType.UNPAID_WORK else end
        rows.requirements.append(
            (
                rows.next_id(Requirement),
                sid,
                kind,
                amount,
                {},
                sentenced,
                req_end,
                0,
                RequirementStatus.ACTIVE,
                None,
                "",
                1,
            )
        )
    return disposal, sentenced, released, [k for k, _ in kinds], sexual


def _requirement_kinds(rng: random.Random) -> list[tuple[str, int]]:
    kinds = []
    if rng.random() < 0.6:
        kinds.append(("RAR", rng.randrange(5, 40)))
    if rng.random() < 0.45:
        kinds.append((RequirementType.UNPAID_WORK, rng.choice([40, 60, 80, 100, 120, 150, 200])))
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
            # The PNI's bands (OSP-IIC, SARA) not assessed; its need items stay unknown.
            "",
            "",
            "",
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
            womens_factors=tiering.WomensFactors(False, False) if person.sex == Sex.FEMALE else None,
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
            "osp_iic_band",
            "sara_partner",
            "sara_others",
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
