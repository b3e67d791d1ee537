"""The reporting capability's pages: each area's views module lists its own urlpatterns."""

from commonground.reporting.views import exports, notifications, plan, reports, updates

app_name = "reporting"

urlpatterns = [
    *reports.urlpatterns,
    *updates.urlpatterns,
    *plan.urlpatterns,
    *notifications.urlpatterns,
    *exports.urlpatterns,
]
