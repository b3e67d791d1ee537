"""Reads behind the progress report of one partnership for a date range: the page, the PDF and
the worker all build its content here (the council summary's are in selectors.council_summary).

What a progress report shows, and from where:

* status and figures as of the day it is made: the partnership's stored progress summary
  (`PartnershipProgress`: overall status, indicators by status) and each indicator's
  (`IndicatorProgress`: value to date, percent of target, status), the framework tree with
  each objective's roll-up (results' `framework_tree`) and each indicator's chart (the same
  SVG as its page, `core.charts.progress_chart`);
* for the date range: each indicator's approved value for the periods inside the range, the
  achievements that occurred in it, the challenges written in progress updates posted in it,
  and the partner reports whose period lies inside it.

Partner reports: only *accepted* reports are quoted, because a submitted or returned report
has not been reviewed and may still change; the reports of the range that are not accepted yet
are listed by partner, period and state, without their text, so a reader knows what is missing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import charts
from commonground.partnerships.models import Partnership
from commonground.reporting.models import (
    NARRATIVE_FIELDS,
    Achievement,
    PartnerReport,
    ProgressUpdate,
    ReportState,
    ReportStatus,
)
from commonground.results import periods, progress, selectors
from commonground.results.models import Indicator, IndicatorProgress, PartnershipProgress

NO_STATUS = "none"
NOT_ASSESSED = gettext_lazy("Not assessed")
SECTION_LABELS = {
    "achievements": gettext_lazy("Achievements"),
    "challenges": gettext_lazy("Challenges and how they were handled"),
    "lessons": gettext_lazy("Lessons learned"),
    "next_steps": gettext_lazy("Next steps"),
    "support_needed": gettext_lazy("Support needed from other partners"),
}
STATE_LABELS = dict(ReportState.choices)
# A range longer than this is refused: nobody reads a report over more than ten years, and the
# queries it would run are unbounded.
MAX_RANGE_DAYS = 3660


# --- the date range --------------------------------------------------------------------------


def last_full_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The default range: the last calendar quarter that has ended."""
    quarter = periods.previous(periods.period_containing(periods.Frequency.QUARTERLY, today))
    return quarter.start, quarter.end


def day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The range as aware datetimes [start of the first day, start of the day after the last)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


# --- status words ----------------------------------------------------------------------------


def status_slug(status: str | None) -> str:
    return status or NO_STATUS


def status_label(status: str | None) -> str:
    try:
        return progress.STATUS_LABELS[progress.Status(status or "")]
    except ValueError:
        return str(NOT_ASSESSED)


def bar(title: str, percent: Decimal | None, status: str | None) -> SafeString:
    return charts.progress_bar(
        percent=percent, status=status_slug(status), label=title, status_label=status_label(status)
    )


@dataclass
class StatusCount:
    slug: str
    label: str
    count: int


def counts_of(counts: dict[str, int] | None) -> list[StatusCount]:
    counts = counts or {}
    return [
        StatusCount(status.value, label, int(counts[status.value]))
        for status, label in progress.STATUS_LABELS.items()
        if counts.get(status.value)
    ]


# --- the progress report ---------------------------------------------------------------------


@dataclass
class IndicatorLine:
    indicator: Indicator
    unit: str
    value_to_date: Decimal | None
    in_range: Decimal | None
    percent: Decimal | None
    status: str
    status_label: str
    bar: SafeString
    chart: SafeString | None


@dataclass
class ObjectiveLine:
    """One objective of the framework, flattened in tree order with its depth (0 = top)."""

    title: str
    level: str
    depth: int
    status: str
    status_label: str
    percent: Decimal | None
    bar: SafeString
    indicators: list[IndicatorLine]


@dataclass
class Narrative:
    partner: str
    period: str
    start: dt.date
    end: dt.date
    accepted_on: dt.date | None
    sections: list[tuple[str, str]]


@dataclass
class PendingReport:
    partner: str
    period: str
    state: str


@dataclass
class AchievementItem:
    when: dt.date
    title: str
    detail: str
    source: str


@dataclass
class ChallengeItem:
    source: str
    when: dt.date
    text: str


@dataclass
class ProgressReport:
    partnership: Partnership
    date_from: dt.date
    date_to: dt.date
    made_on: dt.date
    status: str
    status_label: str
    percent: Decimal | None
    bar: SafeString
    indicator_count: int
    counts: list[StatusCount]
    objectives: list[ObjectiveLine]
    achievements: list[AchievementItem]
    challenges: list[ChallengeItem]
    narratives: list[Narrative]
    pending: list[PendingReport]

    @property
    def charts(self) -> list[IndicatorLine]:
        return [line for o in self.objectives for line in o.indicators if line.chart]


def is_large_report(partnership: Partnership) -> bool:
    """A report with more indicators than REPORT_BACKGROUND_INDICATORS is made by the worker."""
    count = Indicator.objects.filter(partnership=partnership).count()
    return bool(count > settings.REPORT_BACKGROUND_INDICATORS)


def _summary(indicator: Indicator) -> IndicatorProgress | None:
    try:
        return indicator.progress
    except IndicatorProgress.DoesNotExist:
        return None


def _indicator_line(
    indicator: Indicator, date_from: dt.date, date_to: dt.date, today: dt.date
) -> IndicatorLine:
    summary = _summary(indicator)
    state = summary.status if summary else ""
    unit = "%" if indicator.is_percentage else indicator.unit
    in_range = None
    chart = None
    if indicator.is_numeric:
        rows = selectors.indicator_periods(indicator, today)
        inside = [
            (row.period, row.actual)
            for row in rows
            if row.actual is not None
            and row.period.start >= date_from
            and row.period.end <= date_to
        ]
        in_range = progress.value_to_date(inside, indicator.aggregation)
        series = selectors.chart_series(indicator, rows, today)
        chart = charts.progress_chart(
            id_prefix=f"report-indicator-{indicator.pk}",
            title=_("%(indicator)s: value to date against the target")
            % {"indicator": indicator.title},
            points=series.points,
            target=series.target,
            trajectory=series.trajectory,
            period_targets=series.period_targets,
            unit=unit,
            width=640,
            height=240,
        )
    return IndicatorLine(
        indicator=indicator,
        unit=unit,
        value_to_date=summary.value_to_date if summary else None,
        in_range=in_range,
        percent=summary.percent if summary else None,
        status=status_slug(state),
        status_label=status_label(state),
        bar=bar(indicator.title, summary.percent if summary else None, state),
        chart=chart,
    )


def _objective_lines(
    nodes: list[selectors.ObjectiveNode],
    indicators: dict[int, Indicator],
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    depth: int = 0,
) -> list[ObjectiveLine]:
    lines = []
    for node in nodes:
        state = node.progress.status.value if node.progress.status else ""
        percent = progress.round_percent(node.progress.percent)
        lines.append(
            ObjectiveLine(
                title=node.objective.title,
                level=node.objective.get_level_display(),
                depth=depth,
                status=status_slug(state),
                status_label=status_label(state),
                percent=percent,
                bar=bar(node.objective.title, percent, state),
                indicators=[
                    _indicator_line(indicators[i.pk], date_from, date_to, today)
                    for i in node.indicators
                ],
            )
        )
        lines += _objective_lines(node.children, indicators, date_from, date_to, today, depth + 1)
    return lines


def _reports_in_range(
    partnership: Partnership, date_from: dt.date, date_to: dt.date
) -> QuerySet[PartnerReport]:
    """Partner reports whose period lies inside the range."""
    return PartnerReport.objects.filter(
        partnership=partnership, period__start__gte=date_from, period__end__lte=date_to
    ).select_related("period", "partner__organisation")


def _narratives(
    reports: list[PartnerReport], today: dt.date
) -> tuple[list[Narrative], list[PendingReport]]:
    narratives, pending = [], []
    for report in reports:
        name = report.partner.organisation.name
        if report.status != ReportStatus.ACCEPTED:
            label = str(STATE_LABELS.get(report.state_on(today), report.status))
            pending.append(PendingReport(name, report.period.key, label))
            continue
        sections = [
            (str(SECTION_LABELS[f]), getattr(report, f).strip())
            for f in NARRATIVE_FIELDS
            if f != "challenges" and getattr(report, f).strip()
        ]
        narratives.append(
            Narrative(
                partner=name,
                period=report.period.key,
                start=report.period.start,
                end=report.period.end,
                accepted_on=timezone.localdate(report.reviewed_at) if report.reviewed_at else None,
                sections=sections,
            )
        )
    return narratives, pending


def _achievements(
    partnership: Partnership, updates: list[ProgressUpdate], start: dt.datetime, end: dt.datetime
) -> list[AchievementItem]:
    found = [
        AchievementItem(
            when=timezone.localdate(a.occurred_at),
            title=a.shown_title,
            detail=a.detail,
            source=a.get_kind_display(),
        )
        for a in Achievement.objects.filter(
            partnership=partnership, occurred_at__gte=start, occurred_at__lt=end
        )
    ]
    found += [
        AchievementItem(
            when=timezone.localdate(u.created_at),
            title=u.title,
            detail=u.achievements.strip(),
            source=_("Progress update"),
        )
        for u in updates
        if u.achievements.strip()
    ]
    return sorted(found, key=lambda item: item.when)


def _challenges(updates: list[ProgressUpdate], reports: list[PartnerReport]) -> list[ChallengeItem]:
    found = [
        ChallengeItem(
            source=_("%(partner)s, report %(period)s")
            % {"partner": r.partner.organisation.name, "period": r.period.key},
            when=r.period.end,
            text=r.challenges.strip(),
        )
        for r in reports
        if r.status == ReportStatus.ACCEPTED and r.challenges.strip()
    ]
    found += [
        ChallengeItem(
            source=_("Progress update “%(title)s”") % {"title": u.title},
            when=timezone.localdate(u.created_at),
            text=u.challenges.strip(),
        )
        for u in updates
        if u.challenges.strip()
    ]
    return sorted(found, key=lambda item: item.when)


def progress_report(
    partnership: Partnership,
    date_from: dt.date,
    date_to: dt.date,
    *,
    today: dt.date | None = None,
) -> ProgressReport:
    """Everything a progress report of `partnership` for [date_from, date_to] shows. The caller
    has checked that the person may view the partnership."""
    today = today or timezone.localdate()
    roots, rollup = selectors.framework_tree(partnership)
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(partnership=partnership)
        .select_related("partnership", "progress")
        .prefetch_related("period_targets")
    }
    stored = PartnershipProgress.objects.filter(partnership=partnership).first()
    if stored is not None:
        state, percent = stored.status, stored.percent
        counts, indicator_count = stored.counts, stored.indicator_count
    else:
        state = rollup.status.value if rollup.status else ""
        percent, counts, indicator_count = rollup.percent, {}, len(indicators)
    percent = progress.round_percent(percent)
    start, end = day_bounds(date_from, date_to)
    updates = list(
        ProgressUpdate.objects.filter(
            partnership=partnership, created_at__gte=start, created_at__lt=end
        ).order_by("created_at", "pk")
    )
    reports = list(_reports_in_range(partnership, date_from, date_to))
    narratives, pending = _narratives(reports, today)
    return ProgressReport(
        partnership=partnership,
        date_from=date_from,
        date_to=date_to,
        made_on=today,
        status=status_slug(state),
        status_label=status_label(state),
        percent=percent,
        bar=bar(partnership.title, percent, state),
        indicator_count=indicator_count,
        counts=counts_of(counts),
        objectives=_objective_lines(roots, indicators, date_from, date_to, today),
        achievements=_achievements(partnership, updates, start, end),
        challenges=_challenges(updates, reports),
        narratives=narratives,
        pending=pending,
    )
