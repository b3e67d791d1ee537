"""The reminder job: every registered reminder rule's reminders that have come due, each once.

`send_due` is the worker's job (notifications.tasks.send_reminders, every 15 minutes). For each
rule (notifications.registry.register_reminder_rule) it asks what has come due now, then, in one
transaction per item, which messages the item still wants sent, and notifies each: a
notification's key is unique in the database, so running the job twice, or again after a
restarted worker, makes nothing new.

Each reminder is written in its recipient's language. A rule may give lazy texts (evaluated by
`notify` in the recipient's language); for a rule that writes plain strings, `reminders(item)`
is asked again, inside the same transaction, under each other language its recipients read, and
each person gets the message with their key from the answer in their language.

The notification row is the record of a reminder (who, what, when, and its e-mail's fate):
reminders are not written to the audit ledger, which records what people changed.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from commonground.notifications.registry import REMINDER_RULES, Reminder, ReminderRule
from commonground.notifications.services.notify import language_of, notify


def send_due(now: dt.datetime | None = None) -> int:
    """Notify every reminder that has come due; how many notifications were made."""
    now = now or timezone.now()
    made = 0
    for rule in list(REMINDER_RULES.values()):
        for item in rule.due(now):
            with transaction.atomic():
                for reminder in reminders_in_their_language(rule, item):
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


def _lazy(reminder: Reminder) -> bool:
    return isinstance(reminder.subject, Promise) and isinstance(reminder.body, Promise)


def reminders_in_their_language(rule: ReminderRule, item: Any) -> list[Reminder]:
    """The rule's reminders for `item`, each written in its recipient's language."""
    with translation.override(settings.LANGUAGE_CODE):
        first = list(rule.reminders(item))
    others = {
        language_of(r.user)
        for r in first
        if not _lazy(r) and language_of(r.user) != settings.LANGUAGE_CODE
    }
    written: dict[tuple[str, str], Reminder] = {}
    for language in sorted(others):
        with translation.override(language):
            written.update({(language, r.key): r for r in rule.reminders(item)})
    return [written.get((language_of(r.user), r.key), r) for r in first]
