"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): a reminder arrives as a message
with its text and HTML parts; with the server down it is retried with backoff, and arrives
exactly once when the server is back."""

import datetime as dt
import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from commonground.notifications.models import EmailStatus, Notification
from commonground.notifications.services import notify, reminders
from commonground.reporting.tests.factories import make_schedule, report_of
from tests.processes import free_port

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        raw = content if isinstance(content, bytes) else content.encode()
        self.messages.append(email.message_from_bytes(raw, policy=default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))  # type: ignore[attr-defined]
        return "250 Message accepted"


def smtp_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp_port(settings) -> Iterator[int]:
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield port


@pytest.fixture
def reminder(world) -> Notification:
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        schedule = make_schedule(world)
    with time_machine.travel(dt.datetime(2025, 4, 30, 9, tzinfo=dt.UTC), tick=False):
        reminders.send_due()
    note = Notification.objects.get(kind="reminder")
    note.report = report_of(world, schedule, "2025-Q1")  # type: ignore[attr-defined]
    return note


def test_a_reminder_goes_through_a_real_smtp_server(world, smtp_port, reminder):
    controller, inbox = smtp_server(smtp_port)
    try:
        assert notify.deliver(reminder.pk) == "sent"
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert inbox.recipients == [["reporter@a.test"]]
    assert message["To"] == "reporter@a.test"
    assert message["Subject"] == (
        "Report due today: Shelter Network, 2025-Q1 (Homelessness Response)"
    )
    assert message["Message-ID"].endswith("@commonground>")
    link = f"http://testserver/partnerships/{world.a.pk}/reports/{reminder.report.pk}/"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert link in text.get_content()
    assert "is due on 30 April 2025" in text.get_content()
    assert f'href="{link}"' in html.get_content()


def test_a_server_that_is_down_means_retry_with_backoff_then_exactly_one_message(
    world, smtp_port, reminder, run_tasks
):
    start = dt.datetime(2025, 4, 30, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        # Nothing listens on the port: the connection is refused.
        assert run_tasks() == ["retry"]
        reminder.refresh_from_db()
        assert reminder.email_status == EmailStatus.PENDING
        assert reminder.email_attempts == 1
        assert reminder.next_attempt_at == start + notify.BACKOFF[0]
        assert "attempt 1" in reminder.email_error
        waiting = DBTaskResult.objects.filter(status="READY").get()
        assert waiting.run_after == start + notify.BACKOFF[0]
        # Not before its time: neither the queued retry nor a stray delivery sends it.
        assert run_tasks() == []
        assert notify.deliver(reminder.pk) == "skipped"
    controller, inbox = smtp_server(smtp_port)
    try:
        with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
            assert run_tasks() == ["sent"]
            # A restarted worker and the reminder job again: nothing more.
            assert notify.deliver(reminder.pk) == "skipped"
            reminders.send_due()
            assert run_tasks() == []
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    reminder.refresh_from_db()
    assert reminder.email_status == EmailStatus.SENT
    assert reminder.email_attempts == 2
    assert reminder.email_error == ""
