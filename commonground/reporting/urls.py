"""The reporting capability's pages: each area's views module lists its own urlpatterns."""

from commonground.reporting.views import exports, plan, reports, updates

app_name = "reporting"

urlpatterns = [
    *reports.urlpatterns,
    *updates.urlpatterns,
    *plan.urlpatterns,
    *exports.urlpatterns,
]
