"""E-mail digests: per partnership, what happened since a person's last digest.

Each person chooses per partnership (DigestSubscription; no row means weekly) a weekly digest,
sent from Monday DIGEST_HOUR, a monthly one, sent from the 1st at DIGEST_HOUR (the site's
TIME_ZONE), or none. The worker's job (notifications.tasks.send_digests) looks every 15 minutes; a
digest is due from its moment until CATCH_UP later (a worker stopped for longer skips it: the
next one covers the gap, because a digest covers everything since the previous one).

A digest is made of the sections apps register (notifications.registry.register_digest_section;
reporting's holds achievements, updates, challenges and overdue and coming reports), each built
for that person, partnership and window. It is sent only when some section has something *new*:
a week in which nothing happened sends nothing. Either way a DigestSend row records the period
(with `items`, 0 when nothing was sent), unique per partnership, person and period, so a digest
is never evaluated or sent twice.

Sending goes through a notification (kind "digest", key "digest:<partnership>:<person>:<period>")
so a digest's e-mail has the same compare-and-set and SMTP retry as every other notification;
the e-mail is rendered when it is delivered, from the DigestSend's window. The notification is
created read: it is the in-app record of the e-mail, not something to act on. Each digest carries
a signed one-click unsubscribe link (RFC 8058 List-Unsubscribe and List-Unsubscribe-Post).

A sent digest states the `notifications.digest_sent` fact (core.facts) inside the job's
transaction: reporting's communication plan marks its "digest" entries done from it.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import InvalidInput
from commonground.notifications.facts import digest_sent
from commonground.notifications.models import (
    DigestFrequency,
    DigestSend,
    DigestSubscription,
    Notification,
)
from commonground.notifications.registry import DIGEST_SECTIONS, DigestSection
from commonground.notifications.services.notify import absolute, language_of, message_id, notify
from commonground.partnerships.models import Partnership, Seat

DIGEST_KIND = "digest"
DIGEST_HOUR = 7
CATCH_UP = dt.timedelta(days=2)
# Closed and cancelled partnerships (IATI activity status 4, 5) send no digests.
ENDED_STATUSES = ("4", "5")
# Named when digests lived in reporting; links in digests already sent are signed with it.
UNSUBSCRIBE_SALT = "commonground.reporting.digest.unsubscribe"


# When --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestPeriod:
    key: str  # "2026-W47" or "2026-11"
    starts_at: dt.datetime  # when it is due (local DIGEST_HOUR of its first day)
    previous_start: dt.datetime  # the first digest of a person covers one period back


def _at_hour(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(DIGEST_HOUR)))


def digest_period(frequency: str, now: dt.datetime) -> DigestPeriod:
    """The weekly or monthly digest period `now` (site time) falls in."""
    today = timezone.localdate(now)
    if frequency == DigestFrequency.WEEKLY:
        monday = today - dt.timedelta(days=today.weekday())
        year, week, _ = monday.isocalendar()
        return DigestPeriod(
            f"{year}-W{week:02d}", _at_hour(monday), _at_hour(monday - dt.timedelta(days=7))
        )
    first = today.replace(day=1)
    before = (first - dt.timedelta(days=1)).replace(day=1)
    return DigestPeriod(f"{first:%Y-%m}", _at_hour(first), _at_hour(before))


def is_due(period: DigestPeriod, now: dt.datetime) -> bool:
    return period.starts_at <= now < period.starts_at + CATCH_UP


# What ---------------------------------------------------------------------------------------


def digest_sections(
    *, partnership: Partnership, user: User, since: dt.datetime, until: dt.datetime
) -> list[DigestSection]:
    """Every registered section of a digest for `user` about `partnership` in [since, until),
    built in `user`'s language: the sections' texts are theirs to read."""
    with translation.override(language_of(user)):
        return [
            build(partnership=partnership, user=user, since=since, until=until)
            for build in list(DIGEST_SECTIONS.values())
        ]


# Unsubscribing ------------------------------------------------------------------------------


def unsubscribe_token(user_id: int, partnership_id: int) -> str:
    """A signed token naming a person and a partnership: the secret of an unsubscribe link."""
    return signing.dumps([user_id, partnership_id], salt=UNSUBSCRIBE_SALT)


def unsubscribe_target(token: str) -> tuple[User, Partnership] | None:
    """The person and partnership an unsubscribe token names; None if forged or unknown."""
    try:
        user_id, partnership_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    user = User.objects.filter(pk=user_id).first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if user is None or partnership is None:
        return None
    return user, partnership


def unsubscribe_url(user_id: int, partnership_id: int) -> str:
    token = unsubscribe_token(user_id, partnership_id)
    return absolute(reverse("notifications:digest_unsubscribe", args=[token]))


# Choosing -----------------------------------------------------------------------------------


def frequency_of(user: User, partnership_id: int) -> str:
    choice = DigestSubscription.objects.filter(user=user, partnership_id=partnership_id).first()
    return choice.frequency if choice else DigestFrequency.WEEKLY


def digest_choices(user: User) -> list[tuple[Seat, str]]:
    """Each of the person's seats with their digest choice for its partnership."""
    seats = list(
        Seat.objects.filter(user=user)
        .select_related("partnership", "partner__organisation")
        .order_by("partnership__title", "pk")
    )
    chosen = dict(
        DigestSubscription.objects.filter(user=user).values_list("partnership_id", "frequency")
    )
    return [(s, chosen.get(s.partnership_id, DigestFrequency.WEEKLY)) for s in seats]


@transaction.atomic
def digest_choose(
    *, user: User, partnership_id: int, frequency: str, via: str = "settings"
) -> DigestSubscription | None:
    """Set a person's digest for a partnership they have a seat in (weekly, monthly or none).
    None when nothing changed. `via` says how ("settings" or "unsubscribe")."""
    if frequency not in DigestFrequency.values:
        raise InvalidInput(
            _("Choose weekly, monthly or no digest."), fields={"frequency": [_("Choose one.")]}
        )
    if not Seat.objects.filter(user=user, partnership_id=partnership_id).exists():
        raise InvalidInput(
            _("You have no seat in that partnership."),
            fields={"partnership": [_("You have no seat in it.")]},
        )
    choice = DigestSubscription.objects.filter(user=user, partnership_id=partnership_id).first()
    before = choice.frequency if choice else DigestFrequency.WEEKLY
    if before == frequency:
        return None
    if choice is None:
        choice = DigestSubscription.objects.create(
            user=user, partnership_id=partnership_id, frequency=frequency
        )
    else:
        choice.frequency = frequency
        choice.updated_at = timezone.now()
        choice.save(update_fields=["frequency", "updated_at"])
    # A personal preference: the global chain, like API tokens, not the partnership's record.
    record_event(
        actor=user,
        action="digest.choose",
        obj=choice,
        object_label=f"Digest of partnership {partnership_id}",
        changes={"frequency": [before, frequency], "via": [None, via]},
    )
    return choice


# Sending ------------------------------------------------------------------------------------


def _summary(sections: list[DigestSection]) -> str:
    """ "3 new achievements, 1 progress update.": each section gives its counts' words in the
    active language (lazy ones are read here, so call it under the recipient's). English and
    Spanish both put the number first and use one form for 1 and another for the rest."""
    counts = [count for section in sections for count in section.counts]
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) + "."


def _subject(frequency: str, partnership: Partnership) -> str:
    if frequency == DigestFrequency.WEEKLY:
        return _("Weekly digest: %(partnership)s") % {"partnership": partnership.title}
    return _("Monthly digest: %(partnership)s") % {"partnership": partnership.title}


def send_one(
    *, seat: Seat, frequency: str, period: DigestPeriod, now: dt.datetime
) -> DigestSend | None:
    """Evaluate (and send, if there is news) one person's digest for one partnership and
    period; None if it was done before. Call inside a transaction."""
    last = (
        DigestSend.objects.filter(partnership_id=seat.partnership_id, user_id=seat.user_id)
        .order_by("-until")
        .first()
    )
    since = last.until if last else period.previous_start
    try:
        with transaction.atomic():
            send = DigestSend.objects.create(
                partnership_id=seat.partnership_id,
                user_id=seat.user_id,
                period_key=period.key,
                since=since,
                until=now,
            )
    except IntegrityError:
        return None  # done before: never twice for one period
    sections = digest_sections(partnership=seat.partnership, user=seat.user, since=since, until=now)
    send.items = sum(section.new_items for section in sections)
    if send.items:
        # The recipient's language, whoever's request or job this is.
        with translation.override(language_of(seat.user)):
            subject, summary = _subject(frequency, seat.partnership), _summary(sections)
        notification = notify(
            user=seat.user,
            kind=DIGEST_KIND,
            key=f"digest:{seat.partnership_id}:{seat.user_id}:{period.key}",
            subject=subject,
            body=summary,
            link=reverse("partnerships:detail", args=[seat.partnership_id]),
            partnership_id=seat.partnership_id,
        )
        if notification is not None:
            Notification.objects.filter(pk=notification.pk).update(read_at=now)
        send.sent_at = now
        digest_sent.state(
            partnership_id=seat.partnership_id,
            user_id=seat.user_id,
            period_key=period.key,
        )
    send.save(update_fields=["items", "sent_at"])
    return send


def send_due(now: dt.datetime | None = None) -> list[DigestSend]:
    """The digest job: every digest whose moment has come and that was not done yet."""
    now = now or timezone.now()
    open_periods: dict[str, DigestPeriod] = {}
    for choice in (DigestFrequency.WEEKLY, DigestFrequency.MONTHLY):
        candidate = digest_period(choice, now)
        if is_due(candidate, now):
            open_periods[str(choice)] = candidate
    if not open_periods:
        return []
    chosen = {(c.partnership_id, c.user_id): c.frequency for c in DigestSubscription.objects.all()}
    done = set(
        DigestSend.objects.filter(
            period_key__in=[p.key for p in open_periods.values()]
        ).values_list("partnership_id", "user_id", "period_key")
    )
    seats = (
        Seat.objects.filter(user__is_active=True)
        .exclude(partnership__status__in=ENDED_STATUSES)
        .select_related("user", "partnership")
        .order_by("pk")
    )
    sent = []
    for seat in seats:
        frequency = chosen.get((seat.partnership_id, seat.user_id), DigestFrequency.WEEKLY)
        period = open_periods.get(frequency)
        if period is None or (seat.partnership_id, seat.user_id, period.key) in done:
            continue
        with transaction.atomic():
            send = send_one(seat=seat, frequency=frequency, period=period, now=now)
        if send is not None:
            sent.append(send)
    return sent


# The e-mail ---------------------------------------------------------------------------------


def _rendered(section: DigestSection) -> dict[str, str]:
    """A section's text and HTML (escaped by its own template); each template ends with a
    newline that separates it from what follows."""
    context = dict(section.context)
    return {
        "text": render_to_string(f"{section.template}.txt", context),
        "html": mark_safe(render_to_string(f"{section.template}.html", context)),  # noqa: S308
    }


def digest_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail of a digest notification, rendered from its DigestSend's window in the
    recipient's language; None when the person no longer has a seat in the partnership
    (nothing of it is theirs to read)."""
    _kind, partnership_id, user_id, period_key = notification.key.split(":")
    send = DigestSend.objects.select_related("partnership", "user").get(
        partnership_id=int(partnership_id), user_id=int(user_id), period_key=period_key
    )
    if not Seat.objects.filter(partnership_id=send.partnership_id, user_id=send.user_id).exists():
        return None
    language = language_of(send.user)
    with translation.override(language):
        return _digest_email(notification, send, language)


def _digest_email(
    notification: Notification, send: DigestSend, language: str
) -> EmailMultiAlternatives:
    sections = digest_sections(
        partnership=send.partnership, user=send.user, since=send.since, until=send.until
    )
    unsubscribe = unsubscribe_url(send.user_id, send.partnership_id)
    context = {
        "partnership": send.partnership,
        "subject": notification.subject,
        "sections": [_rendered(section) for section in sections],
        "partnership_url": absolute(reverse("partnerships:detail", args=[send.partnership_id])),
        "settings_url": absolute(reverse("notifications:digest_settings")),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
        "since_day": timezone.localdate(send.since),
        "until_day": timezone.localdate(send.until),
    }
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string("notifications/email/digest.txt", context),
        to=[send.user.email],
        headers={
            "Message-ID": message_id(notification),
            "Content-Language": language,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    return message
