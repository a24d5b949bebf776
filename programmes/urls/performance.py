"""Pages of the programmes context: commencement figures."""

from django.urls import path

from programmes.views import performance

urlpatterns = [
    path("programmes/commencements/", performance.commencements, name="commencements"),
]
