"""Pages of the programmes context: the landing page and the Partner Link Worker's caseload."""

from django.urls import path

from programmes.views import hub

urlpatterns = [
    path("programmes/", hub.home, name="home"),
    path("programmes/partner-link-work/", hub.partner_work, name="partner_work"),
]
