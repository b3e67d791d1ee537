"""The unread-notification count in the page header."""

from typing import Any

from django import template

from commonground.accounts.models import User
from commonground.notifications.services.inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many notifications the signed-in person has not read: one COUNT query."""
    user = context.get("user")
    return unread_count(user) if isinstance(user, User) else 0
