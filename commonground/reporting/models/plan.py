"""The communication plan: who hears what, through which channel, how often, owned by whom."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PARTNERS = "partners", _("Partners")
    STAKEHOLDERS = "stakeholders", _("A stakeholder group")
    PUBLIC = "public", _("The public")
    COUNCIL = "council", _("The council")


class Channel(models.TextChoices):
    DIGEST = "digest", _("E-mail digest")
    MEETING = "meeting", _("Meeting")
    PUBLIC_PAGE = "public_page", _("Public page")
    PRINTED_REPORT = "printed_report", _("Printed report")
    SOCIAL_MEDIA = "social_media", _("Social media")


class PlanFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


class CommunicationEntry(models.Model):
    """One line of the plan. It is due `frequency` after it was last done (or after it was
    planned); a sent digest or a published report counts as done for the matching channel."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="communication_plan"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    audience_detail = models.CharField(max_length=200, blank=True)
    content = models.CharField(max_length=300, help_text=_("What they get."))
    channel = models.CharField(max_length=20, choices=Channel.choices)
    frequency = models.CharField(max_length=12, choices=PlanFrequency.choices)
    owner = models.ForeignKey("partnerships.Partner", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    last_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["audience", "channel", "pk"]
        verbose_name_plural = _("communication entries")

    def __str__(self) -> str:
        return self.content


class CommunicationDone(models.Model):
    """A time a plan entry was carried out: by hand, a digest sent or a report published."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Marked done")
        DIGEST = "digest", _("Digest sent")
        REPORT = "report", _("Report published")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    entry = models.ForeignKey(CommunicationEntry, on_delete=models.CASCADE, related_name="done")
    done_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-done_at", "-pk"]
