"""The portfolio: every partnership the person can see with its stored progress summary."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in, signed_in_user
from commonground.partnerships.access import visible_partnerships
from commonground.results import progress
from commonground.results.forms import NO_STATUS, PortfolioFilterForm
from commonground.results.views._shared import NOT_ASSESSED, status_bar, status_label, status_slug

PORTFOLIO_PAGE_SIZE = 50


PORTFOLIO_COUNTS = [*progress.STATUS_LABELS.items()]


@dataclass
class PortfolioRow:
    pk: int
    title: str
    geography: str
    status: str
    status_label: str
    percent: Decimal | None
    indicator_count: int
    counts: list[tuple[str, str, int]]
    bar: SafeString | None = None


def _portfolio_rows(user: object, status: str, sector: str, goal: int | None) -> list[PortfolioRow]:
    """Every partnership the person can see with its stored progress summary, filtered: one
    query, however many partnerships (JSON list filters run in the database where it can)."""
    found = visible_partnerships(user).order_by("title", "pk")
    if status == NO_STATUS:
        found = found.filter(Q(progress__isnull=True) | Q(progress__status=""))
    elif status:
        found = found.filter(progress__status=status)
    in_database = connection.features.supports_json_field_contains
    if in_database and sector:
        found = found.filter(sectors__contains=[sector])
    if in_database and goal is not None:
        found = found.filter(sdg_goals__contains=[goal])
    rows = []
    for row in found.values(
        "pk",
        "title",
        "geography",
        "sectors",
        "sdg_goals",
        "progress__status",
        "progress__percent",
        "progress__counts",
        "progress__indicator_count",
    ):
        if not in_database and (
            (sector and sector not in (row["sectors"] or []))
            or (goal is not None and goal not in (row["sdg_goals"] or []))
        ):
            continue
        state = row["progress__status"] or ""
        counts = row["progress__counts"] or {}
        rows.append(
            PortfolioRow(
                pk=row["pk"],
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
        )
    return rows


@signed_in
@require_http_methods(["GET"])
def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = _portfolio_rows(
        signed_in_user(request), data.get("status", ""), data.get("sector", ""), data.get("goal")
    )
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.status] = totals.get(row.status, 0) + 1
    page = Paginator(rows, PORTFOLIO_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.bar = status_bar(row.title, row.percent, "" if row.status == NO_STATUS else row.status)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "results/portfolio.html",
        {
            "form": form,
            "page": page,
            "total": len(rows),
            "totals": [
                (slug, f"{label}: {totals[slug]}")
                for slug, label in [
                    *((s.value, text) for s, text in progress.STATUS_LABELS.items()),
                    (NO_STATUS, NOT_ASSESSED),
                ]
                if totals.get(slug)
            ],
            "filter_query": query.urlencode(),
        },
    )
