from typing import Any

from django import forms
from django.utils.translation import gettext_noop

from commonground.core.errors import DomainError

# Django 6.1's own empty choice of a select. Django's catalogue has no Spanish for it yet; core's
# catalogue (searched before Django's) supplies it.
gettext_noop("- Select an option -")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: on the named fields where it names them."""
    placed = False
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or not all(field in form.fields for field in error.fields):
        form.add_error(None, error.message)


class CodelistSelect(forms.Select):
    """A choice among IATI codelist labels. IATI publishes them in English (and French) only, so
    they stay English in every interface language, and each option says so with lang="en" (a
    screen reader then reads it with English pronunciation). The empty choice is ours and is
    translated like any other text."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if option["value"] not in ("", None):
            option["attrs"]["lang"] = "en"
        return option
