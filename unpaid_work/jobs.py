"""The Unpaid Work planner as a background job (ADR 21): a coordinator's request is
queued (``services.request_plan``) and a worker runs the planner here, reporting its
stages, so the planner page answers at once and the progress page shows the run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from core import jobs
from core.models import Job
from unpaid_work import services


def run_plan(job: Job) -> dict[str, Any]:
    """Gathers, solves and saves as the job's starter, reporting each stage and stopping
    between stages if the starter cancelled. The result links to the plan run."""
    params = job.params
    run = services.create_plan(
        acting_user=job.started_by,
        pdu_id=int(params["pdu_id"]),
        start=date.fromisoformat(params["start"]),
        end=date.fromisoformat(params["end"]),
        progress=jobs.progress,
    )
    proposed = run.proposals.count()
    return {
        "plan_id": run.pk,
        "url": reverse("unpaid_work:plan", args=[run.pk]),
        "summary": f"{proposed} booking{'s' if proposed != 1 else ''} proposed: review and confirm them.",
    }


def register() -> None:
    jobs.JOB_KINDS.register(
        jobs.JobKind(key=services.PLAN_JOB, label="Placement plan", handler=run_plan, max_attempts=2)
    )
