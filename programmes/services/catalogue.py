"""Writes of the catalogue: new template versions, the region's delivery offers and
reviews, rooms, and Structured Interventions through the Effective Interventions Panel.

Each write is atomic, takes a keyword-only ``acting_user``, resolves what it names through
the scoped selectors (out of scope answers 404, as a read would), validates, changes and
audits in one transaction. The panel's steps are guarded only by
``programmes.lifecycle.INTERVENTION``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from audit import services as audit
from audit.constants import AuditAction
from core.locking import lock_at_version
from programmes.constants import (
    SI_NEED_AREAS,
    ApprovalStatus,
    Eligibility,
    PanelPrinciple,
    ProgrammeKind,
)
from programmes.lifecycle import INTERVENTION
from programmes.models import DeliveryOffer, PanelDecision, Programme, Room, SessionTemplate, SuiteReview
from programmes.rules import catalogue as rules
from programmes.selectors import catalogue as selectors


def _check_modules(modules: Any, field: str = "modules") -> None:
    problems = rules.validate_modules(modules)
    if problems:
        raise ValidationError(
            {(field + path.removeprefix("modules")): message for path, message in problems.items()}
        )


# --- Templates -----------------------------------------------------------------------------


@transaction.atomic
def add_template_version(
    *, acting_user: Any, programme_code: str, effective_from: date, modules: Any, note: str = ""
) -> SessionTemplate:
    """A new version of a programme's template from a future date: groups starting on or
    after it use it; groups already formed keep the template row they point at."""
    programme = selectors.get_programme(programme_code)
    if effective_from <= timezone.localdate():
        raise ValidationError({"effective_from": "The date it takes effect must be in the future"})
    _check_modules(modules)
    if SessionTemplate.objects.filter(programme=programme, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": "A version already takes effect on that date"})
    template = SessionTemplate.objects.create(
        programme=programme, effective_from=effective_from, published=True, modules=modules, note=note.strip()
    )
    totals = rules.totals(modules)
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=template,
        changes={
            "effective_from": [None, effective_from],
            "group_sessions": [None, totals.group_sessions],
            "one_to_ones": [None, totals.one_to_ones],
        },
    )
    return template


# --- The delivery suite ----------------------------------------------------------------------


@transaction.atomic
def add_offer(
    *,
    acting_user: Any,
    programme_code: str,
    pdu_id: int,
    office_id: int | None,
    starts_on: date,
    ends_on: date | None = None,
) -> DeliveryOffer:
    """The PDU delivers the programme (at the office, if named) from ``starts_on``."""
    pdu = selectors.pdus_for_offers(acting_user).filter(pk=pdu_id).first()
    if pdu is None:
        raise ValidationError({"pdu_id": "Choose a PDU in your area"})
    programme = selectors.offerable_programmes(starts_on).filter(code=programme_code).first()
    if programme is None:
        raise ValidationError(
            {"programme": "Choose a programme that is approved and not withdrawn by the start date"}
        )
    office = None
    if office_id is not None:
        office = selectors.offices_for_offers(acting_user).filter(pk=office_id, pdu=pdu).first()
        if office is None:
            raise ValidationError({"office_id": "Choose an office in that PDU"})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date"})
    offer = DeliveryOffer.objects.create(
        programme=programme, pdu=pdu, office=office, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=offer,
        changes={
            "programme": [None, programme.code],
            "pdu": [None, pdu.name],
            "starts_on": [None, starts_on],
        },
    )
    return offer


@transaction.atomic
def end_offer(*, acting_user: Any, offer_id: int, ends_on: date) -> DeliveryOffer:
    """The PDU stops delivering the programme after ``ends_on`` (the last day it runs)."""
    offer = selectors.offers_manageable_by(acting_user).select_for_update(of=("self",)).get(pk=offer_id)
    if ends_on < offer.starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date"})
    before = offer.ends_on
    offer.ends_on = ends_on
    offer.save(update_fields=["ends_on"])
    audit.record(AuditAction.UPDATE, actor=acting_user, obj=offer, changes={"ends_on": [before, ends_on]})
    return offer


@transaction.atomic
def record_review(*, acting_user: Any, region_id: str, summary: str) -> SuiteReview:
    """The Regional Probation Director's review of the region's suite, today, keeping the
    gaps as they stand today (a later change to the suite does not rewrite it)."""
    region = selectors.get_region_for(acting_user, region_id)
    if not summary.strip():
        raise ValidationError({"summary": "Summarise the review"})
    today = timezone.localdate()
    gaps = [gap.as_dict() for gap in selectors.suite_gaps(region, today)]
    review = SuiteReview.objects.create(
        region=region, reviewed_on=today, reviewed_by=acting_user, gaps=gaps, summary=summary.strip()
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=review,
        object_repr=f"Suite review of {region.name} {today:%d/%m/%Y}",
        changes={"gaps": [None, len(gaps)]},
    )
    return review


# --- Rooms ---------------------------------------------------------------------------------


def _room_clean(room: Room) -> None:
    if not room.name.strip():
        raise ValidationError({"name": "Enter the room's name"})
    if room.capacity < 1:
        raise ValidationError({"capacity": "The capacity must be 1 or more"})
    clash = Room.objects.filter(office=room.office, name__iexact=room.name.strip()).exclude(pk=room.pk)
    if clash.exists():
        raise ValidationError({"name": "This office already has a room with that name"})


@transaction.atomic
def add_room(*, acting_user: Any, office_id: int, name: str, capacity: int, accredited: bool) -> Room:
    office = selectors.offices_for_rooms(acting_user).filter(pk=office_id).first()
    if office is None:
        raise ValidationError({"office_id": "Choose an office in your area"})
    room = Room(office=office, name=name.strip(), capacity=capacity, accredited=accredited)
    _room_clean(room)
    room.save()
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=room,
        changes={"name": [None, room.name], "capacity": [None, capacity], "accredited": [None, accredited]},
    )
    return room


@transaction.atomic
def edit_room(
    *, acting_user: Any, room_id: int, expected_version: int, name: str, capacity: int, accredited: bool
) -> Room:
    room = lock_at_version(selectors.rooms_manageable_by(acting_user), room_id, expected_version)
    before = {"name": room.name, "capacity": room.capacity, "accredited": room.accredited}
    room.name, room.capacity, room.accredited = name.strip(), capacity, accredited
    _room_clean(room)
    room.bump_version()
    room.save()
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=room,
        changes=audit.diff(before, {"name": room.name, "capacity": capacity, "accredited": accredited}),
    )
    return room


@transaction.atomic
def retire_room(*, acting_user: Any, room_id: int, expected_version: int) -> Room:
    """Takes the room out of use; groups already in it keep it (nothing new is booked there)."""
    room = lock_at_version(selectors.rooms_manageable_by(acting_user), room_id, expected_version)
    if room.retired_at is not None:
        raise ValidationError({"room": "This room is already retired"})
    room.retired_at = timezone.now()
    room.bump_version()
    room.save()
    audit.record(
        AuditAction.RETIRE, actor=acting_user, obj=room, changes={"retired_at": [None, room.retired_at]}
    )
    return room


# --- Structured Interventions and the panel ----------------------------------------------------


@dataclass(frozen=True)
class InterventionProposal:
    name: str
    need_area: str
    audience: str
    modules: list[dict[str, Any]]
    men: bool = True
    women: bool = True
    typical_weeks: int | None = None
    summary: str = ""


@transaction.atomic
def submit_intervention(*, acting_user: Any, proposal: InterventionProposal) -> Programme:
    """A region submits its Structured Intervention to the panel: the programme (submitted,
    the region's), its template from today, and the first entry of its decision history."""
    region_id = selectors.home_region_id(acting_user)
    if region_id is None:
        raise ValidationError({"region": "Only staff of a region can submit its interventions"})
    name = proposal.name.strip()
    code = slugify(name)[:40].strip("-")
    if not name or not code:
        raise ValidationError({"name": "Enter the intervention's name"})
    if proposal.need_area not in SI_NEED_AREAS:
        raise ValidationError({"need_area": "Choose one of the three Structured Intervention need areas"})
    if not proposal.audience.strip():
        raise ValidationError({"audience": "Say who it is for"})
    if not (proposal.men or proposal.women):
        raise ValidationError({"men": "Say whether it is for men, women or both"})
    _check_modules(proposal.modules)
    if rules.session_count(proposal.modules) < rules.MINIMUM_SI_SESSIONS:
        raise ValidationError(
            {"modules": f"A Structured Intervention has at least {rules.MINIMUM_SI_SESSIONS} sessions"}
        )
    if Programme.objects.filter(code=code).exists():
        raise ValidationError({"name": "A programme with this name is already in the catalogue"})
    today = timezone.localdate()
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                code=code,
                name=name,
                kind=ProgrammeKind.STRUCTURED,
                intensity="",
                need_area=proposal.need_area,
                audience=proposal.audience.strip(),
                eligibility=Eligibility.LOWER_RISK,
                men=proposal.men,
                women=proposal.women,
                region_id=region_id,
                status=INTERVENTION.initial,
                typical_weeks=proposal.typical_weeks,
                source=f"Submitted to the Effective Interventions Panel on {today:%d/%m/%Y}",
            )
    except IntegrityError as clash:  # a submission of the same name won the race
        raise ValidationError({"name": "A programme with this name is already in the catalogue"}) from clash
    SessionTemplate.objects.create(
        programme=programme, effective_from=today, published=True, modules=proposal.modules
    )
    PanelDecision.objects.create(
        programme=programme,
        status=ApprovalStatus.SUBMITTED,
        decided_on=today,
        decided_by=acting_user,
        reasons=proposal.summary.strip(),
    )
    audit.record(
        AuditAction.CREATE,
        actor=acting_user,
        obj=programme,
        changes={
            "status": [None, programme.status],
            "region": [None, region_id],
            "need_area": [None, programme.need_area],
            "sessions": [None, rules.session_count(proposal.modules)],
        },
    )
    return programme


@transaction.atomic
def decide_intervention(
    *, acting_user: Any, code: str, step: str, principles_not_met: list[str] | None = None, reasons: str = ""
) -> Programme:
    """The panel approves or rejects a submitted intervention, or it is withdrawn (rolled
    down: no new referrals from today, running groups finish). A rejection names at least
    one accreditation principle not met, with reasons."""
    found = selectors.get_intervention_for(acting_user, code)
    programme = Programme.objects.select_for_update().get(pk=found.pk)
    if step not in INTERVENTION.by_name:
        raise ValidationError({"step": "Choose approve, reject or withdraw"})
    transition = INTERVENTION.guard(programme, step, acting_user)
    principles = list(dict.fromkeys(principles_not_met or []))
    unknown = [p for p in principles if p not in PanelPrinciple.values]
    if unknown:
        raise ValidationError({"principles_not_met": f"Not an accreditation principle: {', '.join(unknown)}"})
    if step == "reject" and not principles:
        raise ValidationError({"principles_not_met": "Choose at least one accreditation principle not met"})
    if step in ("reject", "withdraw") and not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons"})
    today = timezone.localdate()
    before = programme.status
    programme.status = str(transition.target)
    if step == "approve" and programme.available_from is None:
        programme.available_from = today
    if step == "withdraw":
        programme.withdrawn_on = today
    programme.bump_version()
    programme.save()
    PanelDecision.objects.create(
        programme=programme,
        status=programme.status,
        decided_on=today,
        decided_by=acting_user,
        principles_not_met=principles if step == "reject" else [],
        reasons=reasons.strip(),
    )
    audit.record(
        AuditAction.UPDATE,
        actor=acting_user,
        obj=programme,
        changes={"status": [before, programme.status], "step": [None, step]},
    )
    return programme
