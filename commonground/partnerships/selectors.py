"""Reads for partnerships, always scoped to what the person may see."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from commonground.accounts.models import User
from commonground.core.models import AuditEvent
from commonground.partnerships.models import (
    Invitation,
    Partner,
    PartnerRole,
    Partnership,
    Seat,
)


def my_partnerships(*, user: User) -> QuerySet[Partnership]:
    """The partnerships where the user holds a seat, with the figures 'My partnerships' shows:
    lead organisation, number of partners and the user's own role."""
    lead = Partner.objects.filter(partnership=OuterRef("pk"), role=PartnerRole.LEAD).order_by("pk")
    own_seat = Seat.objects.filter(partnership=OuterRef("pk"), user=user)
    return (
        Partnership.objects.visible_to(user)
        .annotate(
            lead_name=Subquery(lead.values("organisation__name")[:1]),
            partner_count=Count("partners", distinct=True),
            my_role=Subquery(own_seat.values("role")[:1]),
        )
        .order_by("title")
    )


def partners_of(*, partnership: Partnership) -> QuerySet[Partner]:
    return (
        Partner.objects.filter(partnership=partnership)
        .select_related("organisation")
        .annotate(seat_count=Count("seats"))
        .order_by("organisation__name")
    )


def seats_of(*, partnership: Partnership) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(partnership=partnership)
        .select_related("user", "partner__organisation")
        .order_by("user__email")
    )


def pending_invitations(*, partnership: Partnership) -> QuerySet[Invitation]:
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            partnership=partnership,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("partner__organisation", "invited_by")
        .order_by("-created_at")
    )


def activity_of(*, partnership: Partnership) -> QuerySet[AuditEvent]:
    """The partnership's ledger, newest first."""
    return AuditEvent.objects.filter(partnership=partnership).order_by("-seq")
