"""Notifications: one message to one person, shown in the app and mailed once by the worker.

`notify` is called inside the caller's transaction: the notification, and the queued task that
mails it, exist exactly when the change they announce was committed. A notification's `key`
(idempotency key) is unique, so asking twice (a reminder job run twice) creates it once.

`deliver` (the worker) moves the e-mail pending → sending → sent with compare-and-set updates:
a task run twice, or a worker restarted after sending, finds it no longer pending and sends
nothing. An SMTP failure (the server down, a refused connection) puts it back to pending with a
later `next_attempt_at` (BACKOFF) and queues the next attempt; after MAX_ATTEMPTS it is failed,
with the error kept. A worker that dies between sending and marking leaves it "sending": it is
never sent again (at most once; the sweeper marks it failed after SENDING_TIMEOUT).
"""

import datetime as dt
import hashlib
import logging
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from commonground.accounts.models import User
from commonground.notifications.models import EmailStatus, Notification
from commonground.notifications.registry import kind_of
from commonground.notifications.tasks import send_notification_email

log = logging.getLogger(__name__)

BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
SENDING_TIMEOUT = dt.timedelta(hours=1)


def notify(
    *,
    user: User,
    kind: str,
    key: str,
    subject: str | Promise,
    body: str | Promise,
    link: str = "",
    partnership_id: int | None = None,
    email: bool = True,
    action: str = "",
) -> Notification | None:
    """Create the notification `key` for `user` and queue its e-mail; None if it exists.

    `action` names the piece of work the notification asks for ("report-review:12"): when
    anyone does it, the app calls `resolve(action, by=...)` in the same transaction and the
    notification is done ("for information", read, not mailed if not mailed yet).

    `subject` and `body` are written in the recipient's language: pass them lazily
    (`format_lazy(gettext_lazy("Report to review: {name}"), name=...)`) and they are evaluated
    here, under the language on the recipient's profile (the site's default if they chose none).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must be called inside the caller's transaction")
    if not user.is_active:
        return None
    with translation.override(language_of(user)):
        subject, body = str(subject), str(body)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                partnership_id=partnership_id,
                user=user,
                kind=kind,
                key=key[:200],
                subject=subject[:250],
                body=body,
                link=link[:500],
                action=action[:200],
                email_status=EmailStatus.PENDING if email else EmailStatus.NONE,
            )
    except IntegrityError:
        return None
    if email:
        send_notification_email.enqueue(notification.pk)
    return notification


def resolve(action: str, *, by: User | None, now: dt.datetime | None = None) -> int:
    """The work `action` names is done (by `by`): every notification still asking for it is
    marked done, by whom and when, and read. Called inside the transaction of the change that
    did the work, so the two are seen together. How many notifications it resolved."""
    if not action:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("resolve must be called inside the caller's transaction")
    now = now or timezone.now()
    return Notification.objects.filter(action=action, done_at=None).update(
        done_at=now,
        done_by=by,
        read_at=Coalesce(F("read_at"), Value(now)),
    )


def language_of(user: User) -> str:
    """The language to write to `user` in: their profile's, else the site's default."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


def absolute(link: str) -> str:
    return link if link.startswith(("http://", "https://")) else settings.SITE_URL + link


def message_id(notification: Notification) -> str:
    """The same notification always has the same Message-ID: a mail system that did get a copy
    twice can tell."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    return make_msgid(idstring=digest, domain="commonground")


def _message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail of a notification, in the recipient's language (whatever language the worker
    or the request that caused it runs in); None if it should no longer be sent: the work it
    asked for was done meanwhile, or its kind's last check says so."""
    if notification.done_at is not None:
        return None
    language = language_of(notification.user)
    with translation.override(language):
        message = _message_in_language(notification)
    if message is not None:
        message.extra_headers.setdefault("Content-Language", language)
    return message


def _message_in_language(notification: Notification) -> EmailMultiAlternatives | None:
    kind = kind_of(notification.kind)
    if kind.still_wanted is not None and not kind.still_wanted(notification):
        return None
    if kind.message is not None:
        return kind.message(notification)
    context = {
        "notification": notification,
        "url": absolute(notification.link) if notification.link else "",
        "site_url": settings.SITE_URL,
    }
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        to=[notification.user.email],
        headers={"Message-ID": message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver(notification_id: int) -> str:
    """Send one notification's e-mail, once. 'sent', 'retry', 'failed' or 'skipped'."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    message = _message(notification)
    if message is None:
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.NONE,
            email_error="Not sent: no longer meant for this person.",  # i18n: operators' record
        )
        return "skipped"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        attempts = notification.email_attempts
        failed = attempts >= MAX_ATTEMPTS
        later = None if failed else now + BACKOFF[attempts - 1]
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.FAILED if failed else EmailStatus.PENDING,
            next_attempt_at=later,
            email_error=f"{timezone.now():%Y-%m-%d %H:%M} attempt {attempts}: {error}"[:2000],
        )
        log.warning("notification %s: attempt %s failed: %s", notification_id, attempts, error)
        if later is not None:
            send_notification_email.using(run_after=later).enqueue(notification_id)
            return "retry"
        return "failed"
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING).update(
        email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_error=""
    )
    return "sent"


def sweep(now: dt.datetime | None = None) -> int:
    """Mark e-mails stuck in 'sending' (their worker died) as failed: whether they went out is
    unknown, and sending again could send twice. Returns how many."""
    now = now or timezone.now()
    return Notification.objects.filter(
        email_status=EmailStatus.SENDING, email_claimed_at__lt=now - SENDING_TIMEOUT
    ).update(
        email_status=EmailStatus.FAILED,
        # i18n: operators' record, like the SMTP errors kept beside it
        email_error="The worker stopped while sending: it may or may not have been sent.",
    )
