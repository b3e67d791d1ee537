"""Notifications that ask for work are done when anyone does it, on the page and through the
API: "report to review" when the report is accepted or returned, a reminder or a return when
the report is submitted; each says who did it and no longer counts as unread."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from commonground.notifications.models import Notification
from commonground.notifications.services import reminders as reminder_job
from commonground.reporting.services import reports
from commonground.reporting.tests.factories import fill, make_schedule, report_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2025():
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


def asking(action: str):
    return Notification.objects.filter(action=action)


def test_accepting_on_the_page_resolves_every_review_request(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    submit(world, report)
    review = asking(f"report-review:{report.pk}")
    assert {n.user for n in review} == {world.coordinator, world.editor}
    assert all(n.done_at is None and n.read_at is None for n in review)

    client = Client()
    client.force_login(world.coordinator)
    report.refresh_from_db()
    response = client.post(
        f"/partnerships/{world.a.pk}/reports/{report.pk}/accept/", {"version": report.version}
    )
    assert response.status_code == 302
    for note in asking(f"report-review:{report.pk}"):
        assert note.done_at is not None and note.done_by == world.coordinator
        assert note.read_at is not None  # no longer counted as unread
    inbox = Client()
    inbox.force_login(world.editor)
    page = inbox.get("/notifications/").text
    needs, info = page.split('id="for-information"')
    assert "Report to review" not in needs and "by Coordinator" in info


def test_returning_through_the_api_resolves_and_resubmitting_resolves_the_return(world):
    report = report_of(world, make_schedule(world), "2025-Q1")
    submit(world, report)
    client = Client()
    client.force_login(world.editor)
    response = client.post(
        f"/api/v1/partnerships/{world.a.pk}/reports/{report.pk}/return",
        {"comment": "Add the numbers."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert all(n.done_by == world.editor for n in asking(f"report-review:{report.pk}"))
    (returned,) = asking(f"report-write:{report.pk}")
    assert returned.user == world.reporter and returned.done_at is None

    report.refresh_from_db()
    fill(world, report, achievements="Opened 14 beds.")
    reports.report_submit(actor=world.reporter, seat=world.seat(world.reporter), report=report)
    returned.refresh_from_db()
    assert returned.done_at is not None and returned.done_by == world.reporter


def test_a_reminder_to_write_is_done_when_the_report_is_submitted(world):
    report = report_of(world, make_schedule(world), "2025-Q1")  # due 30 April; reminder at -7
    with time_machine.travel(dt.datetime(2025, 4, 23, 9, tzinfo=dt.UTC), tick=False):
        assert reminder_job.send_due() >= 1
    (reminder,) = asking(f"report-write:{report.pk}")
    assert reminder.user == world.reporter and reminder.done_at is None
    submit(world, report)
    reminder.refresh_from_db()
    assert reminder.done_by == world.reporter and reminder.read_at is not None
