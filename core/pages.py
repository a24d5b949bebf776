"""Rendering helpers shared by the case pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


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
    GOV.UK error summary, and 400 when the form has errors."""
    context = {
        "form": form,
        "title": title,
        "caption": f"{person.full_name} ({person.crn})",
        "submit": submit,
        "back_url": reverse("people:detail", args=[person.crn]),
        **extra,
    }
    return render(request, template, context, status=400 if form.errors else 200)
