from django.urls import path

from risk import views

app_name = "risk"
urlpatterns = [
    path("cases/<str:crn>/risk/assessments/new/", views.assessment_new, name="assessment_new"),
    path("cases/<str:crn>/risk/registrations/new/", views.registration_new, name="registration_new"),
    path(
        "cases/<str:crn>/risk/registrations/<int:registration_id>/end/",
        views.registration_end,
        name="registration_end",
    ),
    path("cases/<str:crn>/risk/mappa/", views.mappa, name="mappa"),
]
