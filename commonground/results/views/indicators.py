"""Indicator pages: define one (or start from the library), and its page with progress, the
chart of actuals against targets, the breakdown, its periods and the data behind the charts."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from commonground.core import charts
from commonground.core.access import signed_in_user
from commonground.core.codelists import sdg_indicators
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, partnership_view, visible_partnerships
from commonground.partnerships.models import Seat
from commonground.results import periods, progress, selectors
from commonground.results.access import (
    ResultsPerm,
    access_indicator,
    access_indicator_to_copy,
    access_objective,
    awaiting_review_hidden,
    visible_results,
)
from commonground.results.forms import IndicatorForm, LibrarySearchForm, breakdown_label
from commonground.results.models import Aggregation, Indicator, Objective, Result, ResultStatus
from commonground.results.services import entry
from commonground.results.services import framework as framework_services
from commonground.results.views._shared import (
    csv_response,
    download,
    file_slug,
    page_context,
    period_label,
    require_version,
    shown,
    status_bar,
    status_label,
    status_slug,
    to_int,
)
from commonground.results.views.targets import revision_rows


def _indicator_page(
    request: HttpRequest,
    seat: Seat,
    form: IndicatorForm,
    objective: Objective,
    indicator: Indicator | None,
) -> HttpResponse:
    return render(
        request,
        "results/indicator_form.html",
        page_context(
            seat,
            form=form,
            objective=objective,
            indicator=indicator,
            sdg_indicator_codes=sdg_indicators(),
        ),
    )


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, seat: Seat, objective_id: int) -> HttpResponse:
    objective = access_objective(seat, objective_id)
    form = IndicatorForm(
        request.POST or None, initial={"weight": 1}, partnership_id=seat.partnership_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = framework_services.indicator_create(
                actor=signed_in_user(request),
                seat=seat,
                objective=objective,
                data=form.service_data(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Indicator “%(title)s” added.") % {"title": indicator.title}
            )
            return redirect("results:indicator", seat.partnership_id, indicator.pk)
    return _indicator_page(request, seat, form, objective, None)


INDICATOR_FORM_FIELDS = (
    "title",
    "definition",
    "unit",
    "measure",
    "direction",
    "aggregation",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "frequency",
    "means_of_verification",
    "sdg_indicator",
    "weight",
    "version",
)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    initial = {key: shown(getattr(indicator, key)) for key in INDICATOR_FORM_FIELDS}
    initial["dimension_ids"] = list(indicator.dimensions.values_list("pk", flat=True))
    initial["responsible_partner_id"] = indicator.responsible_partner_id
    form = IndicatorForm(
        request.POST or None,
        initial=initial,
        partnership_id=seat.partnership_id,
        indicator=indicator,
    )
    require_version(form)
    if request.method == "POST" and form.is_valid():
        try:
            framework_services.indicator_update(
                actor=signed_in_user(request),
                seat=seat,
                indicator=indicator,
                data=form.service_data(),
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("results:indicator", seat.partnership_id, indicator.pk)
    return _indicator_page(request, seat, form, indicator.objective, indicator)


LIBRARY_LIMIT = 25


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def indicator_library(request: HttpRequest, seat: Seat, objective_id: int) -> HttpResponse:
    """Start from an indicator of a partnership the person can see, or from the SDG list."""
    objective = access_objective(seat, objective_id)
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            if request.POST.get("sdg"):
                indicator = framework_services.indicator_from_sdg(
                    actor=user, seat=seat, objective=objective, code=request.POST["sdg"]
                )
            else:
                try:
                    source = access_indicator_to_copy(user, to_int(request.POST.get("source")))
                except Http404:
                    raise DomainError(_("Choose an indicator from the list to copy.")) from None
                indicator = framework_services.indicator_copy(
                    actor=user, seat=seat, source=source, objective=objective
                )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("results:indicator_library", seat.partnership_id, objective.pk)
        messages.success(
            request,
            _("Indicator “%(title)s” added. Set its baseline and target next.")
            % {"title": indicator.title},
        )
        return redirect("results:indicator_edit", seat.partnership_id, indicator.pk)
    search = LibrarySearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    copies = (
        Indicator.objects.filter(partnership__in=visible_partnerships(user))
        .select_related("partnership")
        .order_by("title", "pk")
    )
    sdg = list(sdg_indicators())
    if query:
        copies = copies.filter(Q(title__icontains=query) | Q(definition__icontains=query))
        needle = query.lower()
        sdg = [row for row in sdg if row[0].startswith(needle) or needle in row[2].lower()]
    return render(
        request,
        "results/indicator_library.html",
        page_context(
            seat,
            objective=objective,
            search=search,
            query=query,
            copies=copies[:LIBRARY_LIMIT],
            sdg=sdg[:LIBRARY_LIMIT],
            sdg_total=len(sdg),
        ),
    )


AGGREGATION_PHRASES: dict[str, Promise] = {
    Aggregation.LATEST: gettext_lazy("the latest approved value"),
    Aggregation.AVERAGE: gettext_lazy("the average of the periods so far"),
    Aggregation.MAXIMUM: gettext_lazy("the highest value so far"),
}


@dataclass
class PeriodView:
    row: selectors.PeriodRow
    value_to_date: Decimal | None
    results: list[tuple[Result, str]]


def _breakdown_rows(indicator: Indicator) -> list[tuple[str, str, Decimal, Decimal | None]]:
    """(full label "age: 15-24, sex: female", short label "15-24 · female", total, share)."""
    totals = selectors.breakdown_totals(indicator)
    whole = sum((value for _, value in totals), Decimal(0))
    return [
        (
            breakdown_label(key),
            " · ".join(entry.parse_breakdown_key(key).values()),
            value,
            (value * 100 / whole) if whole > 0 else None,
        )
        for key, value in totals
    ]


def _indicator_charts(
    indicator: Indicator,
    series: selectors.ChartSeries,
    breakdown: Sequence[tuple[str, str, Decimal, Decimal | None]],
) -> dict[str, SafeString | None]:
    """The progress chart and the breakdown chart, each drawn wide and narrow (the page shows
    the one that fits, so the text stays readable on a phone)."""
    unit = "%" if indicator.is_percentage else indicator.unit
    drawn: dict[str, SafeString | None] = {}
    for suffix, width in (("", 640), ("_narrow", 360)):
        drawn["chart" + suffix] = charts.progress_chart(
            id_prefix=f"indicator-{indicator.pk}{suffix.replace('_', '-')}",
            title=_("%(title)s: value to date against the target") % {"title": indicator.title},
            points=series.points,
            target=series.target,
            trajectory=series.trajectory,
            period_targets=series.period_targets,
            unit=unit,
            width=width,
            height=280 if width > 400 else 260,
        )
        drawn["breakdown_chart" + suffix] = (
            charts.bar_chart(
                id_prefix=f"breakdown-{indicator.pk}{suffix.replace('_', '-')}",
                title=_("%(title)s: approved results by breakdown") % {"title": indicator.title},
                bars=[(short, value) for _, short, value, _ in breakdown],
                unit=unit,
                show_share=True,
                width=width,
            )
            if breakdown
            else None
        )
    return drawn


def _places(*values: Decimal | None) -> int:
    """The indicator's precision: as many decimals as its baseline and target are written
    with (a count of people has none)."""
    return max(
        (max(0, -int(v.normalize().as_tuple().exponent)) for v in values if v is not None),
        default=0,
    )


def _expected_text(indicator: Indicator, today: datetime.date) -> str | None:
    """Where a straight line from baseline to target puts the indicator today, written to the
    indicator's precision ("14 people", not "13.88 people")."""
    expected = progress.expected_value(
        indicator.baseline_value,
        indicator.baseline_date,
        indicator.target_value,
        indicator.target_date,
        today,
    )
    if expected is None:
        return None
    return charts.format_number(expected, _places(indicator.baseline_value, indicator.target_value))


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def indicator_detail(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    today = timezone.localdate()
    rows = selectors.indicator_periods(indicator, today, visible_results(seat))
    series = selectors.chart_series(indicator, rows, today)
    summary = selectors.progress_of(indicator)
    state = summary.status if summary else ""
    to_date = {p.when: p.value for p in series.points if isinstance(p.value, Decimal)}
    views = [
        PeriodView(
            row,
            to_date.get(row.period.end),
            [(r, period_label(r.period_start, r.period_end)) for r in row.results],
        )
        for row in reversed(rows)
    ]
    approved = [
        r for v in views for r, _ in v.results if r.status == ResultStatus.APPROVED
    ]  # newest period first
    breakdown = _breakdown_rows(indicator)
    frequency = periods.Frequency(indicator.frequency)
    return render(
        request,
        "results/indicator.html",
        page_context(
            seat,
            indicator=indicator,
            summary=summary,
            status=status_slug(state),
            status_label=status_label(state),
            bar=status_bar(indicator.title, summary.percent if summary else None, state),
            expected_today=_expected_text(indicator, today),
            today=today,
            hidden_awaiting=awaiting_review_hidden(seat, indicator=indicator),
            breakdown=breakdown,
            # Periods under way or over, newest first; those ahead are folded away.
            period_rows=[v for v in views if v.row.period.start <= today or v.results],
            periods_ahead=[
                v for v in reversed(views) if v.row.period.start > today and not v.results
            ],
            last_period=periods.period_containing(frequency, summary.last_period_end).label
            if summary and summary.last_period_end
            else "",
            latest_approved=approved[0] if approved else None,
            latest_approved_period=period_label(approved[0].period_start, approved[0].period_end)
            if approved
            else "",
            revisions=revision_rows(indicator),
            dimensions=indicator.dimensions.all(),
            is_sum=indicator.aggregation == Aggregation.SUM,
            aggregation_phrase=AGGREGATION_PHRASES.get(indicator.aggregation, ""),
            **_indicator_charts(indicator, series, breakdown),
            chart_rows=series.rows(),
        ),
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def indicator_chart_csv(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    today = timezone.localdate()
    series = selectors.chart_series(indicator, selectors.indicator_periods(indicator, today), today)
    content = charts.chart_data_csv(
        series.points,
        target=series.target,
        trajectory=series.trajectory,
        period_targets=series.period_targets,
    )
    filename = f"{file_slug(indicator.title, 'indicator')}-chart.csv"
    return download(content, filename, "text/csv; charset=utf-8")


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def indicator_breakdown_csv(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    names = sorted(d.name for d in indicator.dimensions.all())
    rows = []
    for key, total in selectors.breakdown_totals(indicator):
        parts = entry.parse_breakdown_key(key)
        rows.append([*(parts.get(name, "") for name in names), total])
    filename = f"{file_slug(indicator.title, 'indicator')}-breakdown.csv"
    return csv_response(filename, [*names, "approved total"], rows)  # i18n: a CSV column name
