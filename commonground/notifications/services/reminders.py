"""The reminder job: every registered reminder rule's reminders that have come due, each once.

`send_due` is the worker's job (notifications.tasks.send_reminders, every 15 minutes). For each
rule (notifications.registry.register_reminder_rule) it asks what has come due now, then, in one
transaction per item, which messages the item still wants sent, and notifies each: a
notification's key is unique in the database, so running the job twice, or again after a
restarted worker, makes nothing new.

The notification row is the record of a reminder (who, what, when, and its e-mail's fate):
reminders are not written to the audit ledger, which records what people changed.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from commonground.notifications.registry import REMINDER_RULES
from commonground.notifications.services.notify import notify


def send_due(now: dt.datetime | None = None) -> int:
    """Notify every reminder that has come due; how many notifications were made."""
    now = now or timezone.now()
    made = 0
    for rule in list(REMINDER_RULES.values()):
        for item in rule.due(now):
            with transaction.atomic():
                for reminder in rule.reminders(item):
                    notification = notify(
                        user=reminder.user,
                        kind=reminder.kind,
                        key=reminder.key,
                        subject=reminder.subject,
                        body=reminder.body,
                        link=reminder.link,
                        partnership_id=reminder.partnership_id,
                    )
                    made += notification is not None
    return made
