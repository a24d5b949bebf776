from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("<str:crn>/", views.person_detail, name="detail"),
    path("<str:crn>/aliases/new/", views.alias_new, name="alias_new"),
    path("<str:crn>/address/", views.address_new, name="address_new"),
]
