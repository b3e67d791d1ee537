"""A person's work across every partnership they hold a seat in, grouped: overdue, due soon,
waiting for their review, to do (no deadline), their own submissions waiting for others, and
recently done. The sources are the apps' (`registry`); this module only groups and orders."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from commonground.accounts.models import User
from commonground.partnerships.models import Seat
from commonground.work.registry import WORK_SOURCES, WorkItem

SOON_DAYS = 14  # "due soon": due within the next two weeks
DONE_DAYS = 14  # "recently done": in the last two weeks
DONE_LIMIT = 20


@dataclass
class MyWork:
    today: dt.date
    overdue: list[WorkItem] = field(default_factory=list)
    due_soon: list[WorkItem] = field(default_factory=list)
    to_review: list[WorkItem] = field(default_factory=list)
    to_do: list[WorkItem] = field(default_factory=list)
    waiting_for_others: list[WorkItem] = field(default_factory=list)
    done: list[WorkItem] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.to_review) + len(self.to_do)


def seats_of(user: User) -> list[Seat]:
    """The person's seats with what every source needs: one query."""
    return list(
        Seat.objects.filter(user=user)
        .select_related("partnership", "partner__organisation")
        .order_by("partnership__title", "pk")
    )


def my_work(user: User, today: dt.date | None = None) -> MyWork:
    today = today or timezone.localdate()
    work = MyWork(today=today)
    seats = seats_of(user) if user.is_authenticated else []
    if not seats:
        return work
    soon = today + dt.timedelta(days=SOON_DAYS)
    done_since = timezone.now() - dt.timedelta(days=DONE_DAYS)
    seen: set[str] = set()
    for source in WORK_SOURCES.values():
        for item in source(user, seats, today):
            if item.key in seen:
                continue
            seen.add(item.key)
            if item.done_at is not None:
                if item.done_at >= done_since:
                    work.done.append(item)
            elif item.own:
                work.waiting_for_others.append(item)
            elif item.review:
                work.to_review.append(item)
            elif item.due is not None and item.due < today:
                work.overdue.append(item)
            elif item.due is not None and item.due <= soon:
                work.due_soon.append(item)
            elif item.due is None:
                work.to_do.append(item)
            # Work due later than SOON_DAYS is not listed yet.
    far = dt.date.max
    work.overdue.sort(key=lambda i: (i.due or far, i.partnership, i.what))
    work.due_soon.sort(key=lambda i: (i.due or far, i.partnership, i.what))
    work.to_review.sort(key=lambda i: (i.since or far, i.partnership, i.what))
    work.to_do.sort(key=lambda i: (i.since or far, i.partnership, i.what))
    work.waiting_for_others.sort(key=lambda i: (i.since or far, i.partnership, i.what))
    work.done.sort(key=lambda i: i.done_at or timezone.now(), reverse=True)
    del work.done[DONE_LIMIT:]
    return work
