"""Partnerships, the organisations taking part in them (partners), and people's seats."""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commonground.core.codelists import activity_statuses, label

if TYPE_CHECKING:
    from commonground.accounts.models import User


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user: "User | object") -> "PartnershipQuerySet":
        """Partnerships where the user holds a seat; nothing for anyone else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        seats = Seat.objects.filter(partnership=OuterRef("pk"), user_id=cast("User", user).pk)
        return self.filter(Exists(seats))


class Partnership(models.Model):
    """The joint effort: what the partners set out to do together, where and when."""

    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text=_("Why the partnership exists and what it will do."))
    vision = models.TextField(_("common vision"), blank=True)
    problem_statement = models.TextField(blank=True)
    geography = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        _("status (IATI activity status)"), max_length=2, choices=activity_statuses, default="2"
    )
    sectors = models.JSONField(default=list, blank=True, help_text=_("OECD DAC sector categories."))
    sdg_goals = models.JSONField(default=list, blank=True, help_text=_("UN SDG goal numbers."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return label(activity_statuses(), self.status)


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead / backbone")
    FUNDING = "funding", _("Funding")
    IMPLEMENTING = "implementing", _("Implementing")
    ADVISORY = "advisory", _("Advisory")
    OBSERVER = "observer", _("Observer")


# Our roles mapped to the IATI OrganisationRole codelist, where a code fits.
IATI_ORGANISATION_ROLE = {
    PartnerRole.LEAD: "2",  # Accountable
    PartnerRole.FUNDING: "1",  # Funding
    PartnerRole.IMPLEMENTING: "4",  # Implementing
}


class Partner(models.Model):
    """An organisation taking part in a partnership, with a role and its own aims."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="partners")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(max_length=20, choices=PartnerRole.choices)
    aims = models.TextField(
        blank=True, help_text=_("What this organisation aims to achieve in the partnership.")
    )
    joined_on = models.DateField(default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partner_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        # In English whoever is signed in: the ledger keeps str(obj) as the object's label.
        with translation.override("en"):
            return f"{self.organisation} ({self.get_role_display()})"

    @property
    def iati_role(self) -> str | None:
        return IATI_ORGANISATION_ROLE.get(PartnerRole(self.role))


class SeatRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    REPORTER = "reporter", _("Reporter")
    VIEWER = "viewer", _("Viewer")


class Seat(models.Model):
    """A person's access to one partnership, on behalf of one partner organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seats"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=20, choices=SeatRole.choices)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="one_seat_per_person")
        ]

    def __str__(self) -> str:
        with translation.override("en"):  # the ledger's label of the seat, as for Partner
            return f"{self.user} as {self.get_role_display()} in {self.partnership}"


class Invitation(models.Model):
    """A single-use, expiring link that gives a person a seat when they accept it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="invitations"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=SeatRole.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.partnership}"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.accepted_at:
            return "accepted"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
