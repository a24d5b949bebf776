"""Pages of the programmes context: referrals."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
