"""How apps contribute to "My work" without this app importing them.

An app calls `register_work_source(name, items=...)` from its AppConfig.ready(). `items(user,
seats, today)` returns the work waiting for that person in the partnerships of `seats` (their
seats, with `partnership` and `partner__organisation` loaded): what they must do, what waits for
their review, their own submissions waiting for someone else's, and what they recently did.

A source must ask the database a bounded number of times whatever the number of seats (filter
by the seats' partnership or partner ids at once, never one query per seat), and must list only
work the person must act on: the rules of who acts live in the registering app, beside its
access rules. Texts are written in the active language (the page's). Registering a name again
replaces it (ready() may run twice in tests).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Seat


@dataclass(frozen=True)
class WorkItem:
    """One line of a person's work.

    - `key`: unique across sources and stable ("report-write:12"), for tests and anchors;
    - `what`: what to do, in words ("Write the 2026-Q3 report");
    - `detail`: who or what it concerns (a partner, an indicator), may be empty;
    - `url`: the one page where it is done;
    - `due`: until when (None: no deadline); `since`: waiting since when;
    - `review`: it waits for this person's review; `own`: their own submission, waiting for
      someone else (listed apart, not actionable);
    - `done_at`: when the person did it (recently done work)."""

    key: str
    what: str
    partnership_id: int
    partnership: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    since: dt.date | None = None
    review: bool = False
    own: bool = False
    done_at: dt.datetime | None = None


type WorkSource = Callable[["User", "Sequence[Seat]", dt.date], Iterable[WorkItem]]

WORK_SOURCES: dict[str, WorkSource] = {}


def register_work_source(name: str, *, items: WorkSource) -> None:
    """An app contributes a source of work items (see the module's description)."""
    WORK_SOURCES[name] = items
