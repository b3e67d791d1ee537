"""Reads behind the council summary: one line per partnership a person can see, with its
overall status, its indicators by status, the partner reports overdue today and the
achievements of a date range. The page, the PDF and the worker build it here."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from commonground.accounts.models import User
from commonground.partnerships.models import Partnership
from commonground.reporting.models import Achievement, PartnerReport, ReportStatus
from commonground.reporting.selectors.progress_report import (
    NO_STATUS,
    NOT_ASSESSED,
    StatusCount,
    bar,
    counts_of,
    day_bounds,
    status_label,
    status_slug,
)
from commonground.results import progress


@dataclass
class OverdueReport:
    partner: str
    period: str
    due_date: dt.date


@dataclass
class CouncilRow:
    pk: int
    title: str
    geography: str
    status: str
    status_label: str
    percent: Decimal | None
    bar: SafeString
    indicator_count: int
    counts: list[StatusCount]
    overdue: list[OverdueReport] = field(default_factory=list)
    achievements: list[str] = field(default_factory=list)


@dataclass
class CouncilSummary:
    date_from: dt.date
    date_to: dt.date
    made_on: dt.date
    rows: list[CouncilRow]
    totals: list[StatusCount]
    overdue_count: int
    achievement_count: int


def council_partnerships(user: User) -> QuerySet[Partnership]:
    """The partnerships a council summary for `user` covers: those they hold a seat in."""
    return Partnership.objects.visible_to(user).order_by("title", "pk")


def is_large_summary(user: User) -> bool:
    """A summary of more than REPORT_BACKGROUND_PARTNERSHIPS partnerships is made by the
    worker."""
    return bool(council_partnerships(user).count() > settings.REPORT_BACKGROUND_PARTNERSHIPS)


def council_summary(
    user: User, date_from: dt.date, date_to: dt.date, *, today: dt.date | None = None
) -> CouncilSummary:
    """One line per partnership `user` can see: overall status, indicators by status, partner
    reports overdue today (never submitted, due date passed) and achievements in the range.
    Three queries, however many partnerships."""
    today = today or timezone.localdate()
    visible = council_partnerships(user)
    rows: dict[int, CouncilRow] = {}
    for row in visible.values(
        "pk",
        "title",
        "geography",
        "progress__status",
        "progress__percent",
        "progress__counts",
        "progress__indicator_count",
    ):
        state = row["progress__status"] or ""
        percent = progress.round_percent(row["progress__percent"])
        rows[row["pk"]] = CouncilRow(
            pk=row["pk"],
            title=row["title"],
            geography=row["geography"],
            status=status_slug(state),
            status_label=status_label(state),
            percent=percent,
            bar=bar(row["title"], percent, state),
            indicator_count=row["progress__indicator_count"] or 0,
            counts=counts_of(row["progress__counts"]),
        )
    overdue = (
        PartnerReport.objects.filter(
            partnership__in=visible, status=ReportStatus.DRAFT, period__due_date__lt=today
        )
        .values_list(
            "partnership_id", "partner__organisation__name", "period__key", "period__due_date"
        )
        .order_by("period__due_date", "partner__organisation__name", "pk")
    )
    for partnership_id, partner, key, due in overdue:
        rows[partnership_id].overdue.append(OverdueReport(partner, key, due))
    start, end = day_bounds(date_from, date_to)
    achieved = Achievement.objects.filter(
        partnership__in=visible, occurred_at__gte=start, occurred_at__lt=end
    ).only("partnership_id", "kind", "title")
    for achievement in achieved.order_by("occurred_at", "pk"):
        rows[achievement.partnership_id].achievements.append(achievement.shown_title)
    totals: dict[str, int] = {}
    for line in rows.values():
        totals[line.status] = totals.get(line.status, 0) + 1
    return CouncilSummary(
        date_from=date_from,
        date_to=date_to,
        made_on=today,
        rows=list(rows.values()),
        totals=[
            StatusCount(slug, label, totals[slug])
            for slug, label in [
                *((s.value, str(text)) for s, text in progress.STATUS_LABELS.items()),
                (NO_STATUS, str(NOT_ASSESSED)),
            ]
            if totals.get(slug)
        ],
        overdue_count=sum(len(r.overdue) for r in rows.values()),
        achievement_count=sum(len(r.achievements) for r in rows.values()),
    )
