"""Pages of the programmes context: groups, sessions and delivery."""

from django.urls import URLPattern, path

from programmes.views import groups as views

urlpatterns: list[URLPattern] = [
    path("programmes/groups/", views.groups, name="groups"),
    path("programmes/groups/new/", views.group_new, name="group_new"),
    path("programmes/groups/<int:group_id>/", views.group, name="group"),
    path("programmes/groups/<int:group_id>/cancel/", views.group_cancel, name="group_cancel"),
    path(
        "programmes/groups/<int:group_id>/sessions/<int:session_id>/",
        views.session_register,
        name="group_session",
    ),
    path(
        "programmes/groups/<int:group_id>/sessions/<int:session_id>/reschedule/",
        views.session_reschedule,
        name="group_session_reschedule",
    ),
    path(
        "programmes/groups/<int:group_id>/sessions/<int:session_id>/book/",
        views.session_book,
        name="group_session_book",
    ),
    path(
        "programmes/groups/<int:group_id>/members/<int:member_id>/catch-up/",
        views.member_catch_up,
        name="group_member_catch_up",
    ),
    path(
        "programmes/groups/<int:group_id>/members/<int:member_id>/delivery/",
        views.member_delivery,
        name="group_member_delivery",
    ),
    path(
        "programmes/groups/<int:group_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="group_member_remove",
    ),
    path(
        "programmes/groups/<int:group_id>/members/<int:member_id>/deselect/",
        views.member_deselect,
        name="group_member_deselect",
    ),
    path("programmes/facilitators/diary/", views.diary, name="facilitator_diary"),
]
