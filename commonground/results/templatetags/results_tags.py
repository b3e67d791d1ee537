"""Template helpers of the results pages."""

import os
from decimal import Decimal

from django import forms, template

from commonground.core.charts import format_number
from commonground.partnerships.access import can, permission
from commonground.partnerships.models import Seat

register = template.Library()


@register.filter
def may(seat: Seat | None, perm: str) -> bool:
    """`{% if seat|may:"results.review" %}`: the access policy's answer, never a role check."""
    return can(seat, permission(perm))


@register.filter
def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """1250.5000 → "1,250.5" in English, "1.250,5" in Spanish (at most `places` decimals);
    empty for no value."""
    return format_number(value, places, missing="")  # core writes it in the language


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def field(form: forms.Form, name: str) -> forms.BoundField | None:
    """`form|field:name`: the bound field, or None when the form left it out."""
    return form[name] if name in form.fields else None


@register.filter
def basename(path: str) -> str:
    return os.path.basename(str(path))


@register.filter
def percent(value: Decimal | float | int | None) -> str:
    """56.1445 → "56.1%" ("56,1%" in Spanish); empty for no value."""
    text = format_number(value, 1, missing="")
    return f"{text}%" if text else ""
