from django.urls import path

from commissioning import views
from commissioning.competitions import views as competition_views

app_name = "commissioning"
urlpatterns = [
    path("services/contracts/", views.contract_list, name="contracts"),
    path("services/contracts/<int:contract_id>/", views.contract_detail, name="contract"),
    path("services/regional/", views.regional_services, name="regional"),
    path("framework/apply/", views.apply, name="apply"),
    path("framework/extend/", views.extend, name="extend"),
    path("framework/applications/", views.applications, name="applications"),
    path("framework/applications/<int:application_id>/", views.application, name="application"),
    path(
        "framework/applications/<int:application_id>/documents/<int:document_id>/",
        views.application_document,
        name="application_document",
    ),
    path("framework/suppliers/", views.suppliers, name="suppliers"),
    path(
        "framework/suppliers/<int:supplier_id>/organisation/",
        views.supplier_organisation,
        name="supplier_organisation",
    ),
    path("framework/agreement/", competition_views.agreement, name="agreement"),
    path("framework/commissioners/", competition_views.commissioners, name="commissioners"),
    path("framework/competitions/", competition_views.competition_list, name="competitions"),
    path("framework/competitions/new/", competition_views.competition_new, name="competition_new"),
    path(
        "framework/competitions/<int:competition_id>/",
        competition_views.competition_detail,
        name="competition",
    ),
    path(
        "framework/competitions/<int:competition_id>/<slug:step>/",
        competition_views.competition_step,
        name="competition_step",
    ),
    path("cases/<str:crn>/services/", views.person_services, name="person_services"),
]
