"""Progress summaries kept current on write: each approved change recomputes its indicator's
IndicatorProgress and the partnership's PartnershipProgress, so dashboards and the portfolio read
a few rows instead of every result. Status also depends on today's date, so
`commonground progress refresh` recomputes everything once a day.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonground.partnerships.models import Partnership
from commonground.results import progress
from commonground.results.facts import target_reached
from commonground.results.models import (
    Indicator,
    IndicatorProgress,
    Objective,
    PartnershipProgress,
    Result,
    ResultsSettings,
    ResultStatus,
)


def thresholds_for(partnership_id: int) -> progress.Thresholds:
    settings = ResultsSettings.objects.filter(partnership_id=partnership_id).first()
    if settings is None:
        return progress.Thresholds()
    return progress.Thresholds(
        on_track=settings.on_track,
        at_risk=settings.at_risk,
        stale_periods=settings.stale_periods,
    )


def period_values(indicator: Indicator) -> list[tuple[dt.date, Decimal]]:
    """The indicator's approved value per period (partners' reports combined), oldest first."""
    by_period: dict[dt.date, list[Decimal]] = defaultdict(list)
    rows = Result.objects.filter(
        indicator=indicator, status=ResultStatus.APPROVED, value__isnull=False
    ).values_list("period_end", "value")
    for period_end, value in rows:
        if value is not None:
            by_period[period_end].append(value)
    return combine_periods(indicator, by_period)


def combine_periods(
    indicator: Indicator, by_period: Mapping[dt.date, list[Decimal]]
) -> list[tuple[dt.date, Decimal]]:
    """Each period's reports (one per partner) combined by the indicator's rules, oldest first."""
    combined = []
    for period_end in sorted(by_period):
        value = progress.combine_reports(
            by_period[period_end],
            progress.Aggregation(indicator.aggregation),
            indicator.is_percentage,
        )
        if value is not None:
            combined.append((period_end, value))
    return combined


def approved_values_of(partnership_id: int) -> dict[int, dict[dt.date, list[Decimal]]]:
    """Every approved value of the partnership, by indicator and period, in one query."""
    by_indicator: dict[int, dict[dt.date, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = Result.objects.filter(
        partnership_id=partnership_id, status=ResultStatus.APPROVED, value__isnull=False
    ).values_list("indicator_id", "period_end", "value")
    for indicator_id, period_end, value in rows:
        if value is not None:
            by_indicator[indicator_id][period_end].append(value)
    return by_indicator


def compute(
    indicator: Indicator,
    values: list[tuple[dt.date, Decimal]],
    thresholds: progress.Thresholds,
    today: dt.date,
) -> IndicatorProgress:
    current = progress.value_to_date(values, progress.Aggregation(indicator.aggregation))
    percent = None
    state: progress.Status | None = None
    if indicator.is_numeric:
        if indicator.target_value is not None and current is not None:
            percent = progress.percent_of_target(
                current,
                indicator.baseline_value,
                indicator.target_value,
                progress.Direction(indicator.direction),
            )
        state = progress.status(
            current=current,
            baseline=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            target=indicator.target_value,
            target_date=indicator.target_date,
            direction=progress.Direction(indicator.direction),
            today=today,
            last_period_end=values[-1][0] if values else None,
            frequency=indicator.frequency,
            thresholds=thresholds,
        )
    return IndicatorProgress(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        value_to_date=current,
        percent=None if percent is None else progress.round_percent(percent),
        status=state.value if state else "",
        last_period_end=values[-1][0] if values else None,
        periods_reported=len(values),
        computed_at=timezone.now(),
    )


SUMMARY_FIELDS = (
    "partnership_id",
    "value_to_date",
    "percent",
    "status",
    "last_period_end",
    "periods_reported",
    "computed_at",
)


def refresh_indicator(
    indicator: Indicator, *, today: dt.date | None = None, partnership_too: bool = True
) -> IndicatorProgress:
    """Recompute one indicator's progress (and, by default, its partnership's)."""
    today = today or timezone.localdate()
    summary = compute(
        indicator, period_values(indicator), thresholds_for(indicator.partnership_id), today
    )
    IndicatorProgress.objects.update_or_create(
        indicator=indicator,
        defaults={field: getattr(summary, field) for field in SUMMARY_FIELDS},
    )
    if summary.status == progress.Status.ACHIEVED.value:
        # A reached target is a fact other apps react to in this transaction (the feed
        # celebrates it once per target value; a repeat is a no-op): see core.facts.
        target_reached.state(indicator=indicator, summary=summary)
    if partnership_too:
        refresh_partnership(indicator.partnership_id)
    return summary


@dataclass
class NodeProgress:
    status: progress.Status | None
    percent: Decimal | None


def framework_rollup(partnership_id: int) -> tuple[dict[int, NodeProgress], NodeProgress]:
    """Every objective's status and percent rolled up from its indicators and the objectives
    below it (weighted), and the partnership's overall figure from its top objectives."""
    objectives = list(
        Objective.objects.filter(partnership_id=partnership_id).values("pk", "parent_id", "weight")
    )
    indicators = Indicator.objects.filter(partnership_id=partnership_id).values(
        "pk", "objective_id", "weight", "progress__status", "progress__percent"
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    weights = {o["pk"]: o["weight"] for o in objectives}
    for objective in objectives:
        children[objective["parent_id"]].append(objective["pk"])
    own: dict[int, list[tuple[progress.Status | None, Decimal, Decimal | None]]] = defaultdict(list)
    for row in indicators:
        state = progress.Status(row["progress__status"]) if row["progress__status"] else None
        own[row["objective_id"]].append((state, row["weight"], row["progress__percent"]))
    result: dict[int, NodeProgress] = {}

    def visit(objective_id: int) -> NodeProgress:
        parts = list(own[objective_id])
        for child in children[objective_id]:
            node = visit(child)
            parts.append((node.status, weights[child], node.percent))
        state, percent = progress.rollup(parts)
        result[objective_id] = NodeProgress(state, percent)
        return result[objective_id]

    top = [(visit(pk).status, weights[pk], result[pk].percent) for pk in children[None]]
    state, percent = progress.rollup(top)
    return result, NodeProgress(state, percent)


def refresh_partnership(partnership_id: int) -> PartnershipProgress:
    """Recompute the partnership's overall status and its indicators counted by status."""
    _, overall = framework_rollup(partnership_id)
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for state in IndicatorProgress.objects.filter(partnership_id=partnership_id).values_list(
        "status", flat=True
    ):
        counts[state or "none"] += 1
        total += 1
    summary, _ = PartnershipProgress.objects.update_or_create(
        partnership_id=partnership_id,
        defaults={
            "status": overall.status.value if overall.status else "",
            "percent": None if overall.percent is None else progress.round_percent(overall.percent),
            "counts": dict(counts),
            "indicator_count": total,
            "computed_at": timezone.now(),
        },
    )
    return summary


@transaction.atomic
def refresh_partnership_indicators(partnership_id: int, *, today: dt.date | None = None) -> int:
    """Recompute every indicator of the partnership, then the partnership's figure: the same
    rules as `refresh_indicator` (`combine_periods`, `compute`), but the approved values are read
    in one query and the summaries written in one statement, instead of about six statements per
    indicator. Returns the number of indicators."""
    today = today or timezone.localdate()
    thresholds = thresholds_for(partnership_id)
    approved = approved_values_of(partnership_id)
    summaries = [
        compute(
            indicator, combine_periods(indicator, approved.get(indicator.pk, {})), thresholds, today
        )
        for indicator in Indicator.objects.filter(partnership_id=partnership_id)
    ]
    IndicatorProgress.objects.bulk_create(
        summaries,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=[field for field in SUMMARY_FIELDS if field != "partnership_id"],
    )
    refresh_partnership(partnership_id)
    return len(summaries)


def refresh_all(*, today: dt.date | None = None) -> int:
    """Recompute every indicator and partnership (daily: status depends on the date), one
    partnership per transaction."""
    today = today or timezone.localdate()
    count = 0
    for partnership_id in Partnership.objects.values_list("pk", flat=True).iterator():
        count += refresh_partnership_indicators(partnership_id, today=today)
    return count
