from django.contrib import admin
from django.urls import include, path

from theatre.views import home


theatre_patterns = [
    path("", home.home, name="home"),
]

urlpatterns = [
    path("", include((theatre_patterns, "theatre"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/rq/", include("django_rq.urls")),
    path("admin/", admin.site.urls),
]
