"""A person's work across every partnership they hold a seat in, grouped: overdue, due soon,
waiting for their review, to do (no deadline), their own submissions waiting for others, and
recently done. The sources are the apps' (`registry`); this module only groups and orders."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.models import User
from commonground.core.models import AuditEvent
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


def work_counts(user: User, work: MyWork | None = None) -> dict[str, int]:
    """How much of the person's work is overdue, due soon and waiting for their review, for the
    header of every page. Kept in the cache under the newest ledger event and the date: every
    change to work is a recorded write (the services record an event in the same transaction)
    and the rest of a deadline's standing is the date, so a count is never stale; it costs one
    indexed query while nothing changes, and a recount (a page of My work's queries) after.
    A page that has just computed the person's `work` passes it, and it is counted once."""
    today = work.today if work is not None else timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_NEWEST_EVENT_SQL.get(connection.vendor) or _newest_event_sql())
        newest = cursor.fetchone()[0]
    key = f"work:counts:{user.pk}:{newest}:{today.isoformat()}"
    counts = None if work is not None else cache.get(key)
    if counts is None:
        work = work or my_work(user, today)
        counts = {
            "overdue": len(work.overdue),
            "due_soon": len(work.due_soon),
            "to_review": len(work.to_review),
        }
        cache.set(key, counts, timeout=24 * 60 * 60)
    return counts


_NEWEST_EVENT_SQL: dict[str, str] = {}


def _newest_event_sql() -> str:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = _NEWEST_EVENT_SQL[connection.vendor] = f"SELECT MAX(id) FROM {table}"  # noqa: S608
    return sql


def when(item: WorkItem, today: dt.date) -> str:
    """When, in words: due or overdue by how long, waiting since, done (and how late)."""
    if item.done_at is not None:
        done = item.done_at.date()
        text = _("Done %(date)s") % {"date": date_format(done, "SHORT_DATE_FORMAT")}
        if item.due is not None and done > item.due:
            late = (done - item.due).days
            text += " · " + ngettext("%(n)s day late", "%(n)s days late", late) % {"n": late}
        return text
    if item.due is not None:
        days = (item.due - today).days
        due = date_format(item.due, "SHORT_DATE_FORMAT")
        if days < 0:
            return ngettext(
                "Due %(date)s · %(n)s day overdue", "Due %(date)s · %(n)s days overdue", -days
            ) % {"date": due, "n": -days}
        if days == 0:
            return _("Due today")
        return ngettext("Due %(date)s · in %(n)s day", "Due %(date)s · in %(n)s days", days) % {
            "date": due,
            "n": days,
        }
    if item.since is not None:
        return _("Waiting since %(date)s") % {"date": date_format(item.since, "SHORT_DATE_FORMAT")}
    return ""
