"""Reminders: before, on and after a report's due date, to the people who write it; after it
(an overdue reminder) also to the partnership's coordinators.

This is reporting's reminder rule, registered with notifications (see reporting.apps); the
notifications app's reminder job (every 15 minutes) asks it what is due and sends. For every
report that is not submitted (draft, or returned to its partner: either way the partner still
owes it) of an active schedule, it takes the schedule's reminder offsets whose date (due date +
offset, in the site's TIME_ZONE) has come and is at most CATCH_UP old, and notifies each person
once per report and offset: the notification's key is f"reminder:{report}:{offset}:{person}",
unique in the database, so running the job twice, or again after a restarted worker, finds the
reminder made and makes nothing. A worker that was stopped for longer than CATCH_UP does not
send the old reminders when it comes back, and of several reminders that came due while it was
stopped only the latest is sent: one message, not a backlog.

The notification row is the record of a reminder (who, which report and offset, when, and its
e-mail's fate): reminders are not written to the audit ledger, which records what people changed.
"""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.models import User
from commonground.notifications.models import Notification
from commonground.notifications.registry import Reminder
from commonground.notifications.services.notify import language_of
from commonground.partnerships.models import SeatRole
from commonground.reporting.models import PartnerReport, ReportStatus
from commonground.reporting.periods import reminder_dates
from commonground.reporting.services.reports import people_with_role, writers_of
from commonground.reporting.services.schedules import MAX_OFFSET

KINDS = ("reminder", "overdue")
CATCH_UP = dt.timedelta(days=2)
# Reports that are still owed.
UNSUBMITTED = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Closed, cancelled and suspended partnerships (IATI activity status 4, 5, 6) are not nagged.
QUIET_STATUSES = ("4", "5", "6")


def due_offset(offsets: Iterable[int], due_date: dt.date, today: dt.date) -> int | None:
    """The latest reminder offset whose date has come, if it is at most CATCH_UP old."""
    came = [
        (day, offset)
        for offset, day in reminder_dates(due_date, list(offsets))
        if today - CATCH_UP <= day <= today
    ]
    return max(came)[1] if came else None


def coordinators_of(report: PartnerReport) -> list[User]:
    return people_with_role(report, SeatRole.COORDINATOR)


def _kind(offset: int) -> str:
    return "overdue" if offset > 0 else "reminder"


def _subject(report: PartnerReport, offset: int) -> str:
    """A reminder's subject, in the active language."""
    words = {
        "partner": report.partner.organisation.name,
        "period": report.period.key,
        "partnership": report.partnership.title,
    }
    if offset < 0:
        return ngettext(
            "Report due in %(days)s day: %(partner)s, %(period)s (%(partnership)s)",
            "Report due in %(days)s days: %(partner)s, %(period)s (%(partnership)s)",
            -offset,
        ) % {"days": -offset, **words}
    if offset == 0:
        return _("Report due today: %(partner)s, %(period)s (%(partnership)s)") % words
    return ngettext(
        "Report overdue by %(days)s day: %(partner)s, %(period)s (%(partnership)s)",
        "Report overdue by %(days)s days: %(partner)s, %(period)s (%(partnership)s)",
        offset,
    ) % {"days": offset, **words}


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _body(report: PartnerReport, offset: int, for_coordinator: bool) -> str:
    """A reminder's text, in the active language."""
    period = report.period
    lines = [
        _(
            "The report “%(schedule)s” of %(partner)s for %(period)s (%(start)s to %(end)s) "
            "is due on %(due)s."
        )
        % {
            "schedule": period.schedule.title,
            "partner": report.partner.organisation.name,
            "period": period.key,
            "start": _day(period.start),
            "end": _day(period.end),
            "due": _day(period.due_date),
        }
    ]
    if report.status == ReportStatus.RETURNED:
        lines.append(_("It was returned with comments and has not been submitted again."))
    elif offset > 0:
        lines.append(_("It has not been submitted yet."))
    if for_coordinator:
        lines.append(_("You get this because you coordinate the partnership."))
    else:
        lines.append(_("Fill it in and submit it for review on its page."))
    return "\n\n".join(lines)


def _reminder(report: PartnerReport, offset: int, user: User, as_coordinator: bool) -> Reminder:
    """One person's reminder, written in their language (the registry's Reminder holds text)."""
    with translation.override(language_of(user)):
        return Reminder(
            user=user,
            kind=_kind(offset),
            key=f"reminder:{report.pk}:{offset}:{user.pk}",
            subject=_subject(report, offset),
            body=_body(report, offset, as_coordinator),
            link=reverse("reporting:report", args=[report.partnership_id, report.pk]),
            partnership_id=report.partnership_id,
        )


def reminders_of(report: PartnerReport, offset: int) -> list[Reminder]:
    """The report's writers (and, once it is overdue, the coordinators) and what to tell them."""
    people: dict[int, tuple[User, bool]] = {u.pk: (u, False) for u in writers_of(report)}
    if offset > 0:
        for user in coordinators_of(report):
            people.setdefault(user.pk, (user, True))
    return [
        _reminder(report, offset, user, as_coordinator) for user, as_coordinator in people.values()
    ]


def reports_to_remind(now: dt.datetime) -> list[tuple[PartnerReport, int]]:
    """Unsubmitted reports of active schedules with a reminder due today (site time), and its
    offset: the rule's `due`."""
    today = timezone.localdate(now)
    window = MAX_OFFSET + CATCH_UP.days
    candidates = (
        PartnerReport.objects.filter(
            status__in=UNSUBMITTED,
            period__schedule__active=True,
            period__due_date__gte=today - dt.timedelta(days=window),
            period__due_date__lte=today + dt.timedelta(days=window),
        )
        .exclude(partnership__status__in=QUIET_STATUSES)
        .select_related("period__schedule", "partner__organisation", "partnership")
        .order_by("period__due_date", "pk")
    )
    due = []
    for report in candidates:
        offset = due_offset(report.period.schedule.reminder_offsets, report.period.due_date, today)
        if offset is not None:
            due.append((report, offset))
    return due


def still_owed(notification: Notification) -> bool:
    """Whether a reminder's report is still not submitted: an e-mail retried after the report
    came in is not sent."""
    report_id = int(notification.key.split(":")[1])
    return PartnerReport.objects.filter(pk=report_id, status__in=UNSUBMITTED).exists()


def reminders_due(item: tuple[PartnerReport, int]) -> list[Reminder]:
    """The rule's `reminders`, in the job's transaction: nothing if the report was submitted
    since it was read."""
    report, offset = item
    fresh = PartnerReport.objects.select_for_update().filter(pk=report.pk).first()
    if fresh is None or fresh.status not in UNSUBMITTED:
        return []
    return reminders_of(report, offset)
