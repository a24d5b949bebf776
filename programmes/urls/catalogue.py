"""Pages of the programmes context: the catalogue, the delivery suite, rooms and the panel."""

from django.urls import URLPattern, path

from programmes.views import catalogue as views

urlpatterns: list[URLPattern] = [
    path("programmes/catalogue/", views.catalogue, name="catalogue"),
    path("programmes/catalogue/<slug:code>/", views.programme, name="programme"),
    path("programmes/catalogue/<slug:code>/templates/new/", views.template_new, name="template_new"),
    path(
        "programmes/catalogue/<slug:code>/panel/<slug:step>/",
        views.intervention_decision,
        name="intervention_decision",
    ),
    path("programmes/interventions/new/", views.intervention_new, name="intervention_new"),
    path("programmes/delivery-suite/", views.suites, name="suites"),
    path("programmes/delivery-suite/<str:region_id>/", views.suite, name="suite"),
    path("programmes/delivery-suite/<str:region_id>/offers/new/", views.offer_new, name="offer_new"),
    path("programmes/delivery-suite/<str:region_id>/reviews/", views.reviews, name="reviews"),
    path("programmes/delivery-suite/<str:region_id>/reviews/new/", views.review_new, name="review_new"),
    path("programmes/offers/<int:offer_id>/end/", views.offer_end, name="offer_end"),
    path("programmes/rooms/", views.rooms, name="rooms"),
    path("programmes/rooms/new/", views.room_new, name="room_new"),
    path("programmes/rooms/<int:room_id>/", views.room, name="room"),
    path("programmes/rooms/<int:room_id>/retire/", views.room_retire, name="room_retire"),
]
