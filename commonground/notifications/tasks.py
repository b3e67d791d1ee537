"""Background tasks of notifications, run by `commonground worker`.

Tasks sit at the edge: each imports its service in its body, and services import the tasks
they queue at the top of their module (conventions: tasks call services, never the reverse).
"""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic


@task
def send_notification_email(notification_id: int) -> str:
    """Mail one notification, once (retried with backoff when the mail server fails)."""
    from commonground.notifications.services import notify

    return notify.deliver(notification_id)


@periodic(every=dt.timedelta(minutes=15))
@task
def sweep_stuck_emails() -> int:
    """E-mails whose worker died mid-send are marked failed, never sent twice."""
    from commonground.notifications.services import notify

    return notify.sweep()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_reminders() -> int:
    """Every registered reminder rule's reminders that have come due, each once; how many
    notifications were made."""
    from commonground.notifications.services import reminders

    return reminders.send_due()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_digests() -> int:
    """Weekly (Monday) and monthly (the 1st) digests that are due; how many were evaluated."""
    from commonground.notifications.services import digests

    return len(digests.send_due())
