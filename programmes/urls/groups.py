"""Pages of the programmes context: groups."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
