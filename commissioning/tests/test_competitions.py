"""A call-off competition from draft to contract: user agreements, co-commissioning,
invitations only to qualified suppliers, sealed and late bids, independent scoring,
moderation, ranking, standstill, and the no-compliant-bid paths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.competitions import selectors as comp_selectors
from commissioning.competitions import services as comp
from commissioning.constants import CommissionerKind, Criterion
from commissioning.models import Bid, Commissioner, Competition, Qualification, Supplier, SupplierApplication
from commissioning.selectors import qualified_suppliers
from core.exceptions import TransitionNotAllowed
from core.roles import Role
from organisation.models import PccArea, Pdu, Region
from organisation.tests.factories import ExternalOrganisationFactory

pytestmark = pytest.mark.django_db


def appointed(
    code: str, *, region: str | None = None, pcc: str | None = None, category: int = 1
) -> tuple[Supplier, Any]:
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    supplier = Supplier.objects.create(
        code=code, name=code.title(), organisation=organisation, status="APPOINTED"
    )
    application = SupplierApplication.objects.create(
        organisation_name=code,
        contact_name="x",
        mandatory_exclusions_apply=False,
        discretionary_exclusions_apply=False,
        annual_turnover=1,
        audited_accounts=True,
        experience="x",
        references="x",
        employers_liability=1,
        public_liability=1,
        professional_indemnity=1,
        safeguarding_declaration=True,
        data_protection_declaration=True,
        cyber_essentials=True,
        submitted_at=timezone.now(),
        supplier=supplier,
        status="PASSED",
    )
    Qualification.objects.create(
        supplier=supplier, category_id=category, region_id=region, pcc_area_id=pcc, application=application
    )
    return supplier, organisation


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    pcc_org = ExternalOrganisationFactory(kind="PCC")
    pcc = Commissioner.objects.create(
        name="Nottinghamshire PCC", kind=CommissionerKind.PCC, organisation=pcc_org
    )
    region = Commissioner.objects.create(
        name="HMPPS East Midlands", kind=CommissionerKind.HMPPS_REGION, region_id="F"
    )
    lead = make_user(Role.COMMISSIONER, organisation=pcc_org)
    rpd = make_user(Role.REGIONAL_DIRECTOR)
    rpd.staff.pdu.region_id = "F"
    rpd.staff.pdu.save()
    _, one_org = appointed("ONE", region="F")
    _, two_org = appointed("TWO", pcc="nottinghamshire")
    appointed("ELSEWHERE", region="K")
    appointed("OTHER_CATEGORY", region="F", category=2)
    return {
        "pcc": pcc,
        "region": region,
        "lead": lead,
        "rpd": rpd,
        "one": make_user(Role.PROVIDER, organisation=one_org),
        "two": make_user(Role.PROVIDER, organisation=two_org),
        "evaluators": [make_user(Role.COMMERCIAL), make_user(Role.COMMERCIAL)],
    }


def draft(p: dict[str, Any], **overrides: Any) -> Competition:
    now = timezone.now()
    fields: dict[str, Any] = {
        "title": "Accommodation support in Nottinghamshire",
        "category_id": 1,
        "geography_level": "PCC_AREA",
        "pcc_area": PccArea.objects.get(pk="nottinghamshire"),
        "specification": "Help people on probation find and keep a home.",
        "sentence_types": ["COMMUNITY_ORDER", "LICENCE"],
        "expected_referrals_per_month": 20,
        "budget": Decimal("300000"),
        "quality_weight": 60,
        "price_weight": 30,
        "social_value_weight": 10,
        "clarification_deadline": now + timedelta(days=5),
        "bid_deadline": now + timedelta(days=10),
        "service_starts_on": timezone.localdate() + timedelta(days=60),
        "service_ends_on": timezone.localdate() + timedelta(days=60 + 730),
    }
    evaluators = overrides.pop("evaluator_ids", [e.pk for e in p["evaluators"]])
    return comp.create_competition(
        acting_user=p["lead"],
        partners=[(p["region"].pk, 40)],
        evaluator_ids=evaluators,
        **(fields | overrides),
    )


def past_deadline(competition: Competition) -> None:
    Competition.objects.filter(pk=competition.pk).update(
        bid_deadline=timezone.now() - timedelta(seconds=1),
        clarification_deadline=timezone.now() - timedelta(seconds=2),
    )


def test_commissioning_needs_a_signed_user_agreement(people: dict[str, Any]) -> None:
    with pytest.raises(TransitionNotAllowed, match="user agreement"):
        draft(people)
    comp.sign_user_agreement(acting_user=people["lead"])
    with pytest.raises(TransitionNotAllowed, match="user agreement"):
        draft(people)  # the partner has not signed either
    comp.sign_user_agreement(acting_user=people["rpd"])
    assert draft(people).partners.get().share_percent == 40
    with pytest.raises(ValidationError):
        draft(people, social_value_weight=20)  # weights add up to 110


def test_the_whole_competition(people: dict[str, Any]) -> None:
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    competition = draft(people)
    competition = comp.publish(
        acting_user=people["lead"],
        competition_id=competition.pk,
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    invited = set(competition.invitations.values_list("supplier__code", flat=True))
    assert invited == {"ONE", "TWO"}  # qualified for the category and the place, and no other
    question = comp.ask(
        acting_user=people["one"], competition_id=competition.pk, question="Is there a TUPE transfer?"
    )
    comp.answer(acting_user=people["lead"], clarification_id=question.pk, text="No.")
    comp.submit_bid(
        acting_user=people["one"],
        competition_id=competition.pk,
        price=Decimal("250000"),
        quality_response="Our plan",
        social_value_response="Local jobs",
    )
    comp.submit_bid(
        acting_user=people["two"],
        competition_id=competition.pk,
        price=Decimal("200000"),
        quality_response="Their plan",
        social_value_response="Volunteers",
    )
    assert not comp_selectors.bids_visible_to(people["lead"], competition).exists()  # sealed
    assert comp_selectors.bids_visible_to(people["one"], competition).count() == 1  # only its own
    with pytest.raises(TransitionNotAllowed):
        comp.open_bids(
            acting_user=people["lead"],
            competition_id=competition.pk,
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )  # before the deadline
    past_deadline(competition)
    with pytest.raises(TransitionNotAllowed, match="late bids"):
        comp.submit_bid(
            acting_user=people["two"],
            competition_id=competition.pk,
            price=Decimal("1"),
            quality_response="x",
            social_value_response="x",
        )
    comp.open_bids(
        acting_user=people["lead"],
        competition_id=competition.pk,
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    bids = {b.supplier.code: b for b in Bid.objects.filter(competition=competition)}
    marks = {"ONE": (80, 60), "TWO": (50, 40)}
    for code, (quality, social) in marks.items():
        with pytest.raises(TransitionNotAllowed, match="independently"):
            comp.moderate(
                acting_user=people["lead"],
                bid_id=bids[code].pk,
                criterion=Criterion.QUALITY,
                mark=quality,
                rationale="x",
            )
        for evaluator in people["evaluators"]:
            comp.score(
                acting_user=evaluator,
                bid_id=bids[code].pk,
                criterion=Criterion.QUALITY,
                mark=quality,
                comment="ok",
            )
            comp.score(
                acting_user=evaluator,
                bid_id=bids[code].pk,
                criterion=Criterion.SOCIAL_VALUE,
                mark=social,
                comment="ok",
            )
        comp.moderate(
            acting_user=people["lead"],
            bid_id=bids[code].pk,
            criterion=Criterion.QUALITY,
            mark=quality,
            rationale="Agreed",
        )
        comp.moderate(
            acting_user=people["lead"],
            bid_id=bids[code].pk,
            criterion=Criterion.SOCIAL_VALUE,
            mark=social,
            rationale="Agreed",
        )
    with pytest.raises(TransitionNotAllowed):
        comp.score(
            acting_user=people["lead"],
            bid_id=bids["ONE"].pk,
            criterion=Criterion.QUALITY,
            mark=1,
            comment="x",
        )
    # ONE: 48 + 24 + 6 = 78; TWO: 30 + 30 + 4 = 64.
    assert [r.total for r in comp_selectors.ranking(competition)] == [Decimal("78.00"), Decimal("64.00")]
    competition = comp.decide_award(
        acting_user=people["lead"],
        competition_id=competition.pk,
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    assert competition.award_bid == bids[
        "ONE"
    ] and competition.standstill_ends_on == timezone.localdate() + timedelta(days=10)
    with pytest.raises(TransitionNotAllowed, match="standstill"):
        comp.make_contract(
            acting_user=people["lead"],
            competition_id=competition.pk,
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )
    Competition.objects.filter(pk=competition.pk).update(
        standstill_ends_on=timezone.localdate() - timedelta(days=1)
    )
    contract = comp.make_contract(
        acting_user=people["lead"],
        competition_id=competition.pk,
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    assert (
        contract.supplier.code == "ONE"
        and contract.value == Decimal("250000")
        and contract.pcc_area_id == "nottinghamshire"
    )
    assert [c.number for c in contract.categories.all()] == [1]


def test_no_compliant_bid_means_a_rerun_or_a_direct_award(people: dict[str, Any]) -> None:
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    competition = comp.publish(
        acting_user=people["lead"],
        competition_id=draft(people).pk,
        expected_version=1,
    )
    with pytest.raises(TransitionNotAllowed):
        comp.rerun(
            acting_user=people["lead"],
            competition_id=competition.pk,
            reason="x",
            bid_deadline=timezone.now() + timedelta(days=20),
            clarification_deadline=timezone.now() + timedelta(days=10),
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )
    past_deadline(competition)  # no bids came
    again = comp.rerun(
        acting_user=people["lead"],
        competition_id=competition.pk,
        reason="No bids",
        bid_deadline=timezone.now() + timedelta(days=20),
        clarification_deadline=timezone.now() + timedelta(days=10),
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    assert again.status == "DRAFT" and again.rerun_of_id == competition.pk and again.partners.count() == 1
    again = comp.publish(
        acting_user=people["lead"],
        competition_id=again.pk,
        expected_version=Competition.objects.get(pk=again.pk).version,
    )
    comp.submit_bid(
        acting_user=people["one"],
        competition_id=again.pk,
        price=Decimal("999999"),
        quality_response="x",
        social_value_response="x",
    )  # over budget
    past_deadline(again)
    comp.open_bids(
        acting_user=people["lead"],
        competition_id=again.pk,
        expected_version=Competition.objects.get(pk=again.pk).version,
    )
    with pytest.raises(TransitionNotAllowed, match="No bid is compliant"):
        comp.decide_award(
            acting_user=people["lead"],
            competition_id=again.pk,
            expected_version=Competition.objects.get(pk=again.pk).version,
        )
    with pytest.raises(ValidationError):
        comp.direct_award(
            acting_user=people["lead"],
            competition_id=again.pk,
            supplier_id=Supplier.objects.get(code="TWO").pk,
            value=Decimal("280000"),
            reason=" ",
            expected_version=Competition.objects.get(pk=again.pk).version,
        )
    contract = comp.direct_award(
        acting_user=people["lead"],
        competition_id=again.pk,
        supplier_id=Supplier.objects.get(code="TWO").pk,
        value=Decimal("280000"),
        reason="Contingency after two failed competitions",
        expected_version=Competition.objects.get(pk=again.pk).version,
    )
    again.refresh_from_db()
    assert again.status == "DIRECT_AWARD" and contract.supplier.code == "TWO"
    assert Region.objects.filter(pk="F").exists()


def _at_version(competition_id: int) -> dict[str, int]:
    """The body of a competition step: the version the manager has just read."""
    return {"version": Competition.objects.get(pk=competition_id).version}


def test_the_competition_through_the_api_and_pages(people: dict[str, Any], client_for: Any) -> None:
    json = "application/json"
    lead, one = client_for(people["lead"]), client_for(people["one"])
    assert lead.post("/api/v1/commissioning/agreement", content_type=json).status_code == 200
    comp.sign_user_agreement(acting_user=people["rpd"])
    now = timezone.now()
    body = {
        "title": "Accommodation in Nottinghamshire",
        "category": 1,
        "geography_level": "PCC_AREA",
        "pcc_area_id": "nottinghamshire",
        "specification": "Homes",
        "sentence_types": ["LICENCE"],
        "expected_referrals_per_month": 10,
        "budget": "100000",
        "quality_weight": 60,
        "price_weight": 30,
        "social_value_weight": 10,
        "clarification_deadline": (now + timedelta(days=2)).isoformat(),
        "bid_deadline": (now + timedelta(days=4)).isoformat(),
        "service_starts_on": str(timezone.localdate() + timedelta(days=30)),
        "service_ends_on": str(timezone.localdate() + timedelta(days=400)),
        "partners": [[people["region"].pk, 50]],
        "evaluator_ids": [e.pk for e in people["evaluators"]],
    }
    bad = lead.post("/api/v1/commissioning/competitions", body | {"price_weight": 31}, content_type=json)
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    created = lead.post("/api/v1/commissioning/competitions", body, content_type=json)
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert (
        one.get(f"/api/v1/commissioning/competitions/{cid}").status_code == 404
    )  # a draft is not shown to suppliers
    assert (
        one.post(
            f"/api/v1/commissioning/competitions/{cid}/publish", _at_version(cid), content_type=json
        ).status_code
        == 404
    )
    published = lead.post(
        f"/api/v1/commissioning/competitions/{cid}/publish", _at_version(cid), content_type=json
    ).json()
    assert sorted(published["invited"]) == ["One", "Two"]
    assert (
        one.post(
            f"/api/v1/commissioning/competitions/{cid}/publish", _at_version(cid), content_type=json
        ).status_code
        == 404
    )  # not the lead
    sent = one.post(
        f"/api/v1/commissioning/competitions/{cid}/bids",
        {"price": "90000", "quality_response": "Plan", "social_value_response": "Jobs"},
        content_type=json,
    )
    assert sent.status_code == 200
    assert lead.get(f"/api/v1/commissioning/competitions/{cid}/bids").json() == []  # sealed
    page = lead.get(f"/framework/competitions/{cid}/")
    assert page.status_code == 200 and b"Bids are sealed until the deadline" in page.content
    assert b"Nottinghamshire PCC (lead)" in page.content and b"50% of the funding" in page.content
    bid_page = client_for(people["one"]).get(f"/framework/competitions/{cid}/bid/")
    assert bid_page.status_code == 200
    assert client_for(people["two"]).get(f"/framework/competitions/{cid}/publish/").status_code == 404
    # After the deadline: open, score, moderate, rank, award, standstill, contract.
    Competition.objects.filter(pk=cid).update(
        bid_deadline=timezone.now() - timedelta(seconds=1),
        clarification_deadline=timezone.now() - timedelta(seconds=2),
    )
    late = one.post(
        f"/api/v1/commissioning/competitions/{cid}/bids",
        {"price": "1", "quality_response": "x", "social_value_response": "x"},
        content_type=json,
    )
    assert late.status_code == 409
    assert (
        lead.post(
            f"/api/v1/commissioning/competitions/{cid}/open-bids", _at_version(cid), content_type=json
        ).status_code
        == 200
    )
    (only,) = lead.get(f"/api/v1/commissioning/competitions/{cid}/bids").json()
    for evaluator in people["evaluators"]:
        panel = client_for(evaluator)
        for criterion, mark in (("QUALITY", 70), ("SOCIAL_VALUE", 60)):
            scored = panel.post(
                f"/api/v1/commissioning/bids/{only['id']}/scores",
                {"criterion": criterion, "mark": mark, "comment": "ok"},
                content_type=json,
            )
            assert scored.status_code == 200
    assert (
        one.post(
            f"/api/v1/commissioning/bids/{only['id']}/scores",
            {"criterion": "QUALITY", "mark": 100, "comment": "mine"},
            content_type=json,
        ).status_code
        == 404
    )
    for criterion, mark in (("QUALITY", 70), ("SOCIAL_VALUE", 60)):
        moderated = lead.post(
            f"/api/v1/commissioning/bids/{only['id']}/moderation",
            {"criterion": criterion, "mark": mark, "comment": "Agreed"},
            content_type=json,
        )
        assert moderated.status_code == 200
    ranking = lead.get(f"/api/v1/commissioning/competitions/{cid}/ranking").json()
    assert ranking[0]["total"] == "78.00"  # 42 quality + 30 price (the only bid) + 6 social value
    awarded = lead.post(
        f"/api/v1/commissioning/competitions/{cid}/award", _at_version(cid), content_type=json
    ).json()
    assert awarded["status"] == "STANDSTILL" and awarded["standstill_ends_on"]
    assert (
        lead.post(
            f"/api/v1/commissioning/competitions/{cid}/contract", _at_version(cid), content_type=json
        ).status_code
        == 409
    )  # in standstill
    Competition.objects.filter(pk=cid).update(standstill_ends_on=timezone.localdate() - timedelta(days=1))
    made = lead.post(
        f"/api/v1/commissioning/competitions/{cid}/contract", _at_version(cid), content_type=json
    ).json()
    assert made["status"] == "AWARDED" and made["contract_id"]


@pytest.mark.parametrize(
    ("geography", "expected"),
    [
        ({"geography_level": "REGION", "region": Region(pk="F")}, {"ONE"}),  # TWO covers only a PCC area
        ({"geography_level": "PDU", "pdu_name": "Nottingham City"}, {"ONE", "TWO"}),
        (
            {
                "geography_level": "LOCAL_AUTHORITY",
                "local_authority": "Nottingham City Council",
                "pcc_area": "nottinghamshire",
            },
            {"ONE", "TWO"},
        ),
        ({"geography_level": "PCC_AREA", "pcc_area": "derbyshire"}, {"ONE"}),
        ({"geography_level": "NATIONAL"}, {"EVERYWHERE"}),
    ],
)
def test_each_geography_invites_the_suppliers_qualified_for_it(
    people: dict[str, Any], geography: dict[str, Any], expected: set[str]
) -> None:
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    everywhere, _ = appointed("EVERYWHERE", region="A")
    application = everywhere.qualifications.get().application
    for region in Region.objects.exclude(pk="A"):
        Qualification.objects.create(
            supplier=everywhere, category_id=1, region=region, application=application
        )

    fields: dict[str, Any] = {"pcc_area": None, **geography}
    if "pdu_name" in fields:
        fields["pdu"] = Pdu.objects.get(name=fields.pop("pdu_name"))
    if isinstance(fields.get("pcc_area"), str):
        fields["pcc_area"] = PccArea.objects.get(pk=fields["pcc_area"])
    if "region" in fields:
        fields["region"] = Region.objects.get(pk="F")
    drafted = draft(people, **fields)
    competition = comp.publish(
        acting_user=people["lead"], competition_id=drafted.pk, expected_version=drafted.version
    )
    invited = set(competition.invitations.values_list("supplier__code", flat=True))
    assert invited - {"EVERYWHERE"} == expected - {"EVERYWHERE"} and ("EVERYWHERE" in invited)
    if geography["geography_level"] == "NATIONAL":
        assert invited == {"EVERYWHERE"}  # only a supplier qualified in every region


def test_commercial_staff_register_commissioners(make_user: Any, client_for: Any) -> None:
    commercial = client_for(make_user(Role.COMMERCIAL))
    council = ExternalOrganisationFactory(kind="LOCAL_AUTHORITY", name="Leicester City Council")
    missing = commercial.post("/framework/commissioners/", {"name": "Leicester", "kind": "LOCAL_AUTHORITY"})
    assert missing.status_code == 400 and b"Choose the organisation" in missing.content
    added = commercial.post(
        "/framework/commissioners/",
        {"name": "Leicester City Council", "kind": "LOCAL_AUTHORITY", "organisation": council.pk},
    )
    assert added.status_code == 302
    assert Commissioner.objects.get(organisation=council).agreement_signed_on is None
    again = commercial.post(
        "/framework/commissioners/", {"name": "Again", "kind": "HMPPS_REGION", "region": "F"}
    )
    assert again.status_code == 302
    duplicate = commercial.post(
        "/framework/commissioners/", {"name": "Again", "kind": "HMPPS_REGION", "region": "F"}
    )
    assert duplicate.status_code == 400
    assert client_for(make_user(Role.COMMISSIONER)).get("/framework/commissioners/").status_code == 404


def test_commissioners_through_the_api(make_user: Any, client_for: Any) -> None:
    json = "application/json"
    commercial = client_for(make_user(Role.COMMERCIAL))
    police = ExternalOrganisationFactory(kind="POLICE", name="Derbyshire Constabulary")
    added = commercial.post(
        "/api/v1/commissioning/commissioners",
        {"name": "Derbyshire Constabulary", "kind": "POLICE", "organisation_id": police.pk},
        content_type=json,
    )
    assert added.status_code == 201 and added.json()["agreement_signed_on"] is None
    refused = commercial.post(
        "/api/v1/commissioning/commissioners", {"name": "X", "kind": "HMPPS_REGION"}, content_type=json
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "region"
    assert [c["name"] for c in commercial.get("/api/v1/commissioning/commissioners").json()] == [
        "Derbyshire Constabulary"
    ]
    assert (
        client_for(make_user(Role.COMMISSIONER)).get("/api/v1/commissioning/commissioners").status_code == 404
    )


def test_category_and_place_must_be_on_the_same_qualification(people: dict[str, Any]) -> None:

    _, _ = appointed("SPLIT", region="A")  # accommodation in the North East
    split = Supplier.objects.get(code="SPLIT")
    Qualification.objects.create(
        supplier=split, category_id=2, region_id="F", application=split.qualifications.get().application
    )  # ETE in the East Midlands
    codes = set(qualified_suppliers(1, "F", "nottinghamshire").values_list("code", flat=True))
    assert "SPLIT" not in codes and {"ONE", "TWO"} <= codes
    with pytest.raises(ValueError):
        qualified_suppliers(1, None, None)


def test_evaluation_cannot_be_skipped_and_the_panel_is_checked(people: dict[str, Any]) -> None:
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    with pytest.raises(ValidationError, match="evaluator"):
        draft(people, evaluator_ids=[people["one"].pk])  # a bidder's staff cannot evaluate
    competition = comp.publish(
        acting_user=people["lead"],
        competition_id=draft(people).pk,
        expected_version=1,
    )
    comp.submit_bid(
        acting_user=people["one"],
        competition_id=competition.pk,
        price=Decimal("1000"),
        quality_response="x",
        social_value_response="x",
    )
    past_deadline(competition)
    comp.open_bids(
        acting_user=people["lead"],
        competition_id=competition.pk,
        expected_version=Competition.objects.get(pk=competition.pk).version,
    )
    competition.refresh_from_db()
    assert not comp_selectors.has_no_compliant_bid(competition)  # not moderated yet: no rerun or direct award
    with pytest.raises(TransitionNotAllowed, match="Moderate every bid"):
        comp.decide_award(
            acting_user=people["lead"],
            competition_id=competition.pk,
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )
    Supplier.objects.filter(code="ONE").update(status="REMOVED")
    assert comp_selectors.supplier_for(people["one"]) is None  # a removed supplier takes no further part


def test_reruns_keep_a_short_reference(people: dict[str, Any]) -> None:
    comp.sign_user_agreement(acting_user=people["lead"])
    comp.sign_user_agreement(acting_user=people["rpd"])
    competition = comp.publish(
        acting_user=people["lead"],
        competition_id=draft(people).pk,
        expected_version=1,
    )
    for run in (1, 2, 3):
        past_deadline(competition)
        competition = comp.rerun(
            acting_user=people["lead"],
            competition_id=competition.pk,
            reason="No bids",
            bid_deadline=timezone.now() + timedelta(days=20),
            clarification_deadline=timezone.now() + timedelta(days=10),
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )
        assert competition.reference.endswith(f"-R{run}") and len(competition.reference) <= 20
        competition = comp.publish(
            acting_user=people["lead"],
            competition_id=competition.pk,
            expected_version=Competition.objects.get(pk=competition.pk).version,
        )
