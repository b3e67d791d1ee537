"""Small parsers shared by every capability's services: every refusal names its field."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from commonground.core.errors import InvalidInput

MAX_VALUE = Decimal("1e15")


class Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self, message: str | None = None) -> None:
        if self:
            raise InvalidInput(message or _("Some fields need correcting."), fields=self)


def text(
    data: dict[str, Any],
    key: str,
    errors: Errors,
    *,
    required: bool = False,
    max_length: int | None = None,
    label: str = "",
) -> str:
    """`label` names what is missing, translated, with its article: `label=_("a title")`."""
    value = str(data.get(key) or "").strip()
    if "\x00" in value:
        errors.add(key, _("Remove the null character (U+0000)."))
    if required and not value:
        errors.add(key, _("Give %(label)s.") % {"label": label} if label else _("Fill this in."))
    if max_length and len(value) > max_length:
        errors.add(key, _("Keep it to %(count)d characters.") % {"count": max_length})
    return value


def decimal(
    value: Any, key: str, errors: Errors, *, required: bool = False, label: str = ""
) -> Decimal | None:
    """`label` names the number asked for, translated, with its article: `_("the target")`."""
    if type(value) is Decimal:  # already parsed (an import parses each distinct cell once)
        number = value
    elif value is None or value == "":
        if required:
            errors.add(key, _("Give %(label)s.") % {"label": label or _("a number")})
        return None
    else:
        if isinstance(value, float):
            value = repr(value)
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            errors.add(key, _("“%(value)s” is not a number.") % {"value": value})
            return None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        errors.add(key, _("“%(value)s” is not a usable number.") % {"value": value})
        return None
    return number


def date(value: Any, key: str, errors: Errors) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(key, _("Give a date as YYYY-MM-DD."))
        return None


def choice(value: Any, key: str, errors: Errors, choices: Any, default: str | None = None) -> str:
    value = str(value or default or "")
    allowed = [str(c) for c in choices.values]
    if value not in allowed:
        errors.add(key, _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    return value
