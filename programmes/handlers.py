"""What programmes does when risk records an assessment: recalculate the person's PNI.

Risk sits below programmes and must not import it, so it publishes
``RiskAssessmentRecorded`` and this handler, subscribed by ``ProgrammesConfig.ready``,
recalculates in risk's transaction: a failure here rolls the assessment back.
"""

from __future__ import annotations

from core import events
from people.models import Person
from programmes import services


def on_risk_assessment_recorded(event: events.RiskAssessmentRecorded) -> None:
    services.recalculate_pni(
        acting_user=event.acting_user,
        person=Person.objects.get(pk=event.person_id),
        trigger="Risk assessment recorded",
    )


def register() -> None:
    events.subscribe(events.RiskAssessmentRecorded, on_risk_assessment_recorded)
