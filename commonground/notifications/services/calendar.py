"""Personal calendar feeds: a secret iCalendar address with the dates of the partnerships a
person has a seat in, as the registered calendar sources give them (reporting: report due
dates; see notifications.registry.register_calendar_source).

Like an API token, the secret is shown once and only its SHA-256 is kept; a person has at most
one live feed (making a new one revokes the old) and can revoke it. The address is the
credential: it works without signing in, and a revoked or unknown one is "not found". What it
shows is read from the person's seats at every request, so a revoked seat takes its
partnership's dates out of the feed at the next refresh.

Who sees what is each source's rule, given the person's seats. The feed is written in its
owner's language (their profile's, else the site's), not the calendar client's: sources are
asked for their events under it.
"""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from commonground.accounts.models import User
from commonground.accounts.selectors import hash_token
from commonground.core.audit import record_event
from commonground.notifications.models import CalendarFeed
from commonground.notifications.registry import CALENDAR_SOURCES, CalendarEvent
from commonground.notifications.services.notify import language_of
from commonground.partnerships.models import Seat

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


def _event(source: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", source.uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", source.day)
    event.add("dtend", source.day + dt.timedelta(days=1))
    event.add("summary", str(source.summary))
    event.add("url", source.url)
    event.add("description", f"{source.description}\n{source.url}")
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user: User) -> Calendar:
    """The person's calendar, from their seats as they are now and every registered source,
    in the person's language."""
    language = language_of(user)
    with translation.override(language):
        calendar = Calendar()
        # The feed's name predates other sources; it is what people subscribed to.
        calendar.add("prodid", "-//Common Ground//Report due dates//EN")  # i18n: an identifier
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Common Ground: report due dates"))
        calendar.add(
            "x-wr-caldesc",
            _("Partner reports due in the partnerships of %(email)s.") % {"email": user.email},
        )
        seats = list(Seat.objects.filter(user=user).select_related("partnership"))
        for events in list(CALENDAR_SOURCES.values()):
            for event in events(seats):
                calendar.add_component(_event(event))
    return calendar
