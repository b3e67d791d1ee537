"""Evaluation sessions: findings against the OECD DAC criteria and recommendations."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    COHERENCE = "coherence", _("Coherence")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    IMPACT = "impact", _("Impact")
    SUSTAINABILITY = "sustainability", _("Sustainability")


class EvaluationSession(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="evaluations"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    participants = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class EvaluationFinding(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    session = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="findings"
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    finding = models.TextField()
    evidence_url = models.URLField(blank=True)

    class Meta:
        ordering = ["criterion", "pk"]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.finding[:100]}"


class Recommendation(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    session = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.PROTECT, related_name="recommendations"
    )
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        """Not done and its due date has passed (due today is not yet overdue)."""
        return self.done_at is None and self.due_date < today
