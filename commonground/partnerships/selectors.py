"""Reads for partnerships, always scoped to what the person may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from commonground.accounts.models import Organisation, User
from commonground.core.ledger_links import link_of
from commonground.core.models import AuditEvent
from commonground.core.row_reader import RowReader
from commonground.core.templatetags.ledger import action_label
from commonground.partnerships.models import (
    Invitation,
    Partner,
    PartnerRole,
    Partnership,
    Seat,
    SeatRole,
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
        .order_by("title", "pk")
    )


def my_partnership_rows(*, user: User) -> list[Partnership]:
    """All of `my_partnerships`, with the same figures in the same order, for the page that lists
    them (the API pages through the queryset). One fixed statement: compiling the queryset with
    its three annotations took 3 of the page's 8 ms of CPU; a test compares the two."""
    return [
        _with_figures(partnership, lead_name, partner_count, my_role)
        for partnership, lead_name, partner_count, my_role in _MINE.read_all(
            [PartnerRole.LEAD.value, user.pk]
        )
    ]


def _with_figures(
    partnership: Partnership, lead_name: str | None, partner_count: int, my_role: str
) -> Partnership:
    partnership.lead_name = lead_name  # type: ignore[attr-defined]
    partnership.partner_count = partner_count  # type: ignore[attr-defined]
    partnership.my_role = my_role  # type: ignore[attr-defined]
    # The role as a person reads it, in the language of the page (my_role is the code).
    partnership.my_role_label = SeatRole(my_role).label  # type: ignore[attr-defined]
    return partnership


_MINE = RowReader(
    [(Partnership, "p")],
    lambda n: (
        f"FROM {n.table(Seat)} s INNER JOIN {n.table(Partnership)} p "
        f"ON p.{n.column(Partnership, 'id')} = s.{n.column(Seat, 'partnership')} "
        f"WHERE s.{n.column(Seat, 'user')} = %s "
        f"ORDER BY p.{n.column(Partnership, 'title')}, p.{n.column(Partnership, 'id')}"
    ),
    # Identifiers from the models' metadata; the two values are parameters.
    computed=lambda n: [
        f"(SELECT o.{n.column(Organisation, 'name')} FROM {n.table(Partner)} l "  # noqa: S608
        f"INNER JOIN {n.table(Organisation)} o "
        f"ON o.{n.column(Organisation, 'id')} = l.{n.column(Partner, 'organisation')} "
        f"WHERE l.{n.column(Partner, 'partnership')} = p.{n.column(Partnership, 'id')} "
        f"AND l.{n.column(Partner, 'role')} = %s "
        f"ORDER BY l.{n.column(Partner, 'id')} LIMIT 1) AS lead_name",
        f"(SELECT COUNT(*) FROM {n.table(Partner)} c "  # noqa: S608
        f"WHERE c.{n.column(Partner, 'partnership')} = p.{n.column(Partnership, 'id')}) "
        "AS partner_count",
        f"s.{n.column(Seat, 'role')} AS my_role",
    ],
)


def partners_of(*, partnership: Partnership) -> QuerySet[Partner]:
    return (
        Partner.objects.filter(partnership=partnership)
        .select_related("organisation")
        .annotate(seat_count=Count("seats"))
        .order_by("organisation__name", "pk")
    )


def partner_list(*, partnership_id: int) -> list[Partner]:
    """The partners with their organisations, in partners_of's order, without its seat counts:
    for the overview, in one fixed statement (the queryset took 2.2 ms of CPU)."""
    rows = _PARTNERS.read_all([partnership_id])
    for partner, organisation in rows:
        partner.organisation = organisation
    return [partner for partner, _ in rows]


_PARTNERS = RowReader(
    [(Partner, "pa"), (Organisation, "o")],
    lambda n: (
        f"FROM {n.table(Partner)} pa INNER JOIN {n.table(Organisation)} o "
        f"ON o.{n.column(Organisation, 'id')} = pa.{n.column(Partner, 'organisation')} "
        f"WHERE pa.{n.column(Partner, 'partnership')} = %s "
        f"ORDER BY o.{n.column(Organisation, 'name')}, pa.{n.column(Partner, 'id')}"
    ),
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


def recent_activity(*, partnership_id: int, count: int = 5) -> list[AuditEvent]:
    """The first `count` events of activity_of, for the overview, in one fixed statement."""
    return [event for (event,) in _RECENT.read_all([partnership_id, count])]


@dataclass(frozen=True)
class ActivityLine:
    """One event as a person reads it: who (and for which organisation) did what, to what,
    with a link to where it is."""

    event: AuditEvent
    who: str
    organisation: str
    what: str
    url: str | None


def activity_lines(*, partnership_id: int, events: list[AuditEvent]) -> list[ActivityLine]:
    """`events` written for people: the actor's name and organisation in the partnership (one
    query for all of them), the action as a phrase, and the object's page."""
    actors = {event.actor_id for event in events if event.actor_id}
    seats = Seat.objects.filter(partnership_id=partnership_id, user_id__in=actors).values_list(
        "user_id", "user__full_name", "partner__organisation__name"
    )
    people = {user_id: (name, organisation) for user_id, name, organisation in seats}
    lines = []
    for event in events:
        name, organisation = people.get(event.actor_id or 0, ("", ""))
        lines.append(
            ActivityLine(
                event=event,
                who=name or event.actor_label or _("Someone"),
                organisation=organisation,
                what=action_label(event.action),
                url=link_of(event),
            )
        )
    return lines


_RECENT = RowReader(
    [(AuditEvent, "e")],
    lambda n: (
        f"FROM {n.table(AuditEvent)} e WHERE e.{n.column(AuditEvent, 'partnership')} = %s "
        f"ORDER BY e.{n.column(AuditEvent, 'seq')} DESC LIMIT %s"
    ),
)


# My partnerships' sort orders: each a key on a row with its `standing` (partnerships/standing.py).
# Rows without a figure sort last whichever the direction of the numbers is.
_STATUS_ORDER = {"off_track": 0, "at_risk": 1, "no_recent_data": 2, "not_started": 3}
_LAST = 10**9


def _by_status(p: Any) -> tuple[int, str]:
    progress = p.standing.progress
    code = progress.status if progress else ""
    return (_STATUS_ORDER.get(code, 4 if code else 5), p.title.casefold())


def _by_percent(p: Any) -> tuple[float, str]:
    progress = p.standing.progress
    percent = progress.percent if progress and progress.percent is not None else None
    return (float(percent) if percent is not None else -1.0, p.title.casefold())


def _by_next(p: Any) -> tuple[int, str]:
    upcoming = p.standing.next_deadline
    return (upcoming.due.toordinal() if upcoming else _LAST, p.title.casefold())


MINE_SORTS: dict[str, Any] = {
    "title": lambda p: p.title.casefold(),
    "status": _by_status,
    "percent": _by_percent,
    "next": _by_next,
    "overdue": lambda p: (len(p.standing.overdue), p.title.casefold()),
    "role": lambda p: (p.my_role_label.casefold(), p.title.casefold()),
}


def mine_columns() -> list[tuple[str, str]]:
    """My partnerships' sortable columns, in order, with their headings."""
    return [
        ("title", _("Partnership")),
        ("status", _("Progress")),
        ("next", _("Next deadline")),
        ("overdue", _("Overdue")),
        ("role", _("Your role")),
    ]
