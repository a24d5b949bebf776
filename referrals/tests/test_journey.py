"""A referral from sending to the end-of-service report, in the pages and the API,
and the provider isolation that keeps each organisation to its own referrals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import DesiredOutcome
from commissioning.tests.factories import contract
from core.exceptions import TransitionNotAllowed
from people.models import Person
from referrals import services
from referrals.models import Referral
from referrals.tests.factories import send
from supervision.models import Appointment

pytestmark = pytest.mark.django_db


def _version(referral_id: int) -> str:
    """The referral's current version, as the page or client would have loaded it."""
    return str(Referral.objects.get(pk=referral_id).version)


def test_a_referral_to_a_service_not_open_to_the_person_is_refused(world: dict[str, Any]) -> None:
    women_only = contract(
        "WOS_1", categories=(9,), region_id=world["person"].pdu.region_id, allows_male=False
    )
    with pytest.raises(ValidationError, match="for women only"):
        send(world, contract_id=women_only.pk, category=9)
    with pytest.raises(ValidationError, match="outcome"):
        send(
            world,
            desired_outcome_ids=list(DesiredOutcome.objects.filter(category=2).values_list("pk", flat=True)),
        )


def test_the_whole_lifecycle_through_the_pages(world: dict[str, Any], client_for: Any) -> None:
    practitioner, caseworker, person = world["practitioner"], world["caseworker"], world["person"]
    mine = client_for(practitioner)
    page = mine.get(f"/cases/{person.crn}/services/")
    assert f"/cases/{person.crn}/referrals/new/{world['contract'].pk}/".encode() in page.content
    bad = mine.post(f"/cases/{person.crn}/referrals/new/{world['contract'].pk}/", {"category": "1"})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content
    sent = mine.post(
        f"/cases/{person.crn}/referrals/new/{world['contract'].pk}/",
        {
            "category": "1",
            "complexity": "HIGH",
            "desired_outcomes": [str(o) for o in world["outcomes"]],
            "max_rar_days": "6",
            "completion_deadline": (timezone.localdate() + timedelta(days=60)).strftime("%d/%m/%Y"),
            "risk_information": "Share with caution",
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - timedelta(days=1)
    )  # sent yesterday
    provider = client_for(caseworker)
    steps: list[tuple[Any, str, dict[str, Any]]] = [
        (provider, "assign", {"caseworker": caseworker.pk}),
        (
            provider,
            "book-assessment",
            {"day": (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y"), "time": "10:00"},
        ),
        (
            provider,
            "record-assessment",
            {"assessed_on": timezone.localdate().strftime("%d/%m/%Y"), "notes": "Sofa surfing"},
        ),
        (
            provider,
            "action-plan",
            {"number_of_sessions": "2", "activities": "Housing applications; tenancy skills"},
        ),
        (mine, "plan-decision", {"decision": "approve"}),
    ]
    for client, action, data in steps:
        response = client.post(
            f"/referrals/{referral.pk}/{action}/", data | {"version": _version(referral.pk)}
        )
        assert response.status_code == 302, (action, response.content[:2000])
    past = timezone.localtime() - timedelta(hours=1)
    for number, attendance, acceptable in ((1, "YES", ""), (2, "NO", "no")):
        response = provider.post(
            f"/referrals/{referral.pk}/session/",
            {
                "number": str(number),
                "day": past.strftime("%d/%m/%Y"),
                "time": past.strftime("%H:%M"),
                "method": "PROBATION_OFFICE",
                "attendance": attendance,
                "absence_acceptable": acceptable,
                "progress_notes": "Did not attend or call" if attendance == "NO" else "Good start",
                "version": _version(referral.pk),
            },
        )
        assert response.status_code == 302, response.content[:3000]
    referral.refresh_from_db()
    assert referral.status == "AWAITING_REPORT"
    failed = Appointment.objects.get(person=person, outcome="UNACCEPTABLE_ABSENCE")
    assert (
        failed.type == "RAR_ACTIVITY" and failed.practitioner == practitioner.staff
    )  # the practitioner decides
    ratings = {f"rating_{o}": "ACHIEVED" for o in world["outcomes"]}
    ratings["version"] = _version(referral.pk)
    assert provider.post(f"/referrals/{referral.pk}/report/", ratings).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "COMPLETED" and referral.concluded_at is not None
    detail = mine.get(f"/referrals/{referral.pk}/")
    assert b"Completed" in detail.content and b"Achieved" in detail.content
    assert mine.get(f"/referrals/{referral.pk}/withdraw/").status_code == 302  # ended: nothing more to do


def test_provider_isolation(world: dict[str, Any], client_for: Any) -> None:
    referral = send(world)
    rival = client_for(world["rival"])
    assert rival.get(f"/referrals/{referral.pk}/").status_code == 404
    assert rival.get(f"/referrals/{referral.pk}/assign/").status_code == 404
    assert rival.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert rival.get("/api/v1/referrals").json()["count"] == 0
    assert referral.reference not in rival.get("/referrals/").content.decode()
    own = client_for(world["caseworker"])
    assert own.get(f"/api/v1/referrals/{referral.pk}").json()["reference"] == referral.reference
    # A provider cannot take the practitioner's steps, nor a practitioner the provider's.
    assert own.get(f"/referrals/{referral.pk}/withdraw/").status_code == 404
    assert client_for(world["practitioner"]).get(f"/referrals/{referral.pk}/assign/").status_code == 404
    # A caseworker from another organisation cannot be assigned.
    with pytest.raises(ValidationError):
        services.assign_caseworker(
            acting_user=world["caseworker"],
            referral_id=referral.pk,
            caseworker_id=world["rival"].pk,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
    # A practitioner who cannot see the person cannot see the referral.
    assert client_for(world["rival"]).get(f"/cases/{world['person'].crn}/referrals/").status_code == 404


def test_withdrawal_before_an_approved_plan_cancels(world: dict[str, Any]) -> None:
    referral = send(world)
    referral = services.withdraw(
        acting_user=world["practitioner"],
        referral_id=referral.pk,
        reason="MOV",
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    assert referral.status == "CANCELLED" and referral.concluded_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.assign_caseworker(
            acting_user=world["caseworker"],
            referral_id=referral.pk,
            caseworker_id=world["caseworker"].pk,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
    with pytest.raises(ValidationError):
        services.withdraw(
            acting_user=world["practitioner"],
            referral_id=send(world).pk,
            reason="ANO",
            expected_version=Referral.objects.get(pk=send(world).pk).version,
        )


def test_the_whole_lifecycle_through_the_api(world: dict[str, Any], client_for: Any) -> None:
    mine, provider = client_for(world["practitioner"]), client_for(world["caseworker"])
    json = "application/json"
    sent = mine.post(
        "/api/v1/referrals",
        {
            "crn": world["person"].crn,
            "contract_id": world["contract"].pk,
            "category": 1,
            "complexity": "LOW",
            "desired_outcome_ids": world["outcomes"],
            "max_rar_days": 3,
            "completion_deadline": str(timezone.localdate() + timedelta(days=30)),
            "risk_information": "Low RoSH",
        },
        content_type=json,
    )
    assert sent.status_code == 201, sent.content
    rid = sent.json()["id"]
    Referral.objects.filter(pk=rid).update(sent_at=timezone.now() - timedelta(days=1))  # sent yesterday
    now = timezone.now()
    calls = [
        (provider, "caseworker", {"caseworker_id": world["caseworker"].pk}, 200),
        (provider, "assessment-booking", {"at": (now - timedelta(days=2)).isoformat()}, 422),
        (provider, "assessment-booking", {"at": (now + timedelta(minutes=1)).isoformat()}, 200),
        (provider, "assessment", {"assessed_on": str(timezone.localdate()), "notes": "Needs a deposit"}, 200),
        (provider, "action-plans", {"number_of_sessions": 4, "activities": "Too many"}, 422),
        (provider, "action-plans", {"number_of_sessions": 1, "activities": "Deposit scheme"}, 200),
        (mine, "action-plan-decision", {"approve": True}, 200),
        (
            provider,
            "sessions",
            {
                "number": 1,
                "happened_at": (now - timedelta(minutes=1)).isoformat(),
                "method": "PHONE",
                "attendance": "LATE",
            },
            201,
        ),
    ]
    for client, step, body, status in calls:
        body["version"] = int(_version(rid))
        response = client.post(f"/api/v1/referrals/{rid}/{step}", body, content_type=json)
        assert response.status_code == status, (step, response.content)
    ratings = dict.fromkeys(map(str, world["outcomes"]), "PARTIALLY_ACHIEVED")
    done = provider.post(
        f"/api/v1/referrals/{rid}/end-of-service-report",
        {"ratings": ratings, "version": int(_version(rid))},
        content_type=json,
    )
    assert done.status_code == 201 and done.json()["status"] == "COMPLETED"
    assert done.json()["achievement_score"] == 0.5 * len(world["outcomes"])  # partly achieved: 0.5 each
    assert (
        Person.objects.get(pk=world["person"].pk).appointments.filter(outcome="ATTENDED_COMPLIED").count()
        == 1
    )


def test_steps_are_guarded_in_the_services_too(world: dict[str, Any]) -> None:
    referral = send(world)
    caseworker = world["caseworker"]
    services.assign_caseworker(
        acting_user=caseworker,
        referral_id=referral.pk,
        caseworker_id=caseworker.pk,
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    services.book_assessment(
        acting_user=caseworker,
        referral_id=referral.pk,
        at=timezone.now() + timedelta(hours=1),
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    services.record_assessment(
        acting_user=caseworker,
        referral_id=referral.pk,
        assessed_on=timezone.localdate(),
        notes="x",
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    with pytest.raises(TransitionNotAllowed):
        services.assign_caseworker(
            acting_user=caseworker,
            referral_id=referral.pk,
            caseworker_id=caseworker.pk,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
    services.submit_action_plan(
        acting_user=caseworker,
        referral_id=referral.pk,
        number_of_sessions=2,
        activities="x",
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    services.decide_action_plan(
        acting_user=world["practitioner"],
        referral_id=referral.pk,
        approve=False,
        comments="More detail",
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    plans = list(referral.action_plans.all())
    assert len(plans) == 1 and plans[0].returned_at is not None  # kept as history
    services.submit_action_plan(
        acting_user=caseworker,
        referral_id=referral.pk,
        number_of_sessions=2,
        activities="y",
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    services.decide_action_plan(
        acting_user=world["practitioner"],
        referral_id=referral.pk,
        approve=True,
        expected_version=Referral.objects.get(pk=referral.pk).version,
    )
    with pytest.raises(ValidationError, match="before the referral was sent"):
        services.record_session(
            acting_user=caseworker,
            referral_id=referral.pk,
            number=1,
            happened_at=referral.sent_at - timedelta(days=1),
            method="PHONE",
            attendance="YES",
            absence_acceptable=None,
            expected_version=Referral.objects.get(pk=referral.pk).version,
        )
