from django.urls import path

from unpaid_work import views

app_name = "unpaid_work"
urlpatterns = [
    path("community-payback/nominate/", views.nominate, name="nominate"),
    path("unpaid-work/nominations/", views.nominations, name="nominations"),
    path(
        "unpaid-work/nominations/<int:nomination_id>/decline/",
        views.nomination_decline,
        name="nomination_decline",
    ),
    path("unpaid-work/dashboard/", views.dashboard, name="dashboard"),
    path("unpaid-work/projects/", views.projects, name="projects"),
    path("unpaid-work/projects/new/", views.project_new, name="project_new"),
    path("unpaid-work/projects/<int:project_id>/", views.project, name="project"),
    path("unpaid-work/sessions/<int:session_id>/", views.session_register, name="session"),
    path(
        "unpaid-work/sessions/<int:session_id>/stand-down/",
        views.session_stand_down,
        name="session_stand_down",
    ),
    path("unpaid-work/orders/<int:order_id>/", views.order, name="order"),
    path(
        "unpaid-work/requirements/<int:requirement_id>/order/",
        views.requirement_order,
        name="requirement_order",
    ),
    path("unpaid-work/planner/", views.planner, name="planner"),
    path("unpaid-work/planner/<int:plan_id>/", views.plan, name="plan"),
    path(
        "unpaid-work/sessions/<int:session_id>/supervisors/",
        views.session_supervisors,
        name="session_supervisors",
    ),
]
