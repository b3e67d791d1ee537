"""The audit ledger: an append-only, hash-chained record of every write."""

from django.conf import settings
from django.db import models


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
