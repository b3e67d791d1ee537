"""Where a partnership stands, contributed by the capabilities without this app importing them
(they sit above it): its progress (the results capability: status and percent, indicators by
status) and its deadlines (reports due, recommendations, plan entries: whatever has a date).

A capability calls, from its AppConfig.ready():

- `register_progress(name, progress=...)`: `progress(partnership_ids)` returns a `Progress` per
  partnership it knows (one or two queries for all of them);
- `register_deadlines(name, deadlines=...)`: `deadlines(partnership_ids, today)` returns every
  overdue `Deadline` of those partnerships and the upcoming ones due within `UPCOMING_DAYS`,
  each naming who it concerns, in a bounded number of queries;
- `register_highlights(name, highlights=...)`: `highlights(partnership_id, limit)` returns the
  latest things to show on the overview (achievements, public updates), newest first.

"My partnerships" shows the status, percent, next deadline and count of overdue items; the
overview lists the next deadlines and everything overdue. Texts are in the page's language.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

UPCOMING_DAYS = 120  # a quarterly report's next due date is always within it


@dataclass(frozen=True)
class Progress:
    status: str  # a status code: "on_track", "at_risk", "off_track", "achieved", ... or ""
    status_label: str
    percent: Decimal | None
    # Indicators by status: (status code, label, count), in the capability's order.
    counts: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class Deadline:
    partnership_id: int
    due: dt.date
    what: str  # "2026-Q3 report", "Recommendation: …"
    who: str  # the partner or people it concerns
    url: str


@dataclass
class Standing:
    progress: Progress | None = None
    overdue: list[Deadline] = field(default_factory=list)
    upcoming: list[Deadline] = field(default_factory=list)

    @property
    def next_deadline(self) -> Deadline | None:
        return self.upcoming[0] if self.upcoming else None


@dataclass(frozen=True)
class Highlight:
    at: dt.datetime
    kind: str  # "Achievement", "Update": what it is, in words
    title: str
    url: str


type HighlightSource = Callable[[int, int], Iterable[Highlight]]
type ProgressSource = Callable[[Sequence[int]], Mapping[int, Progress]]
type DeadlineSource = Callable[[Sequence[int], dt.date], Iterable[Deadline]]

PROGRESS_SOURCES: dict[str, ProgressSource] = {}
DEADLINE_SOURCES: dict[str, DeadlineSource] = {}
HIGHLIGHT_SOURCES: dict[str, HighlightSource] = {}


def register_progress(name: str, *, progress: ProgressSource) -> None:
    PROGRESS_SOURCES[name] = progress


def register_deadlines(name: str, *, deadlines: DeadlineSource) -> None:
    DEADLINE_SOURCES[name] = deadlines


def register_highlights(name: str, *, highlights: HighlightSource) -> None:
    HIGHLIGHT_SOURCES[name] = highlights


def highlights_of(partnership_id: int, limit: int = 5) -> list[Highlight]:
    """The partnership's latest highlights from every source, newest first."""
    found = [h for source in HIGHLIGHT_SOURCES.values() for h in source(partnership_id, limit)]
    return sorted(found, key=lambda h: h.at, reverse=True)[:limit]


def standing_of(partnership_ids: Sequence[int], today: dt.date) -> dict[int, Standing]:
    """Each partnership's standing: progress, overdue deadlines (the oldest first) and those
    due within UPCOMING_DAYS (the soonest first)."""
    ids = list(partnership_ids)
    standing = {pid: Standing() for pid in ids}
    if not ids:
        return standing
    for source in PROGRESS_SOURCES.values():
        for pid, progress in source(ids).items():
            if pid in standing:
                standing[pid].progress = progress
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    for deadlines in DEADLINE_SOURCES.values():
        for deadline in deadlines(ids, today):
            if deadline.partnership_id not in standing:
                continue
            if deadline.due < today:
                standing[deadline.partnership_id].overdue.append(deadline)
            elif deadline.due <= horizon:
                standing[deadline.partnership_id].upcoming.append(deadline)
    for one in standing.values():
        one.overdue.sort(key=lambda d: (d.due, d.what))
        one.upcoming.sort(key=lambda d: (d.due, d.what))
    return standing
