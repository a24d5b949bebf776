"""The person-taken steps of a programme referral (assess, ready, deprioritise, defer,
withdraw, recall, return to court, breach): each allowed or refused by the state and by
the role exactly as ``programmes.lifecycle.REFERRAL`` says, with the coded reason each
needs, through the services, the pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import TransitionNotAllowed
from core.roles import Role
from organisation.tests.factories import StaffFactory, TeamFactory
from programmes.constants import ReferralStatus, StatusReason, Suitability
from programmes.lifecycle import NEEDS_REASON, REFERRAL
from programmes.models import ProgrammeReferral
from programmes.services import referrals as services
from programmes.tests.factories import ProgrammeFactory, programme_with_template
from programmes.tests.referral_builders import licence, person_of, referral_in
from risk import services as risk_services

pytestmark = pytest.mark.django_db

STEPS = ("assess", *services.REASONED_STEPS)
ROLES = (
    Role.PRACTITIONER,
    Role.PROGRAMME_COORDINATOR,
    Role.TREATMENT_MANAGER,
    Role.FACILITATOR,
    Role.PARTNER_LINK_WORKER,
)


def _take(user: Any, referral: ProgrammeReferral, step: str, **extra: Any) -> ProgrammeReferral:
    if step == "assess":
        return services.assess(
            acting_user=user,
            referral_id=referral.pk,
            outcome=services.SuitabilityInput(
                suitability=Suitability.SUITABLE,
                reasons="Motivated; meets the criteria",
                programme_id=referral.programme_id,
            ),
            expected_version=referral.version,
        )
    return services.take_step(
        acting_user=user,
        referral_id=referral.pk,
        step=step,
        reason=extra.get("reason", StatusReason.NO_GROUP_AVAILABLE),
        note=extra.get("note", ""),
        expected_version=referral.version,
    )


@pytest.mark.parametrize("state", ReferralStatus.values)
@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_taken_only_from_the_states_the_table_allows(
    make_user: Any, step: str, state: str
) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(state, person_of(make_user(Role.PRACTITIONER)))
    transition = REFERRAL[step]
    allowed = state in transition.sources and (transition.when is None or transition.when(referral))
    if allowed:
        moved = _take(coordinator, referral, step)
        assert moved.status in REFERRAL.outcomes(transition, state)
        assert moved.status_changes.first().changed_by == coordinator
    else:
        with pytest.raises(TransitionNotAllowed):
            _take(coordinator, referral, step)
        referral.refresh_from_db()
        assert referral.status == state


def test_recall_is_for_a_licence_and_return_to_court_for_an_order(make_user: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    person = person_of(make_user(Role.PRACTITIONER))
    licence(person)
    on_licence = ProgrammeReferral.objects.get(person=person)
    with pytest.raises(TransitionNotAllowed, match="recall, not return to court"):
        _take(coordinator, on_licence, "return_to_court")
    assert (
        _take(coordinator, on_licence, "recall", reason=StatusReason.CUSTODY).status == ReferralStatus.RECALL
    )
    on_order = referral_in(ReferralStatus.AWAITING_ALLOCATION, person_of(make_user(Role.PRACTITIONER)))
    with pytest.raises(TransitionNotAllowed, match="Only a referral under a licence"):
        _take(coordinator, on_order, "recall")


# The state each step is offered from, for the role table.
FROM = {
    "assess": ReferralStatus.AWAITING_ASSESSMENT,
    "ready": ReferralStatus.SUITABLE_NOT_READY,
    "deprioritise": ReferralStatus.AWAITING_ALLOCATION,
    "defer": ReferralStatus.AWAITING_ALLOCATION,
    "withdraw": ReferralStatus.AWAITING_ASSESSMENT,
    "recall": ReferralStatus.AWAITING_ALLOCATION,
    "return_to_court": ReferralStatus.AWAITING_ALLOCATION,
    "breach": ReferralStatus.ON_PROGRAMME,
}


def _team_users(make_user: Any) -> tuple[Any, dict[Role, Any]]:
    """One person and every role working in the person's team and PDU, so only the role
    decides what each may do."""
    team = TeamFactory()
    users = {role: make_user(role, staff=StaffFactory(team=team, pdu=team.pdu)) for role in ROLES}
    return person_of(users[Role.PRACTITIONER]), users


def _referral_for(step: str, person: Any) -> ProgrammeReferral:
    if step == "recall":
        licence(person)
        referral = ProgrammeReferral.objects.get(person=person)
        referral.programme = programme_with_template()
        referral.status, referral.suitability = FROM[step], Suitability.SUITABLE
        referral.save()
        return referral
    return referral_in(FROM[step], person)


def _body(step: str, version: int, programme_id: int | None) -> dict[str, Any]:
    if step == "assess":
        return {
            "suitability": "SUITABLE",
            "suitability_reasons": "Meets the criteria",
            "programme_id": programme_id,
            "version": version,
        }
    return {"reason": "NO_GROUP_AVAILABLE", "version": version}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_offered_and_taken_only_by_the_roles_the_table_names(
    make_user: Any, client_for: Any, step: str, role: Role
) -> None:
    """The page's buttons, the form, the API's next_steps and the API step agree with the
    table: a role it does not name gets no button and 404 on the form and the API."""
    person, users = _team_users(make_user)
    user = users[role]
    referral = _referral_for(step, person)
    may = REFERRAL[step].permits(user, referral)
    client = client_for(user)
    detail = client.get(f"/programme-referrals/{referral.pk}/")
    assert detail.status_code == 200
    assert (f"/steps/{step}/" in detail.content.decode()) is may
    assert client.get(f"/programme-referrals/{referral.pk}/steps/{step}/").status_code == (
        200 if may else 404
    )
    shown = client.get(f"/api/v1/programme-referrals/{referral.pk}").json()
    assert (step in shown["next_steps"]) is may
    response = client.post(
        f"/api/v1/programme-referrals/{referral.pk}/steps/{step}",
        _body(step, referral.version, referral.programme_id),
        content_type="application/json",
    )
    assert response.status_code == (200 if may else 404), response.content
    referral.refresh_from_db()
    assert (referral.status != FROM[step]) is may


def test_the_table_gives_the_practitioner_withdrawal_and_the_programmes_team_the_rest(make_user: Any) -> None:
    """The role table read in words, so a change to the lifecycle is seen here."""
    person, users = _team_users(make_user)
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person)
    offered = {role: [t.name for t in REFERRAL.allowed(referral, users[role])] for role in ROLES}
    assert offered == {
        Role.PRACTITIONER: ["withdraw"],
        Role.PROGRAMME_COORDINATOR: ["assess", "defer", "return_to_court", "withdraw"],
        Role.TREATMENT_MANAGER: ["assess", "defer", "return_to_court", "withdraw"],
        Role.FACILITATOR: [],
        Role.PARTNER_LINK_WORKER: [],
    }


# --- Reasons ----------------------------------------------------------------------------


@pytest.mark.parametrize("step", sorted(NEEDS_REASON & set(services.REASONED_STEPS)))
def test_a_step_that_needs_a_reason_is_refused_without_one(make_user: Any, step: str) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = _referral_for(step, person_of(make_user(Role.PRACTITIONER)))
    with pytest.raises(ValidationError) as refused:
        _take(coordinator, referral, step, reason="")
    assert list(refused.value.message_dict) == ["reason"]


def test_other_needs_a_note(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(ReferralStatus.AWAITING_ALLOCATION, person_of(make_user(Role.PRACTITIONER)))
    with pytest.raises(ValidationError) as refused:
        _take(coordinator, referral, "defer", reason=StatusReason.OTHER)
    assert list(refused.value.message_dict) == ["note"]
    client = client_for(coordinator)
    url = f"/programme-referrals/{referral.pk}/steps/defer/"
    page = client.post(url, {"reason": "OTHER", "note": "", "version": referral.version})
    assert page.status_code == 400 and 'href="#id_note"' in page.content.decode()
    missing = client.post(url, {"reason": "", "version": referral.version})
    assert missing.status_code == 400 and 'href="#id_reason"' in missing.content.decode()
    api = client.post(
        f"/api/v1/programme-referrals/{referral.pk}/steps/defer",
        {"version": referral.version},
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "reason"
    done = client.post(url, {"reason": "OTHER", "note": "Court date pending", "version": referral.version})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason, referral.status_note) == (
        ReferralStatus.DEFERRED,
        StatusReason.OTHER,
        "Court date pending",
    )


def test_the_reasons_are_offered_in_their_groups(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(ReferralStatus.AWAITING_ALLOCATION, person_of(make_user(Role.PRACTITIONER)))
    page = (
        client_for(coordinator)
        .get(f"/programme-referrals/{referral.pk}/steps/deprioritise/")
        .content.decode()
    )
    assert '<optgroup label="Motivation and behaviour">' in page
    assert (
        page.index('label="Operational"')
        < page.index("No suitable group available")
        < page.index('label="Personal and health"')
    )


# --- The suitability assessment ---------------------------------------------------------------


def _assess(user: Any, referral: ProgrammeReferral, **fields: Any) -> ProgrammeReferral:
    outcome = {"suitability": Suitability.SUITABLE, "reasons": "Assessed", "programme_id": None} | fields
    return services.assess(
        acting_user=user,
        referral_id=referral.pk,
        outcome=services.SuitabilityInput(**outcome),
        expected_version=referral.version,
    )


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Suitability.SUITABLE, ReferralStatus.AWAITING_ALLOCATION),
        (Suitability.SUITABLE_NOT_READY, ReferralStatus.SUITABLE_NOT_READY),
        (Suitability.NOT_SUITABLE, ReferralStatus.WITHDRAWN),
        (Suitability.NOT_ELIGIBLE, ReferralStatus.WITHDRAWN),
    ],
)
def test_the_outcome_of_the_assessment_decides_where_the_referral_goes(
    make_user: Any, outcome: str, status: str
) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    person = person_of(make_user(Role.PRACTITIONER))
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person, programme=None)
    referral.programme = None
    referral.save()
    programme = ProgrammeFactory()
    reason = "" if outcome == Suitability.SUITABLE else StatusReason.NOT_MOTIVATED
    done = _assess(coordinator, referral, suitability=outcome, programme_id=programme.pk, reason=reason)
    assert (done.status, done.suitability, done.programme, done.assessed_by) == (
        status,
        outcome,
        programme,
        coordinator,
    )
    assert done.status_reason == reason


def test_the_assessment_needs_reasons_a_programme_and_a_coded_reason_unless_suitable(make_user: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    person = person_of(make_user(Role.PRACTITIONER), sex="MALE")
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person)
    for fields, field in (
        ({"reasons": " "}, "suitability_reasons"),
        ({"programme_id": None}, "programme"),
        ({"programme_id": ProgrammeFactory(men=False).pk}, "programme"),
        ({"suitability": Suitability.SUITABLE_NOT_READY, "programme_id": referral.programme_id}, "reason"),
        ({"suitability": Suitability.NOT_SUITABLE}, "reason"),
    ):
        with pytest.raises(ValidationError) as refused:
            _assess(coordinator, referral, **fields)
        assert list(refused.value.message_dict) == [field], fields
    # Not suitable closes the referral, so no programme is needed.
    done = _assess(
        coordinator, referral, suitability=Suitability.NOT_SUITABLE, reason=StatusReason.DENIES_OFFENCE
    )
    assert done.status == ReferralStatus.WITHDRAWN and done.closed_on is not None


def test_suitable_but_not_ready_becomes_ready_later(make_user: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person_of(make_user(Role.PRACTITIONER)))
    waiting = _assess(
        coordinator,
        referral,
        suitability=Suitability.SUITABLE_NOT_READY,
        programme_id=referral.programme_id,
        reason=StatusReason.SUBSTANCE_MISUSE,
    )
    ready = services.take_step(
        acting_user=coordinator, referral_id=waiting.pk, step="ready", expected_version=waiting.version
    )
    assert ready.status == ReferralStatus.AWAITING_ALLOCATION
    assert [c.to_status for c in ready.status_changes.all()][:2] == [
        ReferralStatus.AWAITING_ALLOCATION,
        ReferralStatus.SUITABLE_NOT_READY,
    ]


def test_a_referral_deferred_before_assessment_is_assessed_not_marked_ready(make_user: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(ReferralStatus.DEFERRED, person_of(make_user(Role.PRACTITIONER)), suitability="")
    with pytest.raises(TransitionNotAllowed, match="suitability assessment first"):
        services.take_step(acting_user=coordinator, referral_id=referral.pk, step="ready", expected_version=1)


def test_the_assessment_reads_the_ldc_score_and_an_override_is_kept_in_the_history(make_user: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    person = person_of(make_user(Role.PRACTITIONER))
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person)
    risk_services.record_assessment(
        acting_user=None, person=person, completed_on=referral.referred_on, ovp=Decimal("40"), ldc_score=2
    )
    assessed = _assess(coordinator, referral, programme_id=referral.programme_id)
    assert assessed.ldc_score == 2
    overridden = services.override_ldc(
        acting_user=coordinator,
        referral_id=referral.pk,
        score=4,
        reason="Learning needs seen at interview",
        expected_version=assessed.version,
    )
    assert overridden.ldc_score == 4
    assert list(overridden.ldc_scores.values_list("score", "is_override")) == [(4, True), (2, False)]
    with pytest.raises(ValidationError) as refused:
        services.override_ldc(
            acting_user=coordinator,
            referral_id=referral.pk,
            score=99,
            reason="x",
            expected_version=overridden.version,
        )
    assert list(refused.value.message_dict) == ["score"]


def test_the_referral_page_shows_state_history_pni_and_the_next_steps(
    make_user: Any, client_for: Any
) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    person = person_of(make_user(Role.PRACTITIONER))
    risk_services.record_assessment(
        acting_user=None, person=person, completed_on=person.created_at.date(), ovp=Decimal("40")
    )
    referral = referral_in(ReferralStatus.AWAITING_ASSESSMENT, person)
    page = client_for(coordinator).get(f"/programme-referrals/{referral.pk}/").content.decode()
    assert "Awaiting assessment" in page and 'data-testid="referral-history"' in page
    assert "Referred: awaiting assessment" in page
    assert "Missing information" in page  # the PNI pathway: OVP alone, no needs recorded
    assert f"/programme-referrals/{referral.pk}/steps/assess/" in page
    assert f"/programme-referrals/{referral.pk}/steps/defer/" in page
    assert "/steps/schedule/" not in page  # the group pages add people to groups


def test_a_stale_step_is_refused(make_user: Any, client_for: Any) -> None:
    coordinator = make_user(Role.PROGRAMME_COORDINATOR)
    referral = referral_in(ReferralStatus.AWAITING_ALLOCATION, person_of(make_user(Role.PRACTITIONER)))
    response = client_for(coordinator).post(
        f"/api/v1/programme-referrals/{referral.pk}/steps/defer",
        {"reason": "STAFFING", "version": referral.version + 1},
        content_type="application/json",
    )
    assert response.status_code == 409
