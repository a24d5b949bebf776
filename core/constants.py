"""The kernel's value sets, each value with its meaning (the glossary in code)."""

from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    """Where a background job stands (``core.models.Job``)."""

    QUEUED = "QUEUED", "Queued"  # waiting for a worker (new, retried, or re-queued after a crash)
    RUNNING = "RUNNING", "Running"  # a worker has it; its heartbeat says the worker is alive
    SUCCEEDED = "SUCCEEDED", "Finished"  # done; ``result`` says what it made
    FAILED = "FAILED", "Failed"  # stopped with an error, after its allowed attempts
    CANCELLED = "CANCELLED", "Cancelled"  # its starter cancelled it


ACTIVE_JOB_STATES = (JobStatus.QUEUED, JobStatus.RUNNING)
"""Not yet finished: the states in which a job holds its dedupe key."""


# The days of the week as Python numbers them (0 is Monday): one list for every form and
# page that offers a weekday (project days, group slots, a person's availability).
WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
WEEKDAY_CHOICES: list[tuple[int, str]] = list(enumerate(WEEKDAY_NAMES))
