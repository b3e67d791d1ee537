"""Helpers the results pages share: the page context, objects scoped to the seat's partnership,
status words, and downloads that spreadsheets cannot turn into formulas."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import charts
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.results import periods, progress
from commonground.results.access import ResultsPerm
from commonground.results.forms import NO_STATUS
from commonground.results.models import Indicator, IndicatorProgress

NOT_ASSESSED = gettext_lazy("Not assessed")


def page_context(seat: Seat, **extra: object) -> dict[str, object]:
    return {
        "seat": seat,
        "partnership": seat.partnership,
        "can_edit": can(seat, ResultsPerm.EDIT_FRAMEWORK),
        "can_report": can(seat, ResultsPerm.REPORT_RESULTS),
        "can_review": can(seat, ResultsPerm.REVIEW_RESULTS),
        **extra,
    }


def status_label(status: str | None) -> str:
    try:
        return progress.STATUS_LABELS[progress.Status(status or "")]
    except ValueError:
        return str(NOT_ASSESSED)


def status_slug(status: str | None) -> str:
    return status or NO_STATUS


def period_label(start: dt.date, end: dt.date) -> str:
    try:
        return periods.Period(start, end).label
    except periods.PeriodError:
        return _("%(start)s to %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }


def summary_of(indicator: Indicator) -> IndicatorProgress | None:
    try:
        return indicator.progress
    except IndicatorProgress.DoesNotExist:
        return None


def url_pattern(name: str, *args: object) -> Callable[[int], str]:
    """`url_pattern("results:indicator", 5)(12)` is reverse("results:indicator", args=[5, 12]),
    with the pattern reversed once: for pages that link every row of a long list."""
    marker = 987654321987654321
    head, tail = reverse(name, args=[*args, marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def status_bar(title: str, percent: Decimal | None, status: str | None) -> SafeString:
    return charts.progress_bar(
        percent=percent,
        status=status_slug(status),
        label=title,
        status_label=status_label(status),
    )


def shown(value: object) -> object:
    """A stored decimal as a person would type it: 0.0000 → "0", 12.5000 → "12.5"."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    return value


def to_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def require_version(form: forms.Form) -> None:
    form.fields["version"].required = True


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ gets a
    leading quote. Numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def plain_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(safe_cell(value))


def csv_response(filename: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Any:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([plain_cell(cell) for cell in row])
    return download(buffer.getvalue(), filename, "text/csv; charset=utf-8")


def download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_slug(text: str, fallback: str) -> str:
    return slugify(text)[:60] or fallback
