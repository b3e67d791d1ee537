"""Personal calendar feeds: a secret iCalendar address with the report due dates of the
partnerships a person has a seat in.

Like an API token, the secret is shown once and only its SHA-256 is kept; a person has at most
one live feed (making a new one revokes the old) and can revoke it. The address is the
credential: it works without signing in, and a revoked or unknown one is "not found". What it
shows is read from the person's seats at every request, so a revoked seat takes its
partnership's dates out of the feed at the next refresh.

Who sees what: people who manage reporting (coordinators, editors) get one event per period of
each active schedule ("reports due"); everybody else gets their own partner's reports.
"""

import datetime as dt
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from commonground.accounts.models import User
from commonground.accounts.selectors import hash_token
from commonground.core.audit import record_event
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import CalendarFeed, PartnerReport, ReportingPeriod
from commonground.reporting.services.notify import absolute

SECRET_PREFIX = "cal_"  # noqa: S105 - a marker, not a secret
# Calendar clients poll often: note the use at most this often, not on every fetch.
TOUCH_EVERY = dt.timedelta(minutes=15)


@transaction.atomic
def feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new calendar feed for `user` (their earlier one stops working); the secret, once."""
    _revoke_all(user)
    secret = f"{SECRET_PREFIX}{secrets.token_urlsafe(32)}"
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(secret))
    record_event(actor=user, action="calendar_feed.create", obj=feed, object_label="Calendar feed")
    return feed, secret


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    """Revoke the person's live feed; its address stops working at once. How many were live."""
    return _revoke_all(user)


def _revoke_all(user: User) -> int:
    now = timezone.now()
    revoked = 0
    for feed in CalendarFeed.objects.select_for_update().filter(user=user, revoked_at=None):
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        record_event(
            actor=user,
            action="calendar_feed.revoke",
            obj=feed,
            object_label="Calendar feed",
            changes={"revoked_at": [None, now]},
        )
        revoked += 1
    return revoked


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at=None).first()


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The live feed of an active person that `secret` opens, or None; notes its use."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if feed is not None:
        now = timezone.now()
        if feed.last_used_at is None or feed.last_used_at < now - TOUCH_EVERY:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed


def _event(uid: str, day: dt.date, summary: str, url: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", f"{description}\n{url}")
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user: User) -> Calendar:
    """The person's calendar of report due dates, from their seats as they are now."""
    calendar = Calendar()
    calendar.add("prodid", "-//Common Ground//Report due dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Common Ground: report due dates")
    calendar.add("x-wr-caldesc", f"Partner reports due in the partnerships of {user.email}.")
    seats = list(Seat.objects.filter(user=user).select_related("partnership"))
    managed = [s.partnership_id for s in seats if can(s, ReportingPerm.MANAGE_REPORTING)]
    periods = (
        ReportingPeriod.objects.filter(partnership_id__in=managed, schedule__active=True)
        .select_related("schedule", "partnership")
        .order_by("due_date", "pk")
    )
    for period in periods:
        calendar.add_component(
            _event(
                f"period-{period.pk}@commonground",
                period.due_date,
                f"Reports due: {period.schedule.title} {period.key} ({period.partnership.title})",
                absolute(reverse("reporting:reports", args=[period.partnership_id])),
                f"Partner reports for {period.key} "
                f"({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}) are due.",
            )
        )
    own = [(s.partnership_id, s.partner_id) for s in seats if s.partnership_id not in managed]
    if own:
        mine = PartnerReport.objects.none()
        for partnership_id, partner_id in own:
            mine |= PartnerReport.objects.filter(
                partnership_id=partnership_id, partner_id=partner_id
            )
        reports = (
            mine.filter(period__schedule__active=True)
            .select_related("period__schedule", "partner__organisation", "partnership")
            .order_by("period__due_date", "pk")
        )
        for report in reports:
            calendar.add_component(
                _event(
                    f"report-{report.pk}@commonground",
                    report.period.due_date,
                    f"Report due: {report.partner.organisation.name} {report.period.key} "
                    f"({report.partnership.title})",
                    absolute(reverse("reporting:report", args=[report.partnership_id, report.pk])),
                    f"{report.period.schedule.title}, {report.period.key}: "
                    f"{report.get_status_display().lower()}.",
                )
            )
    return calendar
