from django import forms

from commonground.core.errors import DomainError


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
