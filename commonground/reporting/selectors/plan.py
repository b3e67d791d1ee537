"""Reads for the communication plan: each entry with when it is next due.

An entry is next due one `frequency` after it was last done, or after it starts if it was never
done; it is overdue once that day has passed, and due soon within DUE_SOON_DAYS of it.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.partnerships.models import Partnership
from commonground.reporting.models import CommunicationEntry, PlanFrequency

MONTHS = {
    PlanFrequency.MONTHLY: 1,
    PlanFrequency.QUARTERLY: 3,
    PlanFrequency.SEMIANNUAL: 6,
    PlanFrequency.ANNUAL: 12,
}
DUE_SOON_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 January + 1 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_due(frequency: str, starts_on: dt.date, last_done: dt.date | None) -> dt.date:
    """One `frequency` after the last time it was done (or after it starts)."""
    base = last_done or starts_on
    if frequency == PlanFrequency.WEEKLY:
        return base + dt.timedelta(days=7)
    return add_months(base, MONTHS[PlanFrequency(frequency)])


@dataclass(frozen=True)
class PlanRow:
    entry: CommunicationEntry
    next_due: dt.date
    state: str  # "overdue", "due_soon" or "planned"

    @property
    def state_label(self) -> str:
        return {"overdue": _("Overdue"), "due_soon": _("Due soon"), "planned": _("Planned")}[
            self.state
        ]


def row_for(entry: CommunicationEntry, today: dt.date) -> PlanRow:
    last = timezone.localdate(entry.last_done_at) if entry.last_done_at else None
    due = next_due(entry.frequency, entry.starts_on, last)
    if due < today:
        state = "overdue"
    elif (due - today).days <= DUE_SOON_DAYS:
        state = "due_soon"
    else:
        state = "planned"
    return PlanRow(entry, due, state)


def entries_of(partnership: Partnership | int) -> QuerySet[CommunicationEntry]:
    return CommunicationEntry.objects.filter(partnership=partnership).select_related(
        "owner__organisation"
    )


def plan_rows(partnership: Partnership | int, today: dt.date | None = None) -> list[PlanRow]:
    """Every entry of the plan with its next due date, what is overdue first, then by date."""
    today = today or timezone.localdate()
    rows = [row_for(entry, today) for entry in entries_of(partnership)]
    order = {"overdue": 0, "due_soon": 1, "planned": 2}
    return sorted(rows, key=lambda row: (order[row.state], row.next_due, row.entry.pk))
