"""Supporting documents on the public application: the type comes from the bytes, markup
is refused, each application has a document count and size allowance, names are safe."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning import services
from commissioning.forms import PublicSupplierApplicationForm
from commissioning.models import ServiceCategory, SupplierApplication
from commissioning.tests.test_qualification import answers
from core.limits import REQUEST_MAX_BYTES
from core.policy import value_on
from core.uploads import ALLOWED, PLAIN_TEXT, detect, safe_filename
from organisation.models import Region

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 22)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def submit(*documents: Any) -> Any:
    return services.submit_application(
        categories=[ServiceCategory.objects.get(number=1)],
        regions=[Region.objects.get(pk="F")],
        pcc_areas=[],
        documents=list(documents),
        **answers(),
    )


def upload(name: str, data: bytes, declared: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=declared)


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"name,total\nA,1\n", "text/plain"),
        (b"under <5 hours, a < b", "text/plain"),
    ],
)
def test_accepted_kinds_are_detected_from_the_bytes(data: bytes, mime: str) -> None:
    kind = detect(data)
    assert kind is not None and kind.mime == mime


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"<html><body>hi</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg/>',
        b"  <SCRIPT>x</SCRIPT>",
        b"name\n<img src=x onerror=alert(1)>",
        b"<!-- comment --><b>bold</b>",
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"PK\x03\x04" + b"\x00" * 40,  # a zip that is no office document
        b"GIF89a" + b"\x00" * 20,  # an image kind we do not take
        b"text with a \x00 NUL",
        b"\xff\xfe\x00\x00 not utf-8",
        b"",
    ],
)
def test_markup_programs_and_other_kinds_are_refused(data: bytes) -> None:
    assert detect(data) is None


def test_an_html_page_declared_as_a_pdf_is_refused() -> None:
    """Proved able to fail: checking the declared content type instead of the bytes lets it in."""
    with pytest.raises(ValidationError, match="must be a PDF, Word"):
        submit(upload("accounts.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"))


def test_a_pdf_declared_as_anything_is_stored_as_a_pdf() -> None:
    application = submit(upload("accounts.html", PDF, "text/html"))
    stored = application.documents.get()
    assert stored.content_type == "application/pdf" and stored.name == "accounts.pdf"
    assert stored.size == len(PDF) and bytes(stored.data) == PDF


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\sam\\accounts 2025.pdf", "accounts_2025.pdf"),
        ('evil"; filename=x.exe.pdf', "evil_filenamex.exe.pdf"),
        ("..", "document.pdf"),
        ("", "document.pdf"),
        (".htaccess", "document.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(given: str, stored: str) -> None:

    assert safe_filename(given, ALLOWED["application/pdf"]) == stored


def test_text_gets_the_text_extension() -> None:
    assert safe_filename("figures.csv", PLAIN_TEXT) == "figures.txt"


@time_machine.travel(ON)
def test_the_document_count_allowance_at_its_boundary() -> None:
    """Proved able to fail: without the count check eleven documents were stored."""
    most = value_on("df_application_max_documents", ON)
    assert submit(*[upload(f"d{i}.pdf", PDF) for i in range(most)]).documents.count() == most
    with pytest.raises(ValidationError, match=f"at most {most} documents"):
        submit(*[upload(f"d{i}.pdf", PDF) for i in range(most + 1)])


@time_machine.travel(ON)
def test_the_single_document_size_at_its_boundary() -> None:
    largest = value_on("df_application_max_document_bytes", ON)
    assert submit(upload("big.pdf", PDF + b"0" * (largest - len(PDF)))).documents.get().size == largest
    with pytest.raises(ValidationError, match="is larger than"):
        submit(upload("big.pdf", PDF + b"0" * (largest - len(PDF) + 1)))


@time_machine.travel(ON)
def test_the_total_size_allowance_at_its_boundary() -> None:
    """Proved able to fail: without the total check, documents one byte over the allowance were stored."""
    largest = value_on("df_application_max_document_bytes", ON)
    total = value_on("df_application_max_total_bytes", ON)
    each = total // 2
    assert each <= largest
    fits = [
        upload("a.pdf", PDF + b"0" * (each - len(PDF))),
        upload("b.pdf", PDF + b"0" * (total - each - len(PDF))),
    ]
    assert sum(d.size for d in submit(*fits).documents.all()) == total
    with pytest.raises(ValidationError, match="altogether"):
        submit(
            upload("a.pdf", PDF + b"0" * (each - len(PDF))),
            upload("b.pdf", PDF + b"0" * (total - each - len(PDF) + 1)),
        )


def test_the_total_allowance_fits_inside_the_request_limit() -> None:
    """The request limit refuses anything bigger before it is read; the allowance must fit."""
    assert value_on("df_application_max_total_bytes", ON) < REQUEST_MAX_BYTES


def test_a_request_beyond_the_limit_is_refused_before_it_is_read(client: Any) -> None:
    """One anonymous request can no longer store tens of megabytes.

    Proved able to fail: without RequestLimitsMiddleware the public form read the whole body."""
    response = client.post("/framework/apply/", {"x": "y"}, CONTENT_LENGTH=str(REQUEST_MAX_BYTES + 1))
    assert response.status_code == 413


def test_the_public_form_names_the_documents_field_when_an_svg_is_sent(client: Any) -> None:
    """The applicant sees a GOV.UK error on the documents field, and nothing is stored."""

    old = signing.dumps(int(time.time()) - 60, salt=PublicSupplierApplicationForm.salt)
    data = {k: ("yes" if v is True else "no" if v is False else v) for k, v in answers().items()}
    data |= {
        "started": old,
        "categories": ["1"],
        "regions": ["F"],
        "safeguarding_declaration": "on",
        "data_protection_declaration": "on",
        "documents": [upload("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/png")],
    }
    sent = client.post("/framework/apply/", data)
    assert sent.status_code == 400 and b"govuk-error-summary" in sent.content
    assert b'href="#id_documents"' in sent.content and b"must be a PDF, Word" in sent.content
    assert not SupplierApplication.objects.exists()
