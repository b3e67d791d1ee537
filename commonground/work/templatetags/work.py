"""The header's counts of a person's work: overdue, due soon, waiting for their review."""

from typing import Any

from django import template

from commonground.accounts.models import User
from commonground.work.selectors import work_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def my_work_counts(context: dict[str, Any]) -> dict[str, int]:
    user = context.get("user")
    return work_counts(user) if isinstance(user, User) else {}
