"""Digests: what a seeded week holds, nothing when nothing happened, never twice, only the
partnerships a person sits in, and a signed unsubscribe link that works without signing in."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from commonground.notifications.facts import digest_sent
from commonground.notifications.models import (
    DigestSend,
    DigestSubscription,
    EmailStatus,
    Notification,
)
from commonground.notifications.services import digests, notify
from commonground.partnerships.models import Seat
from commonground.reporting.models import Achievement, ProgressUpdate
from commonground.reporting.tests.factories import make_schedule, report_of, submit

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args).replace(tzinfo=dt.UTC)


MONDAY = at(2025, 5, 5, 7, 5)  # week 2025-W19, just after the digest hour


def run_job(when: dt.datetime, run_tasks: Any) -> list[DigestSend]:
    with time_machine.travel(when, tick=False):
        sends = digests.send_due()
        run_tasks()
        return sends


def mail_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def seeded(world):
    """Partnership A in the week before Monday 5 May 2025: an achievement, an internal update
    with a challenge, the NGO's Q1 report submitted with its challenges, the City's Q1 report
    fallen overdue on 30 April; and an achievement in partnership B."""
    with time_machine.travel(at(2025, 1, 10, 9), tick=False):
        schedule = make_schedule(world, partner_ids=[world.ngo_a.pk, world.lead_a.pk])
    Achievement.objects.create(
        partnership=world.a,
        kind="milestone_done",
        key="test:beds",
        title="Winter shelter opened",
        occurred_at=at(2025, 4, 29, 10),
    )
    Achievement.objects.create(
        partnership=world.a,
        kind="milestone_done",
        key="test:old",
        title="An old achievement",
        occurred_at=at(2025, 3, 1, 10),
    )
    ProgressUpdate.objects.create(
        partnership=world.a,
        author=world.reporter,
        partner=world.ngo_a,
        title="Night outreach in April",
        body="We met 40 people.",
        challenges="Volunteers are hard to find at night.",
        visibility="internal",
        created_at=at(2025, 4, 30, 18),
    )
    with time_machine.travel(at(2025, 5, 1, 12), tick=False):
        submit(world, report_of(world, schedule, "2025-Q1"))
    Achievement.objects.create(
        partnership=world.b,
        kind="milestone_done",
        key="test:dunes",
        title="Dunes replanted",
        occurred_at=at(2025, 4, 29, 10),
    )
    mail.outbox.clear()
    return schedule


def test_a_weekly_digest_holds_what_happened_in_the_partnership(world, seeded, run_tasks):
    with digest_sent.observed() as sent_signals:
        sends = run_job(MONDAY, run_tasks)
    a_people = {world.coordinator.pk, world.editor.pk, world.reporter.pk, world.viewer.pk}
    assert {s.user_id for s in sends if s.partnership_id == world.a.pk} == a_people
    assert {s.period_key for s in sends} == {"2025-W19"}
    [message] = mail_to("viewer@a.test")
    assert message.subject == "Weekly digest: Homelessness Response"
    text = message.body
    assert "Winter shelter opened" in text
    assert "An old achievement" not in text, "only what is new since the last digest"
    assert "Night outreach in April" in text
    assert "Volunteers are hard to find at night." in text
    assert "Staff turnover; handled with a shared rota." in text  # the NGO report's challenges
    assert "City of Testville, 2025-Q1: due 30 Apr 2025 (new)" in text
    assert "Dunes replanted" not in text, "nothing of a partnership without a seat"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<h2>Achievements</h2>" in html and "Winter shelter opened" in html
    report_url = f"http://testserver/partnerships/{world.a.pk}/reports/"
    assert report_url in html
    # One-click unsubscribe (RFC 8058).
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http://testserver/digests/unsubscribe/")
    assert "/digests/unsubscribe/" in text
    # The digest is recorded, and the communication plan hears of it.
    send = DigestSend.objects.get(user=world.viewer, partnership=world.a)
    # An achievement, an update (its challenge comes with it), a report challenge, a report
    # fallen overdue.
    assert send.items == 4 and send.sent_at is not None
    assert send.since == at(2025, 4, 28, 7)
    assert {(s["partnership_id"], s["user_id"]) for s in sent_signals} >= {
        (world.a.pk, world.viewer.pk)
    }
    assert all(s["period_key"] == "2025-W19" for s in sent_signals)
    # In the app, a digest is a record of the e-mail, not an unread message.
    note = Notification.objects.get(kind="digest", user=world.viewer)
    assert note.read_at is not None and note.email_status == EmailStatus.SENT
    # B's coordinator hears of B only.
    [b_message] = mail_to("coordinator@b.test")
    assert "Dunes replanted" in b_message.body and "Winter shelter" not in b_message.body
    assert not mail_to("outsider@nowhere.test")


def test_nothing_is_sent_when_nothing_happened_and_nothing_twice(world, seeded, run_tasks):
    run_job(MONDAY, run_tasks)
    first = len(mail.outbox)
    run_job(MONDAY + dt.timedelta(hours=1), run_tasks)  # the job again, the same week
    assert len(mail.outbox) == first
    assert DigestSend.objects.filter(period_key="2025-W19").count() == 5
    # The next Monday: nothing new, though the City's Q1 report is still overdue.
    mail.outbox.clear()
    sends = run_job(MONDAY + dt.timedelta(days=7), run_tasks)
    assert len(sends) == 5 and all(s.items == 0 and s.sent_at is None for s in sends)
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="digest", key__contains="2025-W20").exists()
    # A week with an update: the still-overdue report is listed with the news.
    ProgressUpdate.objects.create(
        partnership=world.a,
        author=world.coordinator,
        title="Council approved the budget",
        body="Yes.",
        created_at=at(2025, 5, 14, 9),
    )
    run_job(MONDAY + dt.timedelta(days=14), run_tasks)
    [message] = mail_to("reporter@a.test")
    assert "Council approved the budget" in message.body
    assert "City of Testville, 2025-Q1: due 30 Apr 2025\n" in message.body
    assert "Night outreach" not in message.body, "it was in the digest before"


def test_digests_follow_each_persons_choice(world, seeded, run_tasks):
    digests.digest_choose(user=world.reporter, partnership_id=world.a.pk, frequency="monthly")
    digests.digest_choose(user=world.viewer, partnership_id=world.a.pk, frequency="none")
    run_job(MONDAY, run_tasks)
    assert mail_to("coordinator@a.test") and not mail_to("reporter@a.test")
    assert not mail_to("viewer@a.test")
    assert not DigestSend.objects.filter(user=world.viewer).exists()
    # The monthly digest comes on Sunday 1 June and covers May from the 1st.
    run_job(at(2025, 6, 1, 7, 30), run_tasks)
    [monthly] = mail_to("reporter@a.test")
    assert monthly.subject == "Monthly digest: Homelessness Response"
    send = DigestSend.objects.get(user=world.reporter)
    assert send.period_key == "2025-06" and send.since == at(2025, 5, 1, 7)
    assert "Staff turnover" in monthly.body  # the report submitted on 1 May, after 07:00
    assert not mail_to("viewer@a.test")


def test_a_digest_is_due_from_monday_morning_for_two_days_in_site_time(
    world, seeded, run_tasks, settings
):
    settings.TIME_ZONE = "Europe/Amsterdam"  # summer: UTC+2
    assert run_job(at(2025, 5, 5, 4, 59), run_tasks) == []  # 06:59 in Amsterdam
    assert run_job(at(2025, 5, 4, 23, 0), run_tasks) == []  # Monday 01:00 there
    assert len(run_job(at(2025, 5, 5, 5, 0), run_tasks)) == 5  # 07:00 there
    # A worker stopped all Monday and Tuesday does not send the week's digest on Thursday.
    DigestSend.objects.all().delete()
    assert run_job(at(2025, 5, 8, 9), run_tasks) == []


def test_a_seat_revoked_before_the_mail_goes_out_gets_no_digest(world, seeded, run_tasks):
    with time_machine.travel(MONDAY, tick=False):
        digests.send_due()
    Seat.objects.filter(user=world.viewer, partnership=world.a).delete()
    with time_machine.travel(MONDAY, tick=False):
        run_tasks()
    assert not mail_to("viewer@a.test")
    note = Notification.objects.get(kind="digest", user=world.viewer)
    assert note.email_status == EmailStatus.NONE
    assert mail_to("coordinator@a.test")


def test_a_digest_retried_after_an_smtp_failure_keeps_its_content(world, seeded, run_tasks):
    with time_machine.travel(MONDAY, tick=False):
        digests.send_due()
    note = Notification.objects.get(kind="digest", user=world.viewer)
    # Much later (a retry after a long outage), the e-mail still covers the digest's week.
    ProgressUpdate.objects.create(
        partnership=world.a, author=world.coordinator, title="Later news", body="x"
    )
    with time_machine.travel(MONDAY + dt.timedelta(hours=3), tick=False):
        assert notify.deliver(note.pk) == "sent"
    [message] = mail_to("viewer@a.test")
    assert "Winter shelter opened" in message.body and "Later news" not in message.body


# Unsubscribing --------------------------------------------------------------------------------


def unsubscribe_path(world: Any, user: Any) -> str:
    return f"/digests/unsubscribe/{digests.unsubscribe_token(user.pk, world.a.pk)}/"


def test_unsubscribe_asks_then_stops_the_digest_without_signing_in(world):
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_path(world, world.reporter)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Stop the e-mail digest about" in page.content and b"reporter@a.test" in page.content
    assert not DigestSubscription.objects.exists(), "GET changes nothing"
    done = client.post(url, {"csrfmiddlewaretoken": "ignored"})
    assert done.status_code == 200 and b"gets no more digests" in done.content
    assert digests.frequency_of(world.reporter, world.a.pk) == "none"
    # The ledger has it, as the person's own choice.
    from commonground.core.models import AuditEvent

    event = AuditEvent.objects.get(action="digest.choose")
    assert event.actor_id == world.reporter.pk and event.changes["via"] == [None, "unsubscribe"]


def test_one_click_unsubscribe_from_a_mail_client(world):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie or CSRF token."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path(world, world.viewer),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert digests.frequency_of(world.viewer, world.a.pk) == "none"
    assert digests.frequency_of(world.reporter, world.a.pk) == "weekly"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.replace(token.split(":")[0], "WzEsMV0"),  # another person's ids
        lambda token: "nonsense",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_a_tampered_unsubscribe_link_is_refused(world, mangle):
    token = mangle(digests.unsubscribe_token(world.reporter.pk, world.a.pk))
    client = Client()
    assert client.get(f"/digests/unsubscribe/{token}/").status_code == 400
    assert client.post(f"/digests/unsubscribe/{token}/").status_code == 400
    assert not DigestSubscription.objects.exists()


def test_an_unsubscribe_token_for_another_purpose_is_refused(world):
    from django.core import signing

    token = signing.dumps([world.reporter.pk, world.a.pk])  # unsalted: not ours
    assert Client().post(f"/digests/unsubscribe/{token}/").status_code == 400
    assert not DigestSubscription.objects.exists()


# Choosing -------------------------------------------------------------------------------------


def test_the_digest_page_lists_my_partnerships_and_saves_my_choice(world):
    client = Client()
    client.force_login(world.coordinator)
    page = client.get("/notifications/digests/")
    assert page.status_code == 200
    assert b"Homelessness Response" in page.content and b"Dune Restoration" not in page.content
    name = f"digest_{world.a.pk}"
    assert b'<option value="weekly" selected>' in page.content
    response = client.post("/notifications/digests/", {name: "monthly"})
    assert response.status_code == 302
    assert digests.frequency_of(world.coordinator, world.a.pk) == "monthly"
    bad = client.post("/notifications/digests/", {name: "daily"})
    assert bad.status_code == 200 and b"errorlist" in bad.content
    assert digests.frequency_of(world.coordinator, world.a.pk) == "monthly"


def test_nobody_chooses_a_digest_for_a_partnership_without_a_seat(world):
    from commonground.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        digests.digest_choose(user=world.outsider, partnership_id=world.a.pk, frequency="weekly")
