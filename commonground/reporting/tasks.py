"""Background tasks of the reporting capability, run by `commonground worker`.

Tasks sit at the edge: each imports its service in its body, and services import the tasks
they queue at the top of their module (conventions: tasks call services, never the reverse).
"""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic


@task
def send_notification_email(notification_id: int) -> str:
    """Mail one notification, once (retried with backoff when the mail server fails)."""
    from commonground.reporting.services import notify

    return notify.deliver(notification_id)


@periodic(every=dt.timedelta(minutes=15))
@task
def sweep_stuck_emails() -> int:
    """E-mails whose worker died mid-send are marked failed, never sent twice."""
    from commonground.reporting.services import notify

    return notify.sweep()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_reminders() -> int:
    """Reminders before, on and after reports' due dates; each once per report, offset and
    person. How many notifications were made."""
    from commonground.reporting.services import reminders

    return reminders.send_due()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_digests() -> int:
    """Weekly (Monday) and monthly (the 1st) digests that are due; how many were evaluated."""
    from commonground.reporting.services import digests

    return len(digests.send_due())


# --- progress reports and council summaries (report exports) ---------------------------------
# Large exports are queued by services.exports.export_request in the same transaction as their
# row; the task moves the export queued → done (or failed) once, however often it runs.


@task
def render_report_export(export_id: int) -> str:
    """Make a large progress report's or council summary's PDF and tell the requester."""
    # In the body, as every task here: WeasyPrint is then loaded by the worker when it renders,
    # not by every process that imports this module to queue a notification.
    from commonground.reporting.services.exports import export_render

    return export_render(export_id)
