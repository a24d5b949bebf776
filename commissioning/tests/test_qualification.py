"""Supplier qualification: the Selection Questionnaire, its assessment section by
section, appointment, reapplying and extending, in the pages and by rule."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commissioning import rules, selectors, services
from commissioning.constants import SqSection
from commissioning.forms import PublicSupplierApplicationForm
from commissioning.models import Qualification, ServiceCategory, Supplier, SupplierApplication
from core.exceptions import TransitionNotAllowed
from core.roles import Role
from organisation.models import PccArea, Region
from organisation.tests.factories import ExternalOrganisationFactory

ANSWERS = rules.SqAnswers(
    mandatory_exclusions_apply=False,
    discretionary_exclusions_apply=False,
    exclusion_details="",
    annual_turnover=2_000_000,
    audited_accounts=True,
    employers_liability=5_000_000,
    public_liability=5_000_000,
    professional_indemnity=1_000_000,
    safeguarding_declaration=True,
    data_protection_declaration=True,
    categories=1,
    places=1,
)
ON = date(2026, 11, 22)


def test_a_clean_application_raises_nothing_for_the_assessor() -> None:
    assert rules.sq_guidance(ANSWERS, ON) == {}


@pytest.mark.parametrize(
    ("change", "section", "text"),
    [
        ({"mandatory_exclusions_apply": True}, "MANDATORY_EXCLUSION", "must fail"),
        ({"discretionary_exclusions_apply": True}, "DISCRETIONARY_EXCLUSION", "none was given"),
        ({"audited_accounts": False}, "ECONOMIC_FINANCIAL", "No audited accounts"),
        ({"places": 0}, "TECHNICAL_PROFESSIONAL", "No categories or places"),
        ({"employers_liability": 4_999_999.99}, "INSURANCE", "employers liability below £5,000,000"),
        ({"professional_indemnity": 999_999}, "INSURANCE", "professional indemnity below £1,000,000"),
        ({"safeguarding_declaration": False}, "SAFEGUARDING", "not made"),
        ({"data_protection_declaration": False}, "DATA_PROTECTION", "not made"),
    ],
)
def test_each_concern_is_flagged_at_its_boundary(change: dict[str, Any], section: str, text: str) -> None:
    guidance = rules.sq_guidance(replace(ANSWERS, **change), ON)
    assert list(guidance) == [section] and text in guidance[section]


def test_the_decision_waits_for_every_section() -> None:
    sections = list(SqSection.values)
    assert rules.sq_decision({s: True for s in sections[:-1]}, sections) is None
    assert rules.sq_decision(dict.fromkeys(sections, True), sections) == "PASSED"
    assert rules.sq_decision(dict.fromkeys(sections, True) | {sections[3]: False}, sections) == "FAILED"


def answers(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "organisation_name": "Fresh Start Housing CIC",
        "registered_address": "1 High Street, Nottingham",
        "contact_name": "Sam Lee",
        "contact_email": "sam@example.org",
        "mandatory_exclusions_apply": False,
        "discretionary_exclusions_apply": False,
        "annual_turnover": 900_000,
        "audited_accounts": True,
        "experience": "Ten years of tenancy support",
        "references": "Nottingham City Council; Derby Homes",
        "employers_liability": 5_000_000,
        "public_liability": 5_000_000,
        "professional_indemnity": 1_000_000,
        "safeguarding_declaration": True,
        "data_protection_declaration": True,
        "cyber_essentials": True,
    }
    return fields | overrides


def submit(**overrides: Any) -> SupplierApplication:
    return services.submit_application(
        categories=[ServiceCategory.objects.get(number=1)],
        regions=[Region.objects.get(pk="F")],
        pcc_areas=[PccArea.objects.get(pk="kent")],
        **answers(**overrides),
    )


def assess_all(user: Any, application: SupplierApplication, failing: str | None = None) -> None:
    for section in SqSection:
        services.assess_section(
            acting_user=user,
            application_id=application.pk,
            section=section,
            passed=section != failing,
            reason="Meets the requirement" if section != failing else "Cover is below the minimum",
        )


@pytest.mark.django_db
def test_passing_every_section_appoints_the_supplier_for_what_it_offered(make_user: Any) -> None:
    commercial = make_user(Role.COMMERCIAL)
    application = submit()
    assess_all(commercial, application)
    application.refresh_from_db()
    assert application.status == "PASSED" and application.supplier is not None
    supplier = application.supplier
    assert supplier.status == "APPOINTED" and supplier.appointed_on is not None
    assert set(Qualification.objects.filter(supplier=supplier).values_list("region_id", "pcc_area_id")) == {
        ("F", None),
        (None, "kent"),
    }
    east_mids_pcc = selectors.qualified_suppliers(1, "F", "nottinghamshire")  # covered by the region
    assert list(east_mids_pcc) == [supplier]
    assert not selectors.qualified_suppliers(2, "F", "nottinghamshire").exists()  # not that category
    assert not selectors.qualified_suppliers(1, "K", "surrey").exists()  # Kent only, not the region
    with pytest.raises(TransitionNotAllowed):
        services.assess_section(
            acting_user=commercial,
            application_id=application.pk,
            section=SqSection.INSURANCE,
            passed=False,
            reason="x",
        )


@pytest.mark.django_db
def test_a_failed_applicant_is_told_why_and_can_apply_again(make_user: Any) -> None:
    commercial = make_user(Role.COMMERCIAL)
    first = submit(employers_liability=1_000_000)
    assess_all(commercial, first, failing=SqSection.INSURANCE)
    first.refresh_from_db()
    assert first.status == "FAILED" and first.supplier is None
    assert first.assessments.get(section="INSURANCE").reason == "Cover is below the minimum"
    second = submit()
    assess_all(commercial, second)
    second.refresh_from_db()
    assert second.status == "PASSED"
    with pytest.raises(ValidationError):
        services.assess_section(
            acting_user=commercial,
            application_id=submit().pk,
            section=SqSection.INSURANCE,
            passed=True,
            reason=" ",
        )


@pytest.mark.django_db
def test_the_public_form_is_rate_limited_and_spam_resistant(client: Any) -> None:
    for _ in range(services.APPLICATIONS_PER_ADDRESS_PER_DAY):
        services.submit_application(
            client_ip="10.0.0.1",
            categories=[ServiceCategory.objects.get(number=1)],
            regions=[Region.objects.get(pk="F")],
            pcc_areas=[],
            **answers(),
        )
    with pytest.raises(TransitionNotAllowed):
        services.submit_application(
            client_ip="10.0.0.1",
            categories=[ServiceCategory.objects.get(number=1)],
            regions=[Region.objects.get(pk="F")],
            pcc_areas=[],
            **answers(),
        )
    too_fast = client.post("/framework/apply/", {"started": PublicSupplierApplicationForm.stamp()})
    assert too_fast.status_code == 400 and b"govuk-error-summary" in too_fast.content


@pytest.mark.django_db
def test_apply_assess_and_extend_through_the_pages(client: Any, make_user: Any, client_for: Any) -> None:
    old = signing.dumps(int(time.time()) - 60, salt=PublicSupplierApplicationForm.salt)
    data = {k: ("yes" if v is True else "no" if v is False else v) for k, v in answers().items()}
    data |= {
        "started": old,
        "categories": ["1"],
        "regions": ["F"],
        "safeguarding_declaration": "on",
        "data_protection_declaration": "on",
        "cyber_essentials": "on",
    }
    sent = client.post("/framework/apply/", data)
    assert sent.status_code == 200 and b"Application received" in sent.content
    application = SupplierApplication.objects.get()
    commercial = client_for(make_user(Role.COMMERCIAL))
    assert f"SQ{application.pk}".encode() in commercial.get("/framework/applications/").content
    for section in SqSection.values:
        saved = commercial.post(
            f"/framework/applications/{application.pk}/",
            {"section": section, "result": "pass", "reason": "Fine"},
        )
        assert saved.status_code == 302
    application.refresh_from_db()
    assert application.status == "PASSED"
    organisation = ExternalOrganisationFactory(kind="PROVIDER")
    Supplier.objects.filter(pk=application.supplier_id).update(organisation=organisation)
    provider = client_for(make_user(Role.PROVIDER, organisation=organisation))
    data.pop("started")
    more = provider.post("/framework/extend/", data | {"categories": ["2"], "regions": ["C"]})
    assert more.status_code == 200 and b"Application received" in more.content
    extension = SupplierApplication.objects.exclude(pk=application.pk).get()
    assert extension.supplier_id == application.supplier_id
    assert client_for(make_user(Role.PRACTITIONER)).get("/framework/applications/").status_code == 404


@pytest.mark.django_db
def test_qualification_through_the_api(make_user: Any, client_for: Any) -> None:
    json = "application/json"
    application = submit()
    commercial = client_for(make_user(Role.COMMERCIAL))
    listed = commercial.get("/api/v1/commissioning/applications", {"status": "SUBMITTED"}).json()
    assert [a["id"] for a in listed] == [application.pk] and listed[0]["guidance"] == {}
    for section in SqSection.values:
        response = commercial.post(
            f"/api/v1/commissioning/applications/{application.pk}/assessments",
            {"section": section, "passed": True, "reason": "Meets it"},
            content_type=json,
        )
        assert response.status_code == 200
    assert response.json()["status"] == "PASSED"
    supplier = Supplier.objects.get(pk=response.json()["supplier_id"])
    assert supplier.organisation is not None  # its staff can be given accounts
    provider = client_for(make_user(Role.PROVIDER, organisation=supplier.organisation))
    body = {
        k: v
        for k, v in answers().items()
        if k not in {"organisation_name", "registered_address", "contact_name", "contact_email"}
    }
    more = provider.post(
        "/api/v1/commissioning/applications", body | {"categories": [2], "regions": ["C"]}, content_type=json
    )
    assert more.status_code == 201 and more.json()["supplier_id"] == supplier.pk
    assert provider.get("/api/v1/commissioning/applications").status_code == 404  # commercial staff only


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_applicant_is_told_the_result_and_why(make_user: Any, mailoutbox: Any) -> None:
    commercial = make_user(Role.COMMERCIAL)
    assess_all(commercial, submit(), failing=SqSection.INSURANCE)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sam@example.org"]
    assert "Insurance: Cover is below the minimum" in mailoutbox[0].body
    assess_all(commercial, submit())
    assert "appointed" in mailoutbox[1].subject


@pytest.mark.django_db
def test_supporting_documents_are_checked(make_user: Any) -> None:

    fine = SimpleUploadedFile("accounts.pdf", b"%PDF-1.4", content_type="application/pdf")
    application = services.submit_application(
        categories=[ServiceCategory.objects.get(number=1)],
        regions=[Region.objects.get(pk="F")],
        pcc_areas=[],
        documents=[fine],
        **answers(),
    )
    assert application.documents.get().name == "accounts.pdf"
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")
    with pytest.raises(ValidationError, match="a PDF, Word, Excel or OpenDocument file"):
        services.submit_application(
            categories=[ServiceCategory.objects.get(number=1)],
            regions=[Region.objects.get(pk="F")],
            pcc_areas=[],
            documents=[script],
            **answers(),
        )
    commercial = make_user(Role.COMMERCIAL)

    client = Client()
    client.force_login(commercial)
    document = application.documents.get()
    download = client.get(f"/framework/applications/{application.pk}/documents/{document.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4"
