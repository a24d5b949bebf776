"""The programmes context's pages, one module per aggregate."""

from programmes.urls import catalogue, groups, performance, referrals

app_name = "programmes"
urlpatterns = [*catalogue.urlpatterns, *referrals.urlpatterns, *groups.urlpatterns, *performance.urlpatterns]
