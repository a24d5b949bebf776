from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<str:crn>/", views.person_detail, name="detail"),
]
