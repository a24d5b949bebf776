"""The nightly tier recalculation as a job: batches with one audit row each, resumable
from its checkpoint, and queued (not run) by the command unless told ``--now``."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from core import jobs
from core.constants import JobStatus
from core.models import Job
from people.models import Person
from people.tests.factories import PersonFactory
from risk.jobs import TIER_JOB
from risk.models import TierCalculation
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[Person]:
    found = PersonFactory.create_batch(5)
    for person in found:
        community_order(person, sentenced_on=date(2026, 1, 5))
    # Forget their tiers, so the nightly run has something to change for each.
    TierCalculation.objects.all().delete()
    Person.objects.update(tier="")
    return found


def _batches() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="risk.tier_batch").order_by("pk"))


def test_tiers_are_recalculated_in_batches_with_one_audit_row_per_batch(people: list[Person]) -> None:
    before = AuditEvent.objects.count()
    job, _ = jobs.start_job(TIER_JOB, label="Nightly", params={"batch_size": 2})
    jobs.run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result
    assert job.result["checked"] == 5 and job.result["changed"] == 5
    batches = _batches()
    assert len(batches) == 3 and AuditEvent.objects.count() == before + 3  # not one per person
    assert sorted(crn for b in batches for crn in b.changes["tiers"]) == sorted(p.crn for p in people)
    assert batches[0].actor_username == "scheduler"
    assert job.checkpoint == {"after": people[-1].pk, "checked": 5, "changed": 5}


def test_a_run_resumes_after_the_last_batch_it_finished(people: list[Person]) -> None:
    """A worker that died after two batches: the re-run starts from the checkpoint."""
    job, _ = jobs.start_job(TIER_JOB, label="Nightly", params={"batch_size": 2})
    Job.objects.filter(pk=job.pk).update(checkpoint={"after": people[3].pk, "checked": 4, "changed": 4})
    jobs.run_queued_jobs()
    job.refresh_from_db()
    assert (
        job.result
        and job.result["checked"] == 5
        and [list(b.changes["tiers"]) for b in _batches()] == [[people[4].crn]]
    )


def test_the_command_queues_the_job_and_a_second_call_joins_it(people: Any) -> None:
    out = StringIO()
    call_command("recalculate_tiers", stdout=out)
    call_command("recalculate_tiers", stdout=out)
    assert "Queued: job" in out.getvalue() and "Joined" in out.getvalue()
    assert Job.objects.filter(kind=TIER_JOB, status=JobStatus.QUEUED).count() == 1
    assert not TierCalculation.objects.exists()  # nothing ran in this process
