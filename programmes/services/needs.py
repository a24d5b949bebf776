"""Writes of the programmes context: the person's Programme Needs Identifier (PNI).

The PNI is kept like the tier: recalculated, in the caller's transaction, whenever an input
changes (today: a risk assessment is recorded), stored as a new history row only when the
result changed, and audited. The inputs are read from the person's latest risk
assessment (through ``risk.selectors``) and their recorded sex.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from people.models import Person
from people.rules import Sex
from programmes import rules
from programmes.models import ProgrammeNeeds
from risk import selectors as risk_selectors
from risk.constants import PNI_NEED_ITEMS
from risk.models import RiskAssessment

_DOMAINS: dict[str, type] = {
    "sex": rules.SexDomain,
    "thinking": rules.ThinkingDomain,
    "relationships": rules.RelationshipsDomain,
    "self_management": rules.SelfManagementDomain,
}


def _percent(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _needs(assessment: RiskAssessment) -> rules.Needs | None:
    """A domain with every item unknown is "not assessed" (None); an assessment with all
    thirteen unknown gave no needs assessment at all. A partly answered domain is passed as
    it is, so the rules can say which items are missing."""
    domains: dict[str, Any] = {}
    for domain, items in PNI_NEED_ITEMS.items():
        values = {item: getattr(assessment, item) for item in items}
        domains[domain] = None if all(v is None for v in values.values()) else _DOMAINS[domain](**values)
    if all(d is None for d in domains.values()):
        return None
    return rules.Needs(**domains)


def pni_inputs_for(person: Person, assessment: RiskAssessment | None) -> rules.PniInputs:
    """The PNI's inputs from one assessment; no assessment: every score unknown."""
    a = assessment
    return rules.PniInputs(
        as_of=timezone.localdate(),
        sex=Sex(person.sex),
        risk=rules.RiskScores(
            ogrs3=_percent(a.ogrs3) if a else None,
            ovp=_percent(a.ovp) if a else None,
            osp_dc=rules.OspDcBand(a.dc_srp_band) if a and a.dc_srp_band else None,
            osp_iic=rules.OspIicBand(a.osp_iic_band) if a and a.osp_iic_band else None,
            rsr=_percent(a.rsr) if a else None,
            sara_partner=rules.SaraLevel(a.sara_partner) if a and a.sara_partner else None,
            sara_others=rules.SaraLevel(a.sara_others) if a and a.sara_others else None,
        ),
        needs=_needs(a) if a else None,
    )


def _result_fields(result: rules.PniResult) -> dict[str, Any]:
    return {
        "risk_level": result.risk_level.value,
        "need_level": result.need_level.value,
        "need_score": result.need_score,
        "domain_scores": {d.value: s for d, s in result.domain_scores.items()}
        if result.domain_scores is not None
        else None,
        "pathway": result.pathway.value,
        "reasons": list(result.reasons),
    }


@transaction.atomic
def recalculate_pni(*, acting_user: Any, person: Person, trigger: str) -> ProgrammeNeeds:
    """Recomputes the person's PNI from their latest assessment; stores and audits a new
    row only when the result (levels, score, domain scores, pathway or reasons) changed,
    so an assessment that changes nothing the PNI reads leaves the history as it was."""
    assessment = risk_selectors.latest_assessment_of(person)
    fields = _result_fields(rules.programme_needs(pni_inputs_for(person, assessment)))
    latest = ProgrammeNeeds.objects.filter(person=person).order_by("-calculated_at", "-id").first()
    if latest is not None and all(getattr(latest, key) == value for key, value in fields.items()):
        return latest
    row = ProgrammeNeeds.objects.create(
        person=person,
        calculated_at=timezone.now(),
        assessment_id=assessment.pk if assessment else None,
        trigger=trigger[:120],
        **fields,
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=row,
        object_repr=f"{person.crn} programme needs",
        changes={
            "pathway": [latest.pathway if latest else None, row.pathway],
            "need_score": [latest.need_score if latest else None, row.need_score],
            "trigger": [None, row.trigger],
        },
    )
    return row
