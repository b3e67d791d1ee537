"""Large results imports, checked and imported by the background worker."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(models.Model):
    """One uploaded file on its way through the worker: checked (the dry run), confirmed by the
    person who uploaded it, imported (all rows or none).

    The file waits under MEDIA_ROOT/imports/<stored_name> until it is imported or refused. The
    uuid is the id in addresses; access still goes through the partnership's policy and the
    person who uploaded it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    # The seat it was uploaded under; gone (null) when that seat is revoked, and then the job
    # cannot go on.
    seat = models.ForeignKey(
        "partnerships.Seat", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        "results.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=ImportJobStatus.choices, default=ImportJobStatus.CHECKING
    )
    # The dry run's outcome: counts and the problems (row, column, message), at most a few
    # hundred of them; `problem_count` has them all.
    plan = models.JSONField(default=dict, blank=True)
    # What the import did: created, updated, unchanged; the audit event's id.
    report = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        return f"results-import:{self.pk}"

    @property
    def problems(self) -> list[dict[str, Any]]:
        """The kept problems (row, column, message), each message in the reader's language.
        The worker keeps them in every language (services.import_jobs.in_every_language);
        jobs checked before that have one message, shown as it was kept."""
        language = get_language() or settings.LANGUAGE_CODE
        return [
            {
                **problem,
                "message": (problem.get("messages") or {}).get(language)
                or problem.get("message", ""),
            }
            for problem in (self.plan or {}).get("problems") or []
        ]

    @property
    def message_text(self) -> str:
        """Why the job failed, in the reader's language."""
        kept = (self.plan or {}).get("message_i18n") or {}
        text = kept.get(get_language() or settings.LANGUAGE_CODE)
        if text:
            return str(text)
        # Older jobs kept only the site's default language: translate it if it is a known text.
        return gettext(self.message) if self.message else ""  # i18n: kept text, looked up

    @property
    def running(self) -> bool:
        return self.status in (ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING)
