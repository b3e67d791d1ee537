"""The notifications pages: the inbox, digest choices, the calendar feed page, and the two
addresses whose secret is the credential (unsubscribe, the feed itself)."""

from commonground.notifications import views

app_name = "notifications"

urlpatterns = views.urlpatterns
