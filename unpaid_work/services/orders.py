"""Unpaid Work orders: opening them from a sentence, the assessment, adjustments and
ending them with their requirement, each step guarded by the order's lifecycle
(``unpaid_work.lifecycle.ORDER``).
The crediting reads (minutes credited, adjusted, remaining) are in unpaid_work.selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from core.dates import refuse_future
from core.locking import lock_at_version
from people.constants import Sex
from sentences.constants import RequirementStatus, RequirementType
from sentences.models import Event
from unpaid_work import rules
from unpaid_work.constants import AdjustmentReason, ManagedBy, OrderStatus
from unpaid_work.lifecycle import ORDER
from unpaid_work.models import Adjustment, UnpaidWorkOrder
from unpaid_work.selectors import remaining
from unpaid_work.services._shared import _audit


def open_orders_for_event(*, acting_user: Any, event: Event) -> list[UnpaidWorkOrder]:
    """Called when a sentence is recorded: one order per unpaid work requirement."""
    requirements = list(event.sentence.requirements.all())
    only_unpaid_work = all(r.type == RequirementType.UNPAID_WORK for r in requirements)
    orders = []
    for requirement in requirements:
        if requirement.type != RequirementType.UNPAID_WORK:
            continue
        order = UnpaidWorkOrder.objects.create(
            requirement=requirement,
            person=event.person,
            required_minutes=(requirement.amount or 0) * 60,
            sentenced_on=event.sentenced_on,
            managed_by=ManagedBy.UNPAID_WORK_TEAM if only_unpaid_work else ManagedBy.PRACTITIONER,
        )
        _audit(
            AuditAction.CREATE,
            acting_user,
            order,
            event.person.crn,
            {"required_minutes": [None, order.required_minutes]},
        )
        orders.append(order)
    return orders


@transaction.atomic
def update_assessment(
    *, acting_user: Any, order_id: int, expected_version: int, **fields: Any
) -> UnpaidWorkOrder:
    """The Unpaid Work assessment: where they live, how they travel, when they can work."""
    refuse_future("assessed_on", fields.get("assessed_on"), "The assessment date")
    order = lock_at_version(UnpaidWorkOrder.objects.select_related("person"), order_id, expected_version)
    assess = ORDER.guard(order, "assess")
    before = {k: getattr(order, k) for k in fields}
    for key, value in fields.items():
        setattr(order, key, value)
    if order.assessed_on is not None and assess.target is not None:
        fields = {**fields, "status": assess.target}
        before["status"] = order.status
        order.status = assess.target
    if order.no_all_male_group and order.person.sex != Sex.FEMALE:
        raise ValidationError({"no_all_male_group": "This choice is offered to women"})
    order.full_clean()
    order.bump_version()
    order.save()
    _audit(AuditAction.UPDATE, acting_user, order, order.person.crn, audit.diff(before, fields))
    return order


@transaction.atomic
def add_adjustment(
    *, acting_user: Any, order_id: int, minutes: int, reason: AdjustmentReason, note: str = ""
) -> Adjustment:
    order = UnpaidWorkOrder.objects.select_for_update().get(pk=order_id)
    ORDER.guard(order, "adjust")
    today = timezone.localdate()
    try:
        rules.check_adjustment(minutes, today)
    except rules.SessionRuleError as error:
        raise ValidationError({error.field: error.message}) from error
    if reason == AdjustmentReason.OTHER and not note.strip():
        raise ValidationError({"note": "Explain the adjustment"})
    travel_cap = rules.credited_travel_minutes(rules.max_travel_minutes(today), today)
    if reason == AdjustmentReason.TRAVEL_TIME and minutes > travel_cap:
        raise ValidationError(
            {
                "minutes": f"Travel is credited for at most {travel_cap // 2} minutes each way ({travel_cap} minutes a session)"
            }
        )
    if reason == AdjustmentReason.TRAVEL_TIME:
        try:
            rules.check_travel_credit(minutes=minutes, remaining=remaining(order))
        except rules.SessionRuleError as error:
            raise ValidationError({error.field: error.message}) from error
    adjustment = Adjustment.objects.create(
        order=order, minutes=minutes, reason=reason, note=note.strip(), made_on=today, made_by=acting_user
    )
    _audit(
        AuditAction.CREATE,
        acting_user,
        adjustment,
        order.person.crn,
        {"minutes": [None, minutes], "reason": [None, reason]},
    )
    return adjustment


@transaction.atomic
def end_orders_of_ended_requirements(*, acting_user: Any, event_id: int) -> list[UnpaidWorkOrder]:
    """Ends each order of the event whose requirement is no longer active: it then takes
    no bookings, adjustments or assessment. Called when sentences publishes that a
    requirement or the sentence ended; an order already ended is left as it is."""
    ended = []
    orders = (
        UnpaidWorkOrder.objects.select_for_update()
        .select_related("person", "requirement")
        .filter(requirement__sentence__event_id=event_id)
        .exclude(requirement__status=RequirementStatus.ACTIVE)
        .exclude(status=OrderStatus.ENDED)
    )
    for order in orders:
        end = ORDER.guard(order, "end")
        before = order.status
        order.status = end.target or OrderStatus.ENDED
        order.bump_version()
        order.save(update_fields=["status", "version"])
        _audit(
            AuditAction.UPDATE,
            acting_user,
            order,
            order.person.crn,
            {"status": [before, order.status], "requirement": [None, order.requirement.status]},
        )
        ended.append(order)
    return ended
