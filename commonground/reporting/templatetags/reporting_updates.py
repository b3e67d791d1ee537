"""Template helpers of the updates pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from commonground.reporting import markdown

register = template.Library()


@register.filter
def sanitised(html: str | None) -> SafeString:
    """Stored update HTML, cleaned once more against today's allow-list before it is shown."""
    return mark_safe(markdown.clean(html or ""))  # noqa: S308 - nh3 has just cleaned it
