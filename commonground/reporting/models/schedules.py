"""Reporting schedules, the periods they generate and each reporting partner's report."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


def default_reminder_offsets() -> list[int]:
    return [-7, 0, 3]


class ReportingSchedule(models.Model):
    """How often which partners report: periods follow the calendar (months, quarters, half-years,
    years) within the partnership's dates; each report is due `due_days` after its period ends.

    `reminder_offsets` are days relative to the due date: -7 is a week before, 0 the day itself,
    3 three days after (an overdue reminder, which also goes to the coordinators).
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="reporting_schedules"
    )
    title = models.CharField(max_length=200)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    due_days = models.PositiveSmallIntegerField(default=30)
    reminder_offsets = models.JSONField(default=default_reminder_offsets)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class SchedulePartner(models.Model):
    """A partner that reports on a schedule."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    schedule = models.ForeignKey(
        ReportingSchedule, on_delete=models.CASCADE, related_name="reporters"
    )
    partner = models.ForeignKey("partnerships.Partner", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "partner"], name="schedule_partner_once")
        ]


class ReportingPeriod(models.Model):
    """One period of a schedule: the calendar period `key` ("2025-Q1") cut to the partnership's
    dates, and its due date."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    schedule = models.ForeignKey(
        ReportingSchedule, on_delete=models.CASCADE, related_name="periods"
    )
    key = models.CharField(max_length=10)
    start = models.DateField()
    end = models.DateField()
    due_date = models.DateField()

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "key"], name="reporting_period_once")
        ]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return self.key


class ReportStatus(models.TextChoices):
    """What was done with a report. Whether an unsubmitted report is not yet due, due or overdue
    follows from the date (`PartnerReport.state`)."""

    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", _("Accepted")


class ReportState(models.TextChoices):
    """The state people see: the status, with an unsubmitted report's place in time."""

    NOT_YET_DUE = "not_yet_due", _("Not yet due")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    ACCEPTED = "accepted", _("Accepted")


NARRATIVE_FIELDS = ("achievements", "challenges", "lessons", "next_steps", "support_needed")


class PartnerReport(models.Model):
    """A reporting partner's report for one period: narrative sections, the period's indicator
    results (the results capability's own rows, never a copy) and attachments."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    partner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    achievements = models.TextField(blank=True)
    challenges = models.TextField(blank=True, help_text=_("Challenges and how they were handled."))
    lessons = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    support_needed = models.TextField(
        blank=True, help_text=_("Support needed from other partners.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period__start", "partner__organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "partner"], name="one_report_per_partner")
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"Report {self.period.key}"

    def state_on(self, today: dt.date) -> str:
        if self.status != ReportStatus.DRAFT:
            return self.status
        if today < self.period.end:
            return ReportState.NOT_YET_DUE
        if today <= self.period.due_date:
            return ReportState.DUE
        return ReportState.OVERDUE


class ReportStep(models.Model):
    """One step of a report's life, shown on the report: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        RETURN = "return", _("Returned with comments")
        ACCEPT = "accept", _("Accepted")
        REOPEN = "reopen", _("Reopened")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ReportAttachment(models.Model):
    """A file (type and size checked) or a link attached to a report."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    url = models.URLField(blank=True)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
