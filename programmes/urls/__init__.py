"""The programmes context's pages, one module per aggregate."""

from programmes.urls import catalogue, groups, hub, performance, referrals

app_name = "programmes"
urlpatterns = [
    *hub.urlpatterns,
    *catalogue.urlpatterns,
    *referrals.urlpatterns,
    *groups.urlpatterns,
    *performance.urlpatterns,
]
