"""Reminders: at the right moments (time travel), to the right people, never twice, and not
for reports that are in."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from commonground.notifications.models import EmailStatus, Notification
from commonground.notifications.services import notify
from commonground.notifications.services.reminders import send_due
from commonground.partnerships.models import Partnership
from commonground.reporting.models import PartnerReport
from commonground.reporting.services import reminders, reports
from commonground.reporting.tests.factories import make_schedule, report_of, submit

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(*args: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime(*args).replace(tzinfo=tz)


def run_job(when: dt.datetime) -> int:
    with time_machine.travel(when, tick=False):
        return send_due()


def keys() -> list[str]:
    return sorted(
        Notification.objects.filter(key__startswith="reminder:").values_list("key", flat=True)
    )


def offsets_of(report: PartnerReport) -> set[str]:
    return {k.split(":")[2] for k in keys() if k.split(":")[1] == str(report.pk)}


@pytest.fixture
def schedule(world):
    # Quarterly, due 30 days after the quarter, reminders 7 days before, on the day, 3 after:
    # 2025-Q1 is due on 30 April 2025.
    with time_machine.travel(at(2025, 1, 10, 9), tick=False):
        return make_schedule(world)


def test_reminders_come_before_on_and_after_the_due_date_and_never_early(world, schedule):
    q1 = report_of(world, schedule, "2025-Q1")
    r, c = world.reporter.pk, world.coordinator.pk
    assert run_job(at(2025, 4, 22, 23, 59)) == 0, "nothing before the first reminder's day"
    assert run_job(at(2025, 4, 23, 0, 5)) == 1
    assert keys() == [f"reminder:{q1.pk}:-7:{r}"]
    first = Notification.objects.get()
    assert first.user == world.reporter and first.kind == "reminder"
    assert first.subject == (
        "Report due in 7 days: Shelter Network, 2025-Q1 (Homelessness Response)"
    )
    assert first.link == f"/partnerships/{world.a.pk}/reports/{q1.pk}/"
    assert run_job(at(2025, 4, 24, 12)) == 0, "the same reminder is not made again"
    assert run_job(at(2025, 4, 30, 8)) == 1
    assert Notification.objects.get(key=f"reminder:{q1.pk}:0:{r}").subject.startswith(
        "Report due today"
    )
    assert run_job(at(2025, 5, 2, 23)) == 0
    # Three days late: an overdue reminder to the reporter and to the coordinator.
    assert run_job(at(2025, 5, 3, 6)) == 2
    overdue = Notification.objects.filter(kind="overdue")
    assert {n.user_id for n in overdue} == {r, c}
    assert "coordinate" in overdue.get(user_id=c).body
    assert run_job(at(2025, 5, 4, 6)) == 0
    # Nobody else: the viewer (no right to write) and the editor (another partner's seat).
    assert set(Notification.objects.values_list("user_id", flat=True)) == {r, c}


def test_submitted_and_accepted_reports_get_no_reminders(world, schedule):
    q1 = report_of(world, schedule, "2025-Q1")
    with time_machine.travel(at(2025, 4, 10), tick=False):
        submit(world, q1)
    assert run_job(at(2025, 4, 23, 9)) == 0
    reports.report_accept(actor=world.coordinator, seat=world.seat(world.coordinator), report=q1)
    assert run_job(at(2025, 4, 30, 9)) == 0
    assert run_job(at(2025, 5, 3, 9)) == 0
    assert not Notification.objects.filter(kind__in=reminders.KINDS).exists()


def test_a_returned_report_is_still_owed_and_reminded(world, schedule):
    q1 = report_of(world, schedule, "2025-Q1")
    with time_machine.travel(at(2025, 4, 10), tick=False):
        submit(world, q1)
        reports.report_return(
            actor=world.coordinator,
            seat=world.seat(world.coordinator),
            report=q1,
            comment="Add the March figures.",
        )
    assert run_job(at(2025, 4, 30, 9)) == 1
    note = Notification.objects.get(kind="reminder")
    assert "returned with comments" in note.body


def test_a_worker_back_after_a_long_stop_sends_no_old_reminders(world, schedule):
    q1 = report_of(world, schedule, "2025-Q1")
    # Stopped from before 23 April until 10 May: every Q1 reminder is older than the window.
    assert run_job(at(2025, 5, 10, 9)) == 0
    # Back on 5 May (two days after the overdue reminder's day): that one still goes out.
    assert run_job(at(2025, 5, 5, 23)) == 2
    assert {k.split(":")[2] for k in keys()} == {"3"}
    assert q1.pk == int(keys()[0].split(":")[1])


def test_of_reminders_that_came_due_together_only_the_latest_is_sent(world):
    with time_machine.travel(at(2025, 1, 10, 9), tick=False):
        schedule = make_schedule(world, reminder_offsets=[0, 1])
    q1 = report_of(world, schedule, "2025-Q1")
    # The worker was down on the due day (30 April) and comes back on 1 May.
    assert run_job(at(2025, 5, 1, 9)) == 2  # the reporter and the coordinator, offset 1
    assert {k.split(":")[2] for k in keys()} == {"1"}
    assert run_job(at(2025, 5, 1, 10)) == 0
    assert Notification.objects.filter(key__contains=f":{q1.pk}:0:").count() == 0


def test_leap_days_and_month_ends_in_the_sites_time_zone(world, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    ams = dt.timezone(dt.timedelta(hours=1))  # Amsterdam in winter (CET)
    Partnership.objects.filter(pk=world.a.pk).update(end_date=dt.date(2028, 12, 31))
    world.a.refresh_from_db()
    with time_machine.travel(at(2028, 1, 5, 9), tick=False):
        schedule = make_schedule(
            world, frequency="monthly", due_days=0, reminder_offsets=[-1, 0, 1]
        )
    jan = report_of(world, schedule, "2028-01")
    feb = report_of(world, schedule, "2028-02")
    apr = report_of(world, schedule, "2028-04")
    assert (jan.period.due_date, feb.period.due_date, apr.period.due_date) == (
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),
        dt.date(2028, 4, 30),
    )
    # January is due on the 31st; its overdue reminder comes on 1 February, site time.
    run_job(at(2028, 1, 31, 23, 30, tz=ams))
    assert offsets_of(jan) == {"0"}, "of -1 and 0, both in the window, only the latest"
    run_job(at(2028, 2, 1, 0, 10, tz=ams))  # 23:10 UTC on 31 January, already 1 February here
    assert offsets_of(jan) == {"0", "1"}
    # February 2028 ends on the 29th: the day before is the 28th, the day after 1 March.
    run_job(at(2028, 2, 27, 23, 50, tz=ams))
    assert offsets_of(feb) == set()
    run_job(at(2028, 2, 28, 0, 10, tz=ams))
    assert offsets_of(feb) == {"-1"}
    run_job(at(2028, 2, 28, 23, 50, tz=ams))
    assert offsets_of(feb) == {"-1"}, "29 February has not come yet in Amsterdam"
    run_job(at(2028, 2, 29, 0, 10, tz=ams))  # 23:10 UTC on the 28th
    assert offsets_of(feb) == {"-1", "0"}
    run_job(at(2028, 3, 1, 0, 10, tz=ams))
    assert offsets_of(feb) == {"-1", "0", "1"}
    # 30-day April: due on the 30th, reminded on the 29th and on 1 May.
    run_job(at(2028, 4, 29, 9, tz=ams))
    run_job(at(2028, 5, 1, 9, tz=ams))
    assert offsets_of(apr) == {"-1", "1"}


def test_inactive_schedules_and_closed_partnerships_send_no_reminders(world, schedule):
    type(schedule).objects.filter(pk=schedule.pk).update(active=False)
    assert run_job(at(2025, 4, 30, 9)) == 0
    type(schedule).objects.filter(pk=schedule.pk).update(active=True)
    Partnership.objects.filter(pk=world.a.pk).update(status="4")
    assert run_job(at(2025, 4, 30, 9)) == 0
    Partnership.objects.filter(pk=world.a.pk).update(status="2")
    assert run_job(at(2025, 4, 30, 9)) == 1


def test_a_reminder_is_mailed_once_with_its_link(world, schedule, run_tasks):
    q1 = report_of(world, schedule, "2025-Q1")
    with time_machine.travel(at(2025, 4, 30, 9), tick=False):
        send_due()
        send_due()  # the job run twice
        assert run_tasks() == ["sent"]
        note = Notification.objects.get()
        assert notify.deliver(note.pk) == "skipped"  # the task run twice
        send_due()  # and again after a restart
        assert run_tasks() == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["reporter@a.test"]
    assert message.subject.startswith("Report due today: Shelter Network, 2025-Q1")
    link = f"http://testserver/partnerships/{world.a.pk}/reports/{q1.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in str(html)
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT and note.email_attempts == 1


class WorkerKilled(BaseException):
    """What a worker killed mid-send looks like to the code after it: nothing runs."""


def test_a_worker_dying_between_claim_and_send_never_sends_twice(
    world, schedule, run_tasks, monkeypatch
):
    with time_machine.travel(at(2025, 4, 30, 9), tick=False):
        send_due()
        note = Notification.objects.get()

        def die(self: EmailMultiAlternatives, *args: object, **kwargs: object) -> int:
            raise WorkerKilled

        with monkeypatch.context() as patch:
            patch.setattr(EmailMultiAlternatives, "send", die)
            with pytest.raises(WorkerKilled):
                notify.deliver(note.pk)
        note.refresh_from_db()
        assert note.email_status == EmailStatus.SENDING
        # A restarted worker: the queued task, the job and the task again send nothing.
        assert notify.deliver(note.pk) == "skipped"
        send_due()
        assert Notification.objects.count() == 1
    assert len(mail.outbox) == 0
    # The sweeper gives up on it: it may or may not have gone out, so it is never resent.
    assert notify.sweep(at(2025, 4, 30, 11)) == 1
    note.refresh_from_db()
    assert note.email_status == EmailStatus.FAILED
    assert notify.deliver(note.pk) == "skipped"
    assert len(mail.outbox) == 0


def test_a_report_submitted_before_its_reminder_is_mailed_gets_no_mail(world, schedule, run_tasks):
    q1 = report_of(world, schedule, "2025-Q1")
    with time_machine.travel(at(2025, 4, 30, 9), tick=False):
        send_due()
        submit(world, q1)
        run_tasks()
    reminder = Notification.objects.get(kind="reminder")
    assert reminder.email_status == EmailStatus.NONE
    assert not [m for m in mail.outbox if m.to == ["reporter@a.test"]]


def test_people_without_a_seat_on_the_partner_get_nothing(world, schedule):
    from commonground.partnerships.models import Seat

    Seat.objects.filter(user=world.reporter, partnership=world.a).update(partner=world.lead_a)
    assert run_job(at(2025, 4, 30, 9)) == 0
    assert PartnerReport.objects.filter(partner=world.ngo_a).exists()
