"""The nightly tier recalculation as a background job (ADR 21): the scheduler starts it
once a night; it re-tiers everyone with an active event in batches of
``TIER_BATCH_SIZE`` (one audit row per batch), records where it got to after each batch
so a run interrupted by a dead worker resumes there, and reports its progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.models import Job
from risk import selectors, services

TIER_JOB = "risk.nightly_tiers"
TRIGGER = "Nightly recalculation"


def run_nightly_tiers(job: Job) -> dict[str, Any]:
    """Batches of people in id order after the checkpoint; each batch and its checkpoint
    commit together, so no one is re-tiered twice by a resumed run and no one is missed."""
    params = job.params or {}
    as_of = date.fromisoformat(params["as_of"]) if params.get("as_of") else timezone.localdate()
    state = dict(job.checkpoint or {"after": 0, "checked": 0, "changed": 0})
    people = selectors.people_to_retier(params.get("pdu_id"))
    total = people.count()
    size = max(1, int(params.get("batch_size") or settings.TIER_BATCH_SIZE))
    while True:
        batch = list(people.filter(pk__gt=state["after"])[:size])
        if not batch:
            break
        with transaction.atomic():
            changed = services.recalculate_tiers(
                people=batch, acting_user=job.started_by, trigger=TRIGGER, as_of=as_of
            )
            state = {
                "after": batch[-1].pk,
                "checked": state["checked"] + len(batch),
                "changed": state["changed"] + len(changed),
            }
            jobs.save_checkpoint(state)
        done = min(state["checked"], total)
        jobs.progress(
            f"{done:,} of {total:,} people checked, {state['changed']:,} tiers changed",
            99 if total == 0 else min(99, done * 100 // total),
        )
    return {
        "summary": f"{state['checked']:,} people checked, {state['changed']:,} tiers changed",
        "checked": state["checked"],
        "changed": state["changed"],
    }


def register() -> None:
    jobs.JOB_KINDS.register(
        jobs.JobKind(key=TIER_JOB, label="Nightly tier recalculation", handler=run_nightly_tiers)
    )
    jobs.PERIODIC_JOBS.register(
        jobs.PeriodicJob(key=TIER_JOB, kind=TIER_JOB, label="Nightly tier recalculation", hour=2)
    )
