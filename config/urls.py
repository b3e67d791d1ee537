from django.contrib import admin
from django.urls import include, path

from commonground.core import views as core_views
from commonground.core.access import declare
from config.api import api

handler404 = "commonground.core.views.page_not_found"
handler403 = "commonground.core.views.permission_denied"

urlpatterns = [
    path("", declare(core_views.home, "public"), name="home"),
    path("healthz", declare(core_views.healthz, "public"), name="healthz"),
    path("accessibility/", declare(core_views.accessibility, "public"), name="accessibility"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("commonground.accounts.urls")),
    path("", include("commonground.partnerships.urls")),
    path("", include("commonground.results.urls")),
    path("", include("commonground.reporting.urls")),
    path("", include("commonground.notifications.urls")),
    path("", include("commonground.work.urls")),
]
