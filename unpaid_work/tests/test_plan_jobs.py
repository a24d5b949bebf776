"""The planner on the job queue: the planner page answers at once with the job's
progress page, a double submission starts one run, and the run, done in-process here
through the same ``execute`` a worker calls, reports its stages and links to the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core import jobs
from core.constants import JobStatus
from core.models import Job
from core.roles import Role
from unpaid_work.models import PlanRun
from unpaid_work.tests.test_planning import assessed, sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.UNPAID_WORK)


def _form(coordinator: Any, first: Any, last: Any) -> dict[str, Any]:
    return {
        "pdu": coordinator.staff.pdu_id,
        "start": first.strftime("%d/%m/%Y"),
        "end": last.strftime("%d/%m/%Y"),
    }


def test_double_submission_starts_one_run_and_the_run_links_to_its_plan(
    coordinator: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = sessions(coordinator, days=2, capacity=2)
    assessed(coordinator)
    assessed(coordinator)
    client = client_for(coordinator)
    form = _form(coordinator, days[0].date, days[1].date)
    first = client.post("/unpaid-work/planner/", form)
    second = client.post("/unpaid-work/planner/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and not PlanRun.objects.exists()
    assert job.started_by == coordinator and job.kind == "unpaid_work.plan"

    stages: list[tuple[str, int]] = []
    report = jobs.report

    def recording(stage: str, percent: int) -> None:
        stages.append((stage, percent))
        report(stage, percent)

    monkeypatch.setattr(jobs, "report", recording)
    assert jobs.run_queued_jobs() == 1
    assert stages[0][0] == "Gathering orders and sessions"
    assert [p for _, p in stages] == sorted(p for _, p in stages)
    assert any(s.startswith("Solving") for s, _ in stages) and stages[-1][0] == "Saving the proposal"

    job.refresh_from_db()
    run = PlanRun.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.result and job.result["url"] == f"/unpaid-work/planner/{run.pk}/"
    assert run.created_by == coordinator
    page = client.get(first["Location"]).content.decode()
    proposed = run.proposals.count()
    assert f"/unpaid-work/planner/{run.pk}/" in page and f"{proposed} bookings proposed" in page


def test_the_api_answers_202_with_the_job_and_a_second_request_joins_it(
    coordinator: Any, client_for: Any
) -> None:
    days = sessions(coordinator, days=1)
    body = {"pdu_id": coordinator.staff.pdu_id, "start": str(days[0].date), "end": str(days[0].date)}
    api = client_for(coordinator)
    one = api.post("/api/v1/unpaid-work/plans", body, content_type="application/json")
    two = api.post("/api/v1/unpaid-work/plans", body, content_type="application/json")
    assert one.status_code == two.status_code == 202
    assert one.json()["id"] == two.json()["id"] and Job.objects.count() == 1
    assert one.json()["page_url"] == f"/jobs/{one.json()['id']}/"
    later = {**body, "end": str(days[0].date + timedelta(days=1))}  # other dates: another run
    assert (
        api.post("/api/v1/unpaid-work/plans", later, content_type="application/json").json()["id"]
        != (one.json()["id"])
    )


def test_another_coordinator_asking_for_the_same_plan_joins_and_may_follow_it(
    coordinator: Any, client_for: Any, make_user: Any
) -> None:
    days = sessions(coordinator, days=1)
    colleague = make_user(Role.UNPAID_WORK)
    colleague.staff.pdu = coordinator.staff.pdu
    colleague.staff.save()
    form = _form(coordinator, days[0].date, days[0].date)
    first = client_for(coordinator).post("/unpaid-work/planner/", form)
    joined = client_for(colleague).post("/unpaid-work/planner/", form)
    assert joined["Location"] == first["Location"]
    assert client_for(colleague).get(joined["Location"]).status_code == 200
    job = Job.objects.get()
    assert "cancel" not in [t.name for t in jobs.JOB.allowed(job, colleague)]  # only its starter cancels


def test_a_cancelled_plan_run_saves_nothing(coordinator: Any, client_for: Any) -> None:
    days = sessions(coordinator, days=1)
    assessed(coordinator)
    client = client_for(coordinator)
    made = client.post("/unpaid-work/planner/", _form(coordinator, days[0].date, days[0].date))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # asked while it ran
    token = jobs._current.set(job.pk)
    try:
        with pytest.raises(jobs.JobCancelled):
            jobs.progress("Gathering orders and sessions", 5)
    finally:
        jobs._current.reset(token)
    assert client.post(made["Location"], {"cancel": "1"}).status_code == 302
    assert Job.objects.get().status == JobStatus.CANCELLED
    assert jobs.run_queued_jobs() == 0 and not PlanRun.objects.exists()
