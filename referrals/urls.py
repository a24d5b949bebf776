from django.urls import path

from referrals import contract_management, views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referral_list, name="list"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<int:referral_id>/<slug:action>/", views.referral_action, name="action"),
    path("cases/<str:crn>/referrals/", views.person_referrals, name="person"),
    path("cases/<str:crn>/referrals/new/<int:contract_id>/", views.referral_new, name="new"),
    path("services/performance/", contract_management.region_performance, name="performance"),
    path(
        "services/contracts/<int:contract_id>/performance/",
        contract_management.contract_performance,
        name="contract_performance",
    ),
]
