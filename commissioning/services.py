"""Framework writes: Selection Questionnaire applications, their assessment section by
section, and appointment. Atomic, guarded and audited."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from audit import services as audit
from audit.constants import AuditAction
from commissioning import rules
from commissioning.constants import ApplicationStatus, SqSection, SupplierStatus
from commissioning.models import (
    ApplicationDocument,
    Qualification,
    SectionAssessment,
    Supplier,
    SupplierApplication,
)
from core import uploads
from core.exceptions import TransitionNotAllowed
from core.locking import lock_at_version
from core.policy import value_on
from organisation.constants import OrganisationKind
from organisation.models import ExternalOrganisation

logger = logging.getLogger(__name__)
APPLICATIONS_PER_ADDRESS_PER_DAY = 3  # public form: more than this from one address is not a supplier


def _audit(action: AuditAction, actor: Any, obj: Any, label: str, changes: dict[str, Any]) -> None:
    audit.record(action, actor=actor, obj=obj, object_repr=label[:200], changes=changes)


def _checked_documents(documents: list[Any]) -> list[tuple[str, uploads.Kind, bytes]]:
    """Each document's safe name, real kind (from its bytes) and content, within the
    application's allowances; the declared type and name are never trusted."""
    today = timezone.localdate()
    most = value_on("df_application_max_documents", today)
    largest = value_on("df_application_max_document_bytes", today)
    total = value_on("df_application_max_total_bytes", today)
    if len(documents) > most:
        raise ValidationError({"documents": f"Send at most {most} documents"})
    if sum(document.size for document in documents) > total:
        raise ValidationError({"documents": f"Send at most {filesizeformat(total)} of documents altogether"})
    checked = []
    for document in documents:
        shown = uploads.safe_filename(document.name or "", uploads.PLAIN_TEXT).rsplit(".", 1)[0]
        if document.size > largest:
            raise ValidationError({"documents": f"{shown} is larger than {filesizeformat(largest)}"})
        data = document.read(largest + 1)
        kind = uploads.detect(data)
        if kind is None or len(data) > largest:
            raise ValidationError({"documents": f"{shown} must be {uploads.ALLOWED_DESCRIPTION}"})
        checked.append((uploads.safe_filename(document.name or "", kind), kind, data))
    return checked


@transaction.atomic
def submit_application(
    *,
    acting_user: Any = None,
    client_ip: str | None = None,
    supplier: Supplier | None = None,
    categories: list[Any],
    regions: list[Any],
    pcc_areas: list[Any],
    documents: list[Any] | None = None,
    **answers: Any,
) -> SupplierApplication:
    """A new organisation's application (public, rate-limited), or an appointed
    supplier's request to offer more categories or places."""
    if (
        supplier is None
        and client_ip
        and SupplierApplication.objects.filter(
            client_ip=client_ip, submitted_at__gte=timezone.now() - timedelta(days=1)
        ).count()
        >= APPLICATIONS_PER_ADDRESS_PER_DAY
    ):
        raise TransitionNotAllowed(
            "We have received several applications from you today. Try again tomorrow."
        )
    if supplier is not None and supplier.status != SupplierStatus.APPOINTED:
        raise TransitionNotAllowed("Only suppliers appointed to the framework can extend their offer.")
    if not categories:
        raise ValidationError({"categories": "Choose at least one service category"})
    if not regions and not pcc_areas:
        raise ValidationError({"regions": "Choose at least one region or PCC area"})
    checked = _checked_documents(documents or [])
    application = SupplierApplication(
        supplier=supplier,
        submitted_at=timezone.now(),
        client_ip=client_ip if supplier is None else None,
        **answers,
    )
    application.full_clean(exclude=["supplier", "client_ip"])
    application.save()
    application.categories.set(categories)
    application.regions.set(regions)
    application.pcc_areas.set(pcc_areas)
    for name, kind, data in checked:
        ApplicationDocument.objects.create(
            application=application, name=name, content_type=kind.mime, size=len(data), data=data
        )
    _audit(
        AuditAction.CREATE,
        acting_user,
        application,
        str(application),
        {"categories": [None, sorted(c.pk for c in categories)]},
    )
    return application


@transaction.atomic
def assess_section(
    *, acting_user: Any, application_id: int, section: SqSection, passed: bool, reason: str
) -> SupplierApplication:
    """Records one section's result; once every section is assessed the application is
    decided: passed means appointed (no limit on numbers), failed means told why."""
    application = SupplierApplication.objects.select_for_update().get(pk=application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise TransitionNotAllowed("This application has already been decided.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the result"})
    SectionAssessment.objects.update_or_create(
        application=application,
        section=section,
        defaults={
            "passed": passed,
            "reason": reason.strip(),
            "assessed_at": timezone.now(),
            "assessed_by": acting_user,
        },
    )
    _audit(
        AuditAction.UPDATE,
        acting_user,
        application,
        str(application),
        {section: [None, "pass" if passed else "fail"]},
    )
    results = dict(application.assessments.values_list("section", "passed"))
    decision = rules.sq_decision(results, list(SqSection.values))
    if decision is not None:
        _decide(acting_user, application, decision)
    return application


def _decide(acting_user: Any, application: SupplierApplication, decision: str) -> None:
    application.status, application.decided_at = decision, timezone.now()
    application.save()
    if decision == ApplicationStatus.PASSED:
        _appoint(application)
    _audit(
        AuditAction.UPDATE,
        acting_user,
        application,
        str(application),
        {"status": [ApplicationStatus.SUBMITTED, decision]},
    )
    _tell_the_applicant(application)


def _tell_the_applicant(application: SupplierApplication) -> None:
    """The applicant is told the result and, if it failed, why, section by section; sent
    once the transaction commits so a rolled-back decision is never announced."""
    if not application.contact_email:
        return
    if application.status == ApplicationStatus.PASSED:
        subject = "You have been appointed to the Probation Services Dynamic Framework"
        body = "Your Selection Questionnaire passed. You will be invited to call-off competitions you qualify for."
    else:
        subject = "Your Selection Questionnaire did not pass"
        failed = application.assessments.filter(passed=False).order_by("section")
        reasons = "\n".join(f"- {r.get_section_display()}: {r.reason}" for r in failed)
        body = f"These sections did not pass:\n{reasons}\n\nYou can apply again at any time."
    message = f"Dear {application.contact_name},\n\n{body}\n\nReference SQ{application.pk}"
    recipient = application.contact_email
    transaction.on_commit(lambda: _send(subject, message, recipient))


def _send(subject: str, message: str, recipient: str) -> None:
    """Mail failures are logged, never shown to the assessor: the decision stands."""
    try:
        send_mail(subject, message, None, [recipient])
    except OSError:
        logger.exception("Could not email the applicant %s", recipient)


def _appoint(application: SupplierApplication) -> Supplier:
    supplier = application.supplier
    if supplier is None:
        base = "".join(ch if ch.isalnum() else "_" for ch in application.organisation_name.upper())[
            :30
        ].strip("_")
        code, n = base, 1
        while Supplier.objects.filter(code=code).exists():
            n += 1
            code = f"{base[:27]}_{n}"
        # The organisation its staff sign in through; an administrator adds their accounts.
        organisation = ExternalOrganisation.objects.create(
            code=f"SUPPLIER-{code}"[:60], name=application.organisation_name, kind=OrganisationKind.PROVIDER
        )
        supplier = Supplier.objects.create(
            code=code,
            name=application.organisation_name,
            appointed_on=timezone.localdate(),
            organisation=organisation,
        )
        application.supplier = supplier
        application.save(update_fields=["supplier"])
    supplier.status = SupplierStatus.APPOINTED
    supplier.save(update_fields=["status"])
    places = [("region", r) for r in application.regions.all()] + [
        ("pcc_area", p) for p in application.pcc_areas.all()
    ]
    Qualification.objects.bulk_create(
        Qualification(supplier=supplier, category=category, application=application, **{kind: place})
        for category in application.categories.all()
        for kind, place in places
    )
    return supplier


@transaction.atomic
def link_supplier_organisation(
    *, acting_user: Any, supplier_id: int, organisation_id: int, expected_version: int
) -> Supplier:
    """Links a supplier to the provider organisation its staff sign in through (suppliers
    of the 2021 contracts were appointed before the platform, so have none yet). One
    organisation belongs to one supplier, since its staff see that supplier's referrals."""
    supplier = lock_at_version(Supplier, supplier_id, expected_version)
    organisation = ExternalOrganisation.objects.get(pk=organisation_id, kind=OrganisationKind.PROVIDER)
    taken = Supplier.objects.filter(organisation=organisation).exclude(pk=supplier.pk).first()
    if taken is not None:
        raise ValidationError({"organisation_id": f"This organisation already belongs to {taken.name}"})
    before = supplier.organisation_id
    if before != organisation.pk:
        supplier.organisation = organisation
        supplier.bump_version()
        supplier.save(update_fields=["organisation", "version"])
        _audit(
            AuditAction.UPDATE,
            acting_user,
            supplier,
            supplier.name,
            {"organisation": [before, organisation.pk]},
        )
    return supplier
