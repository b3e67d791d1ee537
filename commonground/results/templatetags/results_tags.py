"""Template helpers of the results pages."""

import os
from decimal import Decimal

from django import forms, template
from django.utils.formats import get_format

from commonground.core.charts import format_number
from commonground.partnerships.access import can, permission
from commonground.partnerships.models import Seat

register = template.Library()


@register.filter
def may(seat: Seat | None, perm: str) -> bool:
    """`{% if seat|may:"results.review" %}`: the access policy's answer, never a role check."""
    return can(seat, permission(perm))


def _localised(text: str) -> str:
    """A number written as "1,250.5" with the active language's separators ("1.250,5")."""
    decimal_point = str(get_format("DECIMAL_SEPARATOR"))
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    if (decimal_point, thousands) == (".", ","):
        return text
    return text.translate({ord(","): thousands, ord("."): decimal_point})


@register.filter
def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """1250.5000 → "1,250.5" in English, "1.250,5" in Spanish (at most `places` decimals);
    empty for no value."""
    return _localised(format_number(value, places, missing=""))


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
    text = _localised(format_number(value, 1, missing=""))
    return f"{text}%" if text else ""
