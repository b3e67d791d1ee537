"""Reads for the results framework, scoped by the caller to a partnership the person can see."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import charts
from commonground.core.models import AuditEvent
from commonground.partnerships.models import Partnership
from commonground.results import periods, progress
from commonground.results.models import (
    EvaluationSession,
    Indicator,
    IndicatorProgress,
    Objective,
    PeriodTarget,
    Recommendation,
    Result,
    ResultBreakdown,
    ResultStatus,
)
from commonground.results.services.summaries import NodeProgress, framework_rollup


@dataclass
class ObjectiveNode:
    objective: Objective
    progress: NodeProgress
    indicators: list[Indicator] = field(default_factory=list)
    children: list["ObjectiveNode"] = field(default_factory=list)


def objectives_of(partnership: Partnership) -> QuerySet[Objective]:
    return Objective.objects.filter(partnership=partnership).prefetch_related(
        "responsible_partners__organisation"
    )


def indicators_of(partnership: Partnership) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(partnership=partnership)
        .select_related("objective", "responsible_partner__organisation", "progress")
        .prefetch_related("dimensions")
    )


def framework_tree(partnership: Partnership) -> tuple[list[ObjectiveNode], NodeProgress]:
    """The framework as a tree with each node's rolled-up progress, and the overall figure."""
    rollup, overall = framework_rollup(partnership.pk)
    nodes = {
        o.pk: ObjectiveNode(o, rollup.get(o.pk, NodeProgress(None, None)))
        for o in objectives_of(partnership)
    }
    # Only what the tree shows: each indicator with its stored progress, in one query (not
    # indicators_of's objective and partner joins and dimension prefetch, which the tree never
    # reads: about a sixth of the page's time with 50 indicators; benchmarks/README.md).
    for indicator in Indicator.objects.filter(partnership=partnership).select_related("progress"):
        nodes[indicator.objective_id].indicators.append(indicator)
    roots: list[ObjectiveNode] = []
    for node in nodes.values():
        parent = node.objective.parent_id
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots, overall


@dataclass
class SmartIssue:
    """One item of the SMART check's to-do list."""

    kind: str
    message: str
    objective: Objective | None = None
    indicator: Indicator | None = None


# The SMART check's to-do texts, one sentence per kind of issue.
_SMART_TODO = {
    "no_baseline": gettext_lazy("“%(title)s” has no baseline."),
    "no_target": gettext_lazy("“%(title)s” has no target."),
    "no_target_date": gettext_lazy("“%(title)s” has no target date."),
    "no_responsible_partner": gettext_lazy("“%(title)s” has no responsible partner."),
    "target_after_end": gettext_lazy(
        "“%(title)s” has a target dated after the partnership ends (%(end)s)."
    ),
}


def smart_check(partnership: Partnership) -> list[SmartIssue]:
    """What keeps the framework from being specific, measurable and time-bound, as a to-do list:
    objectives without indicators; indicators without baseline, target, target date or
    responsible partner; targets dated after the partnership ends."""
    issues: list[SmartIssue] = []
    objectives = list(
        Objective.objects.filter(partnership=partnership).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.only("pk", "objective_id"))
        )
    )
    for objective in objectives:
        if not objective.indicators.all() and objective.level != "impact":
            issues.append(
                SmartIssue(
                    "no_indicator",
                    _("“%(title)s” has no indicator.") % {"title": objective.title},
                    objective=objective,
                )
            )
    end = partnership.end_date
    # Period targets after the end, for every indicator in one query (not one per indicator).
    late_targets: dict[int, list[PeriodTarget]] = {}
    if end:
        for target in PeriodTarget.objects.filter(partnership=partnership, period_start__gt=end):
            late_targets.setdefault(target.indicator_id, []).append(target)
    for indicator in Indicator.objects.filter(partnership=partnership):
        numeric = indicator.is_numeric
        checks = [
            (numeric and indicator.baseline_value is None, "no_baseline"),
            (numeric and indicator.target_value is None, "no_target"),
            (indicator.target_date is None, "no_target_date"),
            (indicator.responsible_partner_id is None, "no_responsible_partner"),
            (
                bool(end and indicator.target_date and indicator.target_date > end),
                "target_after_end",
            ),
        ]
        for failed, kind in checks:
            if failed:
                text = _SMART_TODO[kind] % {
                    "title": indicator.title,
                    "end": date_format(end, "DATE_FORMAT") if end else "",
                }
                issues.append(SmartIssue(kind, text, indicator=indicator))
        for target in late_targets.get(indicator.pk, []):
            issues.append(
                SmartIssue(
                    "target_after_end",
                    _(
                        "“%(title)s” has a period target starting %(start)s, after the "
                        "partnership ends."
                    )
                    % {
                        "title": indicator.title,
                        "start": date_format(target.period_start, "DATE_FORMAT"),
                    },
                    indicator=indicator,
                )
            )
    return issues


@dataclass
class PeriodRow:
    """One period of an indicator: its target, its approved value (partners combined), the
    expected value on the straight line, and the results reported in it."""

    period: periods.Period
    target: Decimal | None
    actual: Decimal | None
    expected: Decimal | None
    results: list[Result]


def indicator_periods(
    indicator: Indicator, today: dt.date, visible: QuerySet[Result] | None = None
) -> list[PeriodRow]:
    """Each period's row; the results listed in it are those of `visible` (the reader's, from
    results.access) or, without it, none but the approved ones. Period values are computed from
    approved results alone either way."""
    partnership = indicator.partnership
    end = partnership.end_date or indicator.target_date or today
    start = indicator.baseline_date or partnership.start_date
    all_periods = periods.periods_between(
        periods.Frequency(indicator.frequency), min(start, partnership.start_date), end
    )
    targets = {t.period_start: t.value for t in indicator.period_targets.all()}
    results = list(
        (visible if visible is not None else Result.objects.filter(status=ResultStatus.APPROVED))
        .filter(indicator=indicator)
        .select_related("partner__organisation", "submitted_by", "reviewed_by")
        .prefetch_related("breakdown")
        .order_by("period_start", "partner__organisation__name")
    )
    by_period: dict[dt.date, list[Result]] = {}
    for result in results:
        by_period.setdefault(result.period_start, []).append(result)
    rows = []
    for period in all_periods:
        reported = by_period.get(period.start, [])
        approved = [
            r.value for r in reported if r.status == ResultStatus.APPROVED and r.value is not None
        ]
        rows.append(
            PeriodRow(
                period=period,
                target=targets.get(period.start),
                actual=progress.combine_reports(
                    approved, progress.Aggregation(indicator.aggregation), indicator.is_percentage
                )
                if approved
                else None,
                expected=progress.expected_value(
                    indicator.baseline_value,
                    indicator.baseline_date,
                    indicator.target_value,
                    indicator.target_date,
                    period.end,
                ),
                results=reported,
            )
        )
    return rows


@dataclass
class ChartSeries:
    points: list[charts.ChartPoint]
    target: charts.TargetLine | None
    trajectory: list[charts.ChartPoint]
    period_targets: list[charts.ChartPoint]

    def rows(self) -> list[charts.ChartRow]:
        """The chart's data, for the table beside it."""
        return charts.chart_data_rows(
            self.points,
            target=self.target,
            trajectory=self.trajectory,
            period_targets=self.period_targets,
        )


def chart_series(indicator: Indicator, rows: Sequence[PeriodRow], today: dt.date) -> ChartSeries:
    """The value to date after each period (so counts per period climb towards their end
    target), the end target, the straight line from baseline to target, and (for stocks and
    rates, which are comparable period by period) the period targets."""
    aggregation = progress.Aggregation(indicator.aggregation)
    so_far: list[tuple[periods.Period, Decimal]] = []
    points = []
    for row in rows:
        if row.actual is not None:
            so_far.append((row.period, row.actual))
        if row.period.start <= today:
            value = progress.value_to_date(so_far, aggregation) if row.actual is not None else None
            points.append(charts.ChartPoint(row.period.end, value, row.period.label))
    target = None
    if indicator.target_value is not None:
        target = charts.TargetLine(indicator.target_value, indicator.target_date)
    trajectory = []
    if indicator.baseline_date and indicator.target_date and indicator.target_value is not None:
        trajectory = [
            charts.ChartPoint(
                indicator.baseline_date, indicator.baseline_value or 0, _("Baseline")
            ),
            charts.ChartPoint(indicator.target_date, indicator.target_value, _("Target date")),
        ]
    period_targets = []
    if aggregation is not progress.Aggregation.SUM:
        period_targets = [
            charts.ChartPoint(row.period.end, row.target, row.period.label)
            for row in rows
            if row.target is not None
        ]
    return ChartSeries(points, target, trajectory, period_targets)


def breakdown_totals(indicator: Indicator) -> list[tuple[str, Decimal]]:
    """Each disaggregation combination's approved value to date, combined like the indicator's
    own value: partners per period, then periods by its aggregation (a "latest" indicator takes
    its newest period, never the sum of all periods)."""
    approved = ResultBreakdown.objects.filter(
        indicator=indicator, result__status=ResultStatus.APPROVED
    )
    aggregation = progress.Aggregation(indicator.aggregation)
    if aggregation is progress.Aggregation.SUM and not indicator.is_percentage:
        # Counts add up across partners and periods alike: let the database sum them.
        sums = approved.values("key").annotate(total=Sum("value")).order_by("key")
        return [(row["key"], row["total"]) for row in sums]
    rows = approved.values_list("key", "result__period_end", "value")
    by_key: dict[str, dict[dt.date, list[Decimal]]] = {}
    for key, period_end, value in rows:
        by_key.setdefault(key, {}).setdefault(period_end, []).append(value)
    totals = []
    for key in sorted(by_key):
        per_period = [
            (period_end, progress.combine_reports(values, aggregation, indicator.is_percentage))
            for period_end, values in sorted(by_key[key].items())
        ]
        total = progress.value_to_date(
            [(end, value) for end, value in per_period if value is not None], aggregation
        )
        if total is not None:
            totals.append((key, total))
    return totals


def progress_of(indicator: Indicator) -> IndicatorProgress | None:
    return IndicatorProgress.objects.filter(indicator=indicator).first()


def results_to_review(partnership: Partnership) -> QuerySet[Result]:
    return (
        Result.objects.filter(partnership=partnership, status=ResultStatus.SUBMITTED)
        .select_related("indicator", "partner__organisation", "submitted_by")
        .order_by("submitted_at")
    )


def evaluation_sessions(partnership: Partnership, today: dt.date) -> QuerySet[EvaluationSession]:
    """The partnership's evaluation sessions, newest first, each with its number of findings
    and of recommendations: all, open (not done) and overdue (open past their due date)."""
    open_ = Q(recommendations__done_at__isnull=True)
    return (
        EvaluationSession.objects.filter(partnership=partnership)
        .select_related("created_by")
        .annotate(
            finding_count=Count("findings", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
            open_count=Count("recommendations", filter=open_, distinct=True),
            overdue_count=Count(
                "recommendations",
                filter=open_ & Q(recommendations__due_date__lt=today),
                distinct=True,
            ),
        )
        .order_by("-held_on", "-pk")
    )


def evaluation_session(partnership: Partnership, session_id: int) -> EvaluationSession | None:
    """One session of the partnership with its findings and its recommendations' owners."""
    return (
        EvaluationSession.objects.filter(partnership=partnership, pk=session_id)
        .select_related("created_by")
        .prefetch_related(
            "findings",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("owner__organisation"),
            ),
        )
        .first()
    )


def completed_by(session: EvaluationSession) -> dict[int, str]:
    """Who marked each of the session's done recommendations done, as the ledger recorded it:
    {recommendation id: name}."""
    done = [str(r.pk) for r in session.recommendations.all() if r.done_at is not None]
    if not done:
        return {}
    events = (
        AuditEvent.objects.filter(
            partnership_id=session.partnership_id,
            action="recommendation.complete",
            object_type=Recommendation._meta.label_lower,
            object_id__in=done,
        )
        .select_related("actor")
        .order_by("pk")  # marked done, reopened, done again: the last one wins below
    )
    return {
        int(event.object_id): (
            (event.actor.full_name or event.actor.email) if event.actor else event.actor_label
        )
        for event in events
    }
