from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("allocations/", views.unallocated, name="unallocated"),
    path("enforcement/", views.timeliness, name="timeliness"),
    path("cases/<str:crn>/appointments/new/", views.appointment_new, name="appointment_new"),
    path("cases/<str:crn>/appointments/<int:appointment_id>/outcome/", views.outcome, name="outcome"),
    path(
        "cases/<str:crn>/appointments/<int:appointment_id>/enforcement/",
        views.enforcement,
        name="enforcement",
    ),
    path("cases/<str:crn>/breaches/<int:breach_id>/", views.breach, name="breach"),
    path("cases/<str:crn>/notes/new/", views.note_new, name="note_new"),
    path("cases/<str:crn>/allocate/", views.allocate, name="allocate"),
]
