"""Small parsers shared by every capability's services: every refusal names its field."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from commonground.core.errors import InvalidInput

MAX_VALUE = Decimal("1e15")


class Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "Some fields need correcting.") -> None:
        if self:
            raise InvalidInput(message, fields=self)


def text(
    data: dict[str, Any],
    key: str,
    errors: Errors,
    *,
    required: bool = False,
    max_length: int | None = None,
    label: str = "",
) -> str:
    value = str(data.get(key) or "").strip()
    if "\x00" in value:
        errors.add(key, "Remove the null character (U+0000).")
    if required and not value:
        errors.add(key, f"Give {label or key.replace('_', ' ')}.")
    if max_length and len(value) > max_length:
        errors.add(key, f"Keep it to {max_length} characters.")
    return value


def decimal(
    value: Any, key: str, errors: Errors, *, required: bool = False, label: str = "a number"
) -> Decimal | None:
    if type(value) is Decimal:  # already parsed (an import parses each distinct cell once)
        number = value
    elif value is None or value == "":
        if required:
            errors.add(key, f"Give {label}.")
        return None
    else:
        if isinstance(value, float):
            value = repr(value)
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            errors.add(key, f"“{value}” is not a number.")
            return None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        errors.add(key, f"“{value}” is not a usable number.")
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
        errors.add(key, "Give a date as YYYY-MM-DD.")
        return None


def choice(value: Any, key: str, errors: Errors, choices: Any, default: str | None = None) -> str:
    value = str(value or default or "")
    allowed = [str(c) for c in choices.values]
    if value not in allowed:
        errors.add(key, f"Choose one of: {', '.join(allowed)}.")
    return value
