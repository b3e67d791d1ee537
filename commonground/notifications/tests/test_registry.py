"""The registration API: an app that notifications never imports contributes a calendar source,
a reminder rule, a digest section and a kind of message, and each shows up where people see it."""

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import Client
from icalendar import Calendar

from commonground.notifications import registry
from commonground.notifications.models import EmailStatus, Notification
from commonground.notifications.registry import (
    CalendarEvent,
    DigestSection,
    Reminder,
    register_calendar_source,
    register_digest_section,
    register_kind,
    register_reminder_rule,
)
from commonground.notifications.services import calendar, digests, notify, reminders
from commonground.partnerships.models import Seat

pytestmark = pytest.mark.django_db

# A digest section's templates, for the test's own section only.
FIXTURES = str(Path(__file__).parent / "templates")


@pytest.fixture(autouse=True)
def restore_registry() -> Iterator[None]:
    """Whatever a test registers is gone afterwards; reporting's contributions stay."""
    saved = {
        name: dict(getattr(registry, name))
        for name in ("KINDS", "REMINDER_RULES", "CALENDAR_SOURCES", "DIGEST_SECTIONS")
    }
    yield
    for name, contents in saved.items():
        table = getattr(registry, name)
        table.clear()
        table.update(contents)


def test_a_registered_calendar_source_appears_in_the_feed_of_its_seats(world):
    asked: list[list[int]] = []

    def meetings(seats: Sequence[Seat]) -> list[CalendarEvent]:
        asked.append(sorted(s.partnership_id for s in seats))
        return [
            CalendarEvent(
                uid=f"meeting-{seat.partnership_id}@commonground",
                day=dt.date(2026, 3, 2),
                summary=f"Steering group: {seat.partnership.title}",
                url=f"https://example.test/meetings/{seat.partnership_id}",
                description="Quarterly steering group.",
            )
            for seat in seats
        ]

    register_calendar_source("tests.meetings", events=meetings)
    _, secret = calendar.feed_create(user=world.reporter)
    response = Client().get(f"/calendar/{secret}/reports.ics")
    assert response.status_code == 200
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    meeting = events[f"meeting-{world.a.pk}@commonground"]
    assert str(meeting["SUMMARY"]) == "Steering group: Homelessness Response"
    assert meeting.decoded("DTSTART") == dt.date(2026, 3, 2)
    assert asked == [[world.a.pk]], "the source is given the person's own seats only"


def test_a_registered_reminder_rule_makes_its_notifications_once(world, run_tasks):
    due_items = [world.a]

    def due(now: dt.datetime) -> list:
        return list(due_items)

    def reminders_of(partnership) -> list[Reminder]:
        return [
            Reminder(
                user=seat.user,
                kind="tests.pledge_overdue",
                key=f"tests.pledge:{partnership.pk}:{seat.user_id}",
                subject=f"A pledge is overdue in {partnership.title}",
                body="Please check the pledge.",
                link=f"/partnerships/{partnership.pk}/",
                partnership_id=partnership.pk,
            )
            for seat in Seat.objects.filter(partnership=partnership, role="coordinator")
        ]

    register_reminder_rule("tests.pledges", due=due, reminders=reminders_of)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        made = reminders.send_due()
        assert reminders.send_due() == 0, "a reminder is made once, however often the job runs"
    assert made >= 1
    note = Notification.objects.get(kind="tests.pledge_overdue")
    assert note.user == world.coordinator and note.partnership_id == world.a.pk
    run_tasks()
    [message] = [m for m in mail.outbox if m.subject.startswith("A pledge is overdue")]
    assert message.to == [world.coordinator.email]
    assert "Please check the pledge." in message.body


def test_a_registered_kind_writes_its_own_mail_and_may_withdraw_it(world, run_tasks):
    wanted = {"yes": True}

    def message(notification: Notification) -> EmailMultiAlternatives:
        return EmailMultiAlternatives(
            subject="Custom: " + notification.subject, body="custom", to=[notification.user.email]
        )

    register_kind("tests.custom", message=message, still_wanted=lambda n: wanted["yes"])
    with transaction.atomic():
        first = notify.notify(
            user=world.viewer, kind="tests.custom", key="t:1", subject="A", body=""
        )
        second = notify.notify(
            user=world.viewer, kind="tests.custom", key="t:2", subject="B", body=""
        )
    assert first is not None and second is not None
    assert notify.deliver(first.pk) == "sent"
    wanted["yes"] = False
    assert notify.deliver(second.pk) == "skipped"
    second.refresh_from_db()
    assert second.email_status == EmailStatus.NONE
    assert [m.subject for m in mail.outbox] == ["Custom: A"]


def test_a_registered_digest_section_is_counted_and_shown(world, run_tasks, settings):
    def pledges(*, partnership, user, since, until) -> DigestSection:
        mine = partnership.pk == world.a.pk
        return DigestSection(
            new_items=1 if mine else 0,
            counts=((1 if mine else 0, "new pledge", "new pledges"),),
            template="notifications/tests/digest_pledges",
            context={"pledges": ["Ten beds from the Shelter Network"] if mine else []},
        )

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], FIXTURES]}
    ]
    register_digest_section("tests.pledges", build=pledges)
    monday = dt.datetime(2025, 5, 5, 7, 5, tzinfo=dt.UTC)
    with time_machine.travel(monday, tick=False):
        digests.send_due()
        run_tasks()
    [message] = [m for m in mail.outbox if m.to == [world.viewer.email]]
    assert isinstance(message, EmailMultiAlternatives)
    assert "PLEDGES\n* Ten beds from the Shelter Network" in message.body
    assert "<li>Ten beds from the Shelter Network</li>" in str(message.alternatives[0][0])
    note = Notification.objects.get(kind="digest", user=world.viewer)
    assert "1 new pledge" in note.body
