"""The portfolio: every partnership the person can see with its stored progress summary."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in, signed_in_user
from commonground.partnerships.access import visible_partnerships
from commonground.partnerships.models import Partnership
from commonground.results import progress
from commonground.results.forms import NO_STATUS, PortfolioFilterForm
from commonground.results.views._shared import (
    NOT_ASSESSED,
    status_bar,
    status_label,
    status_slug,
    url_pattern,
)

PORTFOLIO_PAGE_SIZE = 50


PORTFOLIO_COUNTS = [*progress.STATUS_LABELS.items()]


@dataclass
class PortfolioRow:
    pk: int
    url: str
    title: str
    geography: str
    status: str
    status_label: str
    percent: Decimal | None
    indicator_count: int
    counts: list[tuple[str, str, int]]
    bar: SafeString | None = None


class _CountedPaginator(Paginator):
    """A paginator told its count (from the status totals' GROUP BY): no COUNT query."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _has(field: str, value: object) -> Q:
    """The JSON list `field` contains `value`, in the database: `contains` where the backend has
    it (PostgreSQL), json_each on SQLite (which has no JSON containment)."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]})
    quote = connection.ops.quote_name
    column = f"{quote(Partnership._meta.db_table)}.{quote(field)}"  # JSON fields: column = name
    # Only the model's own table and column names go into the text; the value is a parameter.
    sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = %s)"  # noqa: S608
    return Q(RawSQL(sql, [value], output_field=BooleanField()))  # noqa: S611


def _filter_fields(form: PortfolioFilterForm) -> SafeString:
    """The filter form's fields. Django renders every <option> through a template: the ~230
    sectors took about 9 ms a request, a fifth of the page. A valid choice of filters is
    rendered once per process (choices are code lists, fixed for the process); anything else,
    errors included, is rendered each time."""
    if form.is_bound and not form.is_valid():
        return render_to_string("results/_portfolio_filters.html", {"form": form})
    chosen = tuple(form.data.get(name) for name in form.fields) if form.is_bound else None
    return _valid_filter_fields(chosen, get_language())


@functools.lru_cache(maxsize=256)
def _valid_filter_fields(chosen: tuple[str | None, ...] | None, language: str) -> SafeString:
    data = (
        None if chosen is None else dict(zip(PortfolioFilterForm.base_fields, chosen, strict=True))
    )
    form = PortfolioFilterForm(data)
    return render_to_string("results/_portfolio_filters.html", {"form": form})


def _portfolio(user: object, status: str, sector: str, goal: int | None) -> QuerySet[Partnership]:
    """The partnerships the person can see, filtered, in title order: all in the database."""
    found = visible_partnerships(user).order_by("title", "pk")
    if status == NO_STATUS:
        found = found.filter(Q(progress__isnull=True) | Q(progress__status=""))
    elif status:
        found = found.filter(progress__status=status)
    if sector:
        found = found.filter(_has("sectors", sector))
    if goal is not None:
        found = found.filter(_has("sdg_goals", goal))
    return found


def _status_totals(found: QuerySet[Partnership]) -> dict[str, int]:
    """How many of the partnerships have each overall status: one GROUP BY."""
    totals: dict[str, int] = {}
    for state, count in (
        found.order_by().values_list("progress__status").annotate(count=Count("pk"))
    ):
        slug = status_slug(state or "")
        totals[slug] = totals.get(slug, 0) + count
    return totals


def _row(row: dict[str, Any], link: Callable[[int], str]) -> PortfolioRow:
    state = row["progress__status"] or ""
    counts = row["progress__counts"] or {}
    portfolio_row = PortfolioRow(
        pk=row["pk"],
        url=link(row["pk"]),
        title=row["title"],
        geography=row["geography"],
        status=status_slug(state),
        status_label=status_label(state),
        percent=row["progress__percent"],
        indicator_count=row["progress__indicator_count"] or 0,
        counts=[
            (s.value, label, int(counts[s.value]))
            for s, label in PORTFOLIO_COUNTS
            if counts.get(s.value)
        ],
    )
    portfolio_row.bar = status_bar(row["title"], row["progress__percent"], state)
    return portfolio_row


@signed_in
@require_http_methods(["GET"])
def portfolio(request: HttpRequest) -> HttpResponse:
    """One page of the portfolio. The database filters, counts by status (one GROUP BY) and
    pages (LIMIT/OFFSET): only the shown rows reach Python, however many partnerships there
    are."""
    form = PortfolioFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = _portfolio(
        signed_in_user(request), data.get("status", ""), data.get("sector", ""), data.get("goal")
    )
    totals = _status_totals(found)
    total = sum(totals.values())
    rows = found.values(
        "pk",
        "title",
        "geography",
        "progress__status",
        "progress__percent",
        "progress__counts",
        "progress__indicator_count",
    )
    page = _CountedPaginator(rows, PORTFOLIO_PAGE_SIZE, total).get_page(request.GET.get("page"))
    link = url_pattern("results:framework")
    page.object_list = [_row(row, link) for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "results/portfolio.html",
        {
            "form": form,
            "filter_fields": _filter_fields(form),
            "page": page,
            "total": total,
            "totals": [
                (slug, f"{label}: {totals[slug]}")
                for slug, label in [
                    *((s.value, text) for s, text in progress.STATUS_LABELS.items()),
                    (NO_STATUS, str(NOT_ASSESSED)),
                ]
                if totals.get(slug)
            ],
            "filter_query": query.urlencode(),
        },
    )
