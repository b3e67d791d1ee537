"""A person's notifications in the app: read their own, mark them read.

Only ever the person's own rows: every query starts from `user`. Marking read is the person's
own bookkeeping, not a change to any partnership, so it is not written to the audit ledger.
"""

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.row_reader import Names
from commonground.notifications.models import Notification


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    rows = Notification.objects.filter(user=user).select_related("partnership", "done_by")
    if unread_only:
        rows = rows.filter(read_at=None)
    return rows.order_by("-created_at", "-pk")


def needing_action(user: User) -> QuerySet[Notification]:
    """ "Needs you": the person's notifications that ask for an action nobody has done yet,
    oldest first (the longest waiting on top)."""
    return (
        Notification.objects.filter(user=user, done_at=None)
        .exclude(action="")
        .select_related("partnership")
        .order_by("created_at", "pk")
    )


def for_information(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """ "For information": everything else, newest first, including requests done since (each
    says by whom)."""
    rows = notifications_of(user, unread_only=unread_only)
    return rows.filter(Q(action="") | Q(done_at__isnull=False))


def unread_count(user: User) -> int:
    """One COUNT over the (user, read_at) index, in every page's header: a fixed statement
    (docs/decisions/0005), the same count as `unread_count_orm`."""
    alias = router.db_for_read(Notification)
    connection = connections[alias]
    sql = _UNREAD_SQL.get(alias)
    if sql is None:
        names = Names(connection)
        sql = _UNREAD_SQL[alias] = (
            f"SELECT COUNT(*) FROM {names.table(Notification)} "  # noqa: S608 - metadata
            f"WHERE {names.column(Notification, 'user')} = %s "
            f"AND {names.column(Notification, 'read_at')} IS NULL"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


_UNREAD_SQL: dict[str, str] = {}


def unread_count_orm(user: User) -> int:
    """The queryset `unread_count` stands for (its test compares the two)."""
    return Notification.objects.filter(user=user, read_at=None).count()


def notification_of(user: User, notification_id: int) -> Notification:
    """The person's own notification; 404 for anybody else's."""
    return get_object_or_404(Notification, pk=notification_id, user=user)


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's notifications read (once: the first reading time stays)."""
    if notification.user_id != user.pk:
        raise Http404("No such notification.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark all the person's notifications read; how many were unread."""
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
