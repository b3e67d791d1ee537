"""Reported results, their review, and the progress summaries kept current on every write."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Result(models.Model):
    """One partner's reported value for an indicator and a period (with an optional breakdown).

    Several partners may report for the same indicator and period; each partner has one result
    per period, which moves draft → submitted → approved (or returned → submitted again).
    """

    # Single-column indexes on these two would duplicate the composite indexes below and slow
    # every import; the composites serve the same lookups.
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, db_index=False
    )
    indicator = models.ForeignKey(
        "results.Indicator", on_delete=models.PROTECT, related_name="results", db_index=False
    )
    partner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.PROTECT, related_name="results"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    text_value = models.TextField(
        blank=True, help_text=_("For qualitative and nominal indicators.")
    )
    note = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    evidence_url = models.URLField(blank=True)
    status = models.CharField(
        max_length=10, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "partner"],
                name="one_result_per_partner_and_period",
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "status", "period_start"]),
            models.Index(fields=["partnership", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start:%Y-%m-%d}: {self.value}"

    @property
    def is_locked(self) -> bool:
        return self.status == ResultStatus.APPROVED


class ResultBreakdown(models.Model):
    """The part of a result that falls in one combination of disaggregation values.

    `key` is canonical: "age=15-24|sex=female", dimension names sorted.
    """

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    # (indicator, key) and (result, key) below cover these foreign keys' lookups.
    indicator = models.ForeignKey(
        "results.Indicator", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="breakdown", db_index=False
    )
    key = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "key"], name="breakdown_key_once")]
        indexes = [models.Index(fields=["indicator", "key"])]


class ResultComment(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class IndicatorProgress(models.Model):
    """An indicator's progress as of its last approved change; recomputed on write so pages
    and the portfolio read one row instead of every result."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    indicator = models.OneToOneField(
        "results.Indicator", on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    value_to_date = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    percent = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    status = models.CharField(max_length=20, blank=True)
    last_period_end = models.DateField(null=True)
    periods_reported = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["partnership", "status"])]


class PartnershipProgress(models.Model):
    """The partnership's overall status and its indicators counted by status."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="progress",
    )
    status = models.CharField(max_length=20, blank=True)
    percent = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    counts = models.JSONField(default=dict)
    indicator_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
