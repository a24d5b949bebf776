"""Rendering helpers shared by the case pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from audit import services as audit


def form_page(
    request: HttpRequest,
    form: Any,
    title: str,
    submit: str,
    back_url: str,
    *,
    template: str = "form_page.html",
    **extra: Any,
) -> HttpResponse:
    """A one-question-per-page form with the GOV.UK error summary; 400 when the form has errors."""
    context = {"form": form, "title": title, "submit": submit, "back_url": back_url, **extra}
    return render(request, template, context, status=400 if form.errors else 200)


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
