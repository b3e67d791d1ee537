"""Background tasks of the reporting capability, run by `commonground worker`."""

import datetime as dt

from django.tasks import task

from commonground.core.jobs import periodic
from commonground.reporting.services import digests, notify, reminders


@task
def send_notification_email(notification_id: int) -> str:
    """Mail one notification, once (retried with backoff when the mail server fails)."""
    return notify.deliver(notification_id)


@periodic(every=dt.timedelta(minutes=15))
@task
def sweep_stuck_emails() -> int:
    """E-mails whose worker died mid-send are marked failed, never sent twice."""
    return notify.sweep()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_reminders() -> int:
    """Reminders before, on and after reports' due dates; each once per report, offset and
    person. How many notifications were made."""
    return reminders.send_due()


@periodic(every=dt.timedelta(minutes=15))
@task
def send_digests() -> int:
    """Weekly (Monday) and monthly (the 1st) digests that are due; how many were evaluated."""
    return len(digests.send_due())


# --- progress reports and council summaries (report exports) ---------------------------------
# Large exports are queued by services.exports.export_request in the same transaction as their
# row; the task moves the export queued → done (or failed) once, however often it runs.


@task
def render_report_export(export_id: int) -> str:
    """Make a large progress report's or council summary's PDF and tell the requester."""
    # Imported here so that WeasyPrint is loaded by the worker when it renders, not by every
    # process that imports this module to queue a notification.
    from commonground.reporting.services.exports import export_render

    return export_render(export_id)
