"""Reporting periods of a schedule: pure date arithmetic, no database.

A schedule's periods are the calendar periods of its frequency (results.periods: months,
quarters, half-years, years) that overlap the partnership's dates, each cut to those dates: a
partnership running from 15 February to 10 November reports on "2025-Q1" as 15 February to
31 March and on "2025-Q4" as 1 October to 10 November. A report is due `due_days` after its
period ends. Without an end date the periods run to a horizon (a year ahead), extended daily.
"""

import datetime as dt
from dataclasses import dataclass

from commonground.results import periods as calendar

HORIZON_DAYS = 366


@dataclass(frozen=True, order=True)
class Slot:
    start: dt.date
    end: dt.date
    key: str
    due_date: dt.date


def reporting_slots(
    frequency: str,
    starts: dt.date,
    ends: dt.date | None,
    due_days: int,
    *,
    today: dt.date,
) -> list[Slot]:
    """Every period of `frequency` from `starts` to `ends` (or to a year after `today`), cut to
    those dates, with its due date."""
    last = ends if ends is not None else today + dt.timedelta(days=HORIZON_DAYS)
    if last < starts:
        return []
    slots = []
    for period in calendar.periods_between(frequency, starts, last):
        start = max(period.start, starts)
        end = period.end if ends is None else min(period.end, ends)
        slots.append(Slot(start, end, period.label, end + dt.timedelta(days=due_days)))
    return slots


def reminder_dates(due_date: dt.date, offsets: list[int]) -> list[tuple[int, dt.date]]:
    """(offset, date) of each reminder, in date order."""
    return sorted(
        ((offset, due_date + dt.timedelta(days=offset)) for offset in set(offsets)),
        key=lambda pair: pair[1],
    )
