"""The audit ledger: an append-only, hash-chained record of every write."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write, as a service recorded it. Rows are never updated or deleted (database triggers).

    Each partnership has its own chain (`seq` 1, 2, 3 ...); events that belong to no partnership
    (organisations, accounts) form the global chain. `hash` covers the event's fields and the
    previous event's hash, so a row changed or removed behind the application's back is found
    by `commonground audit verify`.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    seq = models.PositiveBigIntegerField()
    # No database constraint: deleting a user must never touch the ledger.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "seq"],
                name="audit_partnership_seq_unique",
            ),
            models.UniqueConstraint(
                fields=["seq"],
                condition=models.Q(partnership__isnull=True),
                name="audit_global_seq_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label or '-'}"


class PeriodicRun(models.Model):
    """One run of a periodic job, claimed once per time slot.

    The scheduler tick (core.jobs) creates the row and enqueues the job in one transaction, so
    however many workers tick at once, each job runs once per slot. Operational bookkeeping, not
    a change anybody made: not in the audit ledger (what the job itself writes is).
    """

    name = models.CharField(max_length=100)
    slot = models.BigIntegerField(help_text=_("Seconds since the epoch divided by the interval."))
    enqueued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"
