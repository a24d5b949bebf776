"""Pages of the programmes context: referrals, their steps and the waitlist."""

from django.urls import URLPattern, path

from programmes.views import referrals as views

urlpatterns: list[URLPattern] = [
    path("cases/<str:crn>/programme-referrals/new/", views.referral_new, name="referral_new"),
    path("programme-referrals/", views.waitlist, name="waitlist"),
    path("programme-referrals/waitlist.csv", views.waitlist_csv, name="waitlist_csv"),
    path("programme-referrals/<int:programme_referral_id>/", views.referral_detail, name="referral"),
    path(
        "programme-referrals/<int:programme_referral_id>/referred/",
        views.referral_referred,
        name="referral_referred",
    ),
    path(
        "programme-referrals/<int:programme_referral_id>/steps/<str:referral_step>/",
        views.referral_step,
        name="referral_step",
    ),
    path("programme-referrals/<int:programme_referral_id>/ldc/", views.referral_ldc, name="referral_ldc"),
    path(
        "programme-referrals/<int:programme_referral_id>/availability/",
        views.referral_availability,
        name="referral_availability",
    ),
    path(
        "programme-referrals/<int:programme_referral_id>/non-associations/new/",
        views.referral_non_association,
        name="referral_non_association",
    ),
    path(
        "programme-referrals/<int:programme_referral_id>/partner-contacts/new/",
        views.partner_contact_new,
        name="partner_contact_new",
    ),
]
