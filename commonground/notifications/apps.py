from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "commonground.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The digest is notifications' own kind of message, with its own e-mail.
        from commonground.notifications.registry import register_kind
        from commonground.notifications.services import digests

        register_kind(digests.DIGEST_KIND, message=digests.digest_message)
