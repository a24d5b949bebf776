"""Pages of the programmes context: catalogue."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
