"""The notifications page and the header count: a person's own notifications only, newest
first, unread ones marked; mark one or all read."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.notifications.models import Notification
from commonground.notifications.services.notify import notify

pytestmark = pytest.mark.django_db


def note(user, key: str, subject: str, link: str = "") -> Notification:
    with transaction.atomic():
        made = notify(user=user, kind="test", key=key, subject=subject, body="Body.", link=link)
    assert made is not None
    return made


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_person_sees_only_their_own_notifications_newest_first(world):
    first = note(world.reporter, "t:1", "First for the reporter", link="/partnerships/")
    second = note(world.reporter, "t:2", "Second for the reporter")
    note(world.viewer, "t:3", "For the viewer")
    page = signed_in(world.reporter).get("/notifications/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "For the viewer" not in content
    assert content.index("Second for the reporter") < content.index("First for the reporter")
    assert content.count("notification-unread") == 2
    assert '<a href="/partnerships/">First for the reporter</a>' in content
    assert f"/notifications/{second.pk}/read/" in content
    assert first.pk


def test_marking_read_is_for_ones_own_notifications(world):
    mine = note(world.reporter, "t:1", "Mine")
    theirs = note(world.viewer, "t:2", "Theirs")
    client = signed_in(world.reporter)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    first_read = mine.read_at
    client.post(f"/notifications/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at == first_read, "the first reading time stays"


def test_mark_all_read_leaves_other_peoples_alone(world):
    note(world.reporter, "t:1", "One")
    note(world.reporter, "t:2", "Two")
    theirs = note(world.viewer, "t:3", "Theirs")
    client = signed_in(world.reporter)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(user=world.reporter, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert b"notification-unread" not in client.get("/notifications/").content


def test_the_header_shows_the_unread_count_with_one_query(world):
    for i in range(3):
        note(world.reporter, f"t:{i}", f"Note {i}")
    note(world.viewer, "t:v", "Not mine")
    client = signed_in(world.reporter)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/profile/")
    assert '3<span class="visually-hidden"> unread</span>' in page.content.decode()
    counts = [q["sql"] for q in queries if "reporting_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()
    client.post("/notifications/read-all/")
    assert "unread</span>" not in client.get("/profile/").content.decode()


def test_the_notifications_page_needs_sign_in(world):
    response = Client().get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_lists_and_marks_only_my_notifications(world):
    mine = note(world.reporter, "t:1", "Mine")
    note(world.reporter, "t:2", "Mine too")
    theirs = note(world.viewer, "t:3", "Theirs")
    client = signed_in(world.reporter)
    listed = client.get("/api/v1/notifications").json()
    assert listed["count"] == 2 and [n["subject"] for n in listed["items"]] == ["Mine too", "Mine"]
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    read = client.post(f"/api/v1/notifications/{mine.pk}/read").json()
    assert read["read_at"] is not None
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert client.post("/api/v1/notifications/read").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_fixed_unread_count_is_the_querysets_count(world):
    from commonground.notifications.services.inbox import unread_count, unread_count_orm

    assert unread_count(world.reporter) == unread_count_orm(world.reporter) == 0
    first = note(world.reporter, "t:1", "One")
    note(world.reporter, "t:2", "Two")
    note(world.viewer, "t:3", "Not the reporter's")
    assert unread_count(world.reporter) == unread_count_orm(world.reporter) == 2
    client = signed_in(world.reporter)
    client.post(f"/notifications/{first.pk}/read/")
    assert unread_count(world.reporter) == unread_count_orm(world.reporter) == 1
    assert unread_count(world.viewer) == unread_count_orm(world.viewer) == 1


def test_a_request_done_by_anyone_moves_to_for_information_and_says_who(world):
    from commonground.notifications.services.notify import resolve

    with transaction.atomic():
        for person in (world.coordinator, world.editor):
            notify(
                user=person,
                kind="report_submitted",
                key=f"t:review:{person.pk}",
                subject="Report to review: Shelter Network, 2025-Q1",
                body="Please review.",
                action="report-review:1",
            )
        notify(user=world.coordinator, kind="test", key="t:info", subject="FYI", body="Body.")
    client = signed_in(world.coordinator)
    page = client.get("/notifications/").text
    needs, info = page.split('id="for-information"')
    assert "Report to review" in needs and "FYI" in info
    assert unread_of(world.coordinator) == 2

    with transaction.atomic():
        assert resolve("report-review:1", by=world.editor) == 2
    page = client.get("/notifications/").text
    needs, info = page.split('id="for-information"')
    assert "Report to review" not in needs and "Report to review" in info
    assert "by Editor" in info  # who did it
    assert unread_of(world.coordinator) == 1 and unread_of(world.editor) == 0
    with transaction.atomic():
        assert resolve("report-review:1", by=world.coordinator) == 0  # done once


def test_a_request_done_before_its_email_went_out_is_not_mailed(world):
    from django.core import mail

    from commonground.notifications.services.notify import deliver, resolve

    with transaction.atomic():
        made = notify(
            user=world.coordinator,
            kind="report_submitted",
            key="t:review",
            subject="Report to review",
            body="Please review.",
            action="report-review:2",
        )
        resolve("report-review:2", by=world.editor)
    assert deliver(made.pk) == "skipped" and mail.outbox == []


def unread_of(user) -> int:
    from commonground.notifications.services.inbox import unread_count

    return unread_count(user)
