"""Progress updates with comments, milestones and the achievements celebrated in the feed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Partners only")
    PUBLIC = "public", _("Public")


class ProgressUpdate(models.Model):
    """A post about progress: Markdown body kept as written and as sanitised HTML (nh3)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="updates"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        "partnerships.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown."))
    body_html = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    image = models.FileField(upload_to="updates/%Y/%m/", blank=True)
    image_alt = models.CharField(max_length=250, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class UpdateComment(models.Model):
    """A comment or a question on an update; its author is notified."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    is_question = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class Milestone(models.Model):
    """A planned step of the partnership; marking it done records an achievement."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class AchievementKind(models.TextChoices):
    TARGET_REACHED = "target_reached", _("Target reached")
    MILESTONE_DONE = "milestone_done", _("Milestone reached")


# The English prefix an achievement's stored title starts with (services.milestones writes
# them), and the sentence that says the same in the reader's language.
TITLE_PREFIXES = {
    "milestone_done": ("Milestone reached: ", _("Milestone reached: %(title)s")),
    "target_reached": ("Target reached: ", _("Target reached: %(title)s")),
}


class Achievement(models.Model):
    """Something to celebrate, recorded automatically once (`key`), shown in the feed and in
    the next digest."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="achievements"
    )
    kind = models.CharField(max_length=20, choices=AchievementKind.choices)
    key = models.CharField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    indicator = models.ForeignKey(
        "results.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-occurred_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: the stored one is a record, written once."""
        prefix, sentence = TITLE_PREFIXES.get(self.kind, ("", ""))
        if prefix and self.title.startswith(prefix):
            return str(sentence) % {"title": self.title.removeprefix(prefix)}
        return self.title
