"""Rendering helpers shared by every app's form pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
