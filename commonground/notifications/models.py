"""Notifications (in the app and by e-mail), digest subscriptions and calendar feeds.

These tables were made by the reporting app and keep its names (`db_table`): the models moved to
this app in state only (migrations notifications 0001 and reporting 0002), no row was touched."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", pgettext_lazy("e-mail", "Sent")
    FAILED = "failed", _("Could not be sent")
    NONE = "none", _("Not by e-mail")


class Notification(models.Model):
    """One message to one person: shown in the app, and mailed once.

    `key` is the idempotency key (for a reminder: report, offset and person): a notification is
    created once per key, and its e-mail moves pending → sending → sent by compare-and-set, so
    neither a retry nor a restarted worker sends it twice. An SMTP failure puts it back to
    pending with `next_attempt_at` further away each time (backoff) until MAX_ATTEMPTS.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notification that asks for an action names it (an app's name for one piece of work,
    # e.g. "report-review:12"); when anyone does it, every notification naming it is done, says
    # by whom, and counts as read ("needs you" becomes "for information").
    action = models.CharField(max_length=200, blank=True, default="", db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        db_table = "reporting_notification"
        ordering = ["-created_at", "-pk"]
        # Named as Django named them under the old table: the indexes exist under these names.
        indexes = [
            models.Index(fields=["user", "read_at"], name="reporting_n_user_id_e02e51_idx"),
            models.Index(
                fields=["email_status", "next_attempt_at"], name="reporting_n_email_s_3b3173_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    NONE = "none", _("No digest")


class DigestSubscription(models.Model):
    """A person's choice of digest for one partnership (no row: the default, weekly)."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reporting_digestsubscription"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="one_digest_choice")
        ]


class DigestSend(models.Model):
    """One digest sent (or found empty) for a person, partnership and digest period
    ("2026-W47", "2026-11"): never twice for the same period."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=10)
    since = models.DateTimeField()
    until = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reporting_digestsend"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "period_key"], name="digest_once_per_period"
            )
        ]


class CalendarFeed(models.Model):
    """A personal, secret iCalendar address. Only a SHA-256 of the secret is kept; revoking the
    feed stops the address working at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reporting_calendarfeed"
        ordering = ["-created_at"]
