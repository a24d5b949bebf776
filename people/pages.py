"""The form page about one person, shared by every context above ``people``.

It lives here rather than in the kernel because showing it is an audited read of the
person's record, and the kernel imports no app (the audit trail included)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from audit import services as audit
from core.pages import form_page


def person_form_page(
    request: HttpRequest,
    form: Any,
    person: Any,
    title: str,
    submit: str,
    *,
    template: str = "form_page.html",
    **extra: Any,
) -> HttpResponse:
    """A one-question-per-page form about a person: caption, back link to their record,
    GOV.UK error summary, and 400 when the form has errors.

    The page names the person (and often shows part of their record), so showing it
    is an audited read, recorded here once for every such form."""
    audit.record_read(f"form: {title}", actor=request.user, person=person)
    back_url = reverse("people:detail", args=[person.crn])
    caption = f"{person.full_name} ({person.crn})"
    return form_page(request, form, title, submit, back_url, template=template, caption=caption, **extra)
