from django.urls import path

from organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.regions, name="regions"),
    path("regions/<str:region_id>/", views.region, name="region"),
    path("pdus/new/", views.pdu_new, name="pdu_new"),
    path("pdus/<int:pdu_id>/", views.pdu, name="pdu"),
    path("pdus/<int:pdu_id>/rename/", views.pdu_rename, name="pdu_rename"),
    path("pdus/<int:pdu_id>/retire/", views.pdu_retire, name="pdu_retire"),
    path("pdus/<int:pdu_id>/teams/new/", views.team_new, name="team_new"),
    path("pdus/<int:pdu_id>/staff/new/", views.staff_new, name="staff_new"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("staff/<int:staff_id>/", views.staff, name="staff"),
    path("offices/new/", views.office_new, name="office_new"),
    path("offices/<int:office_id>/", views.office, name="office"),
    path("offices/<int:office_id>/edit/", views.office_edit, name="office_edit"),
    path("offices/<int:office_id>/retire/", views.office_retire, name="office_retire"),
]
