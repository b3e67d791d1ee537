"""Background tasks of the reporting capability, run by `commonground worker`: its PDFs.

Tasks sit at the edge: each imports its service in its body, and services import the tasks
they queue at the top of their module (conventions: tasks call services, never the reverse).
"""

from django.tasks import task

from commonground.notifications import tasks as notification_tasks

# Moved to notifications.tasks. Rows already queued name these paths (django-tasks-db imports a
# task by its path when it runs it), so the old names stay until no such row can be left.
send_notification_email = notification_tasks.send_notification_email
send_reminders = notification_tasks.send_reminders
send_digests = notification_tasks.send_digests
sweep_stuck_emails = notification_tasks.sweep_stuck_emails


# --- progress reports and council summaries (report exports) ---------------------------------
# Large exports are queued by services.exports.export_request in the same transaction as their
# row; the task moves the export queued → done (or failed) once, however often it runs.


@task
def render_report_export(export_id: int, language: str = "") -> str:
    """Make a large progress report's or council summary's PDF, in the `language` it was asked
    in (rows queued before it was passed: the requester's profile language), and tell the
    requester."""
    # In the body, as every task here: WeasyPrint is then loaded by the worker when it renders,
    # not by every process that imports this module to queue a notification.
    from commonground.reporting.services.exports import export_render

    return export_render(export_id, language=language)
