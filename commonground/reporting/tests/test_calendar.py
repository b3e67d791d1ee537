"""The personal calendar feed: shown once, stored hashed, parses with the icalendar library,
holds the due dates the person's seats allow, and stops with a revoked feed or seat."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from commonground.accounts.selectors import hash_token
from commonground.core.models import AuditEvent
from commonground.notifications.models import CalendarFeed
from commonground.notifications.services import calendar
from commonground.partnerships.models import Seat
from commonground.reporting.models import ReportingPeriod
from commonground.reporting.tests.factories import make_schedule, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(world):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        return make_schedule(world)


def fetch(secret: str, status: int = 200) -> Calendar | None:
    response = Client().get(f"/calendar/{secret}/reports.ics")
    assert response.status_code == status
    if status != 200:
        return None
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, dict]:
    return {
        str(e["UID"]): {
            "day": e.decoded("DTSTART"),
            "summary": str(e["SUMMARY"]),
            "url": str(e["URL"]),
            "stamp": e.decoded("DTSTAMP"),
        }
        for e in cal.walk("VEVENT")
    }


def test_a_reporters_feed_holds_their_partners_due_dates(world, schedule):
    _, secret = calendar.feed_create(user=world.reporter)
    cal = fetch(secret)
    assert cal is not None
    assert str(cal["PRODID"]) == "-//Common Ground//Report due dates//EN"
    assert str(cal["X-WR-CALNAME"]) == "Common Ground: report due dates"
    found = events(cal)
    q1 = report_of(world, schedule, "2025-Q1")
    assert len(found) == 12  # one per quarter of 2025-2027
    event = found[f"report-{q1.pk}@commonground"]
    assert event["day"] == dt.date(2025, 4, 30)  # an all-day event on the due date
    assert event["summary"] == "Report due: Shelter Network 2025-Q1 (Homelessness Response)"
    assert event["url"] == f"http://testserver/partnerships/{world.a.pk}/reports/{q1.pk}/"
    assert isinstance(event["stamp"], dt.datetime)
    q4_2027 = report_of(world, schedule, "2027-Q4")
    assert found[f"report-{q4_2027.pk}@commonground"]["day"] == dt.date(2028, 1, 30)
    # The UID is stable from one fetch to the next, so calendars update instead of duplicating.
    again = fetch(secret)
    assert again is not None and set(events(again)) == set(found)


def test_a_coordinators_feed_has_one_event_per_period(world, schedule):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        make_schedule(world, title="Annual financial report", frequency="annual", due_days=60)
    _, secret = calendar.feed_create(user=world.coordinator)
    cal = fetch(secret)
    assert cal is not None
    found = events(cal)
    periods = ReportingPeriod.objects.filter(partnership=world.a)
    assert set(found) == {f"period-{p.pk}@commonground" for p in periods}
    assert len(found) == 12 + 3
    annual = periods.get(key="2025", schedule__title="Annual financial report")
    event = found[f"period-{annual.pk}@commonground"]
    assert event["day"] == dt.date(2026, 3, 1)
    assert event["summary"] == "Reports due: Annual financial report 2025 (Homelessness Response)"
    assert event["url"] == f"http://testserver/partnerships/{world.a.pk}/reporting/"


def test_people_see_only_partnerships_they_sit_in(world, schedule):
    _, outsider = calendar.feed_create(user=world.outsider)
    _, other = calendar.feed_create(user=world.other_coordinator)
    for secret in (outsider, other):
        cal = fetch(secret)
        assert cal is not None and events(cal) == {}
    # A revoked seat takes its partnership's dates out at the next fetch.
    _, secret = calendar.feed_create(user=world.reporter)
    Seat.objects.filter(user=world.reporter, partnership=world.a).delete()
    cal = fetch(secret)
    assert cal is not None and events(cal) == {}


def test_a_feed_is_stored_hashed_revocable_and_replaced_by_a_new_one(world, schedule):
    feed, secret = calendar.feed_create(user=world.reporter)
    assert secret.startswith("cal_") and feed.token_hash == hash_token(secret)
    assert secret not in str(list(CalendarFeed.objects.values()))
    assert fetch(secret) is not None
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    # A new feed replaces the old one.
    _, newer = calendar.feed_create(user=world.reporter)
    fetch(secret, status=404)
    assert fetch(newer) is not None
    assert calendar.feed_revoke(user=world.reporter) == 1
    fetch(newer, status=404)
    fetch("cal_unknown", status=404)
    fetch("not-even-a-feed", status=404)
    assert list(
        AuditEvent.objects.filter(action__startswith="calendar_feed.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "calendar_feed.create",
        "calendar_feed.revoke",
        "calendar_feed.create",
        "calendar_feed.revoke",
    ]


def test_an_inactive_persons_feed_stops(world, schedule):
    _, secret = calendar.feed_create(user=world.reporter)
    world.reporter.is_active = False
    world.reporter.save()
    fetch(secret, status=404)


def test_the_calendar_page_shows_the_address_once(world, schedule):
    client = Client()
    client.force_login(world.reporter)
    assert b"Make my calendar address" in client.get("/profile/calendar/").content
    made = client.post("/profile/calendar/")
    assert made.status_code == 200
    match = re.search(
        rb"http://testserver/calendar/(cal_[A-Za-z0-9_-]+)/reports\.ics", made.content
    )
    assert match, made.content
    secret = match.group(1).decode()
    assert fetch(secret) is not None
    later = client.get("/profile/calendar/")
    assert secret.encode() not in later.content and b"Revoke it" in later.content
    assert client.post("/profile/calendar/revoke/").status_code == 302
    fetch(secret, status=404)
    # The profile page links here.
    assert b"/profile/calendar/" in client.get("/profile/").content
