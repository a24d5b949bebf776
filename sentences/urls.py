from django.urls import path

from sentences import views

app_name = "sentences"
urlpatterns = [
    path("cases/<str:crn>/events/new/", views.event_new, name="event_new"),
    path("cases/<str:crn>/sentences/<int:sentence_id>/end/", views.sentence_end, name="sentence_end"),
    path(
        "cases/<str:crn>/requirements/<int:requirement_id>/end/",
        views.requirement_end,
        name="requirement_end",
    ),
]
