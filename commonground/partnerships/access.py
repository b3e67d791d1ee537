"""Who may do what in a partnership. Roles are data; every rule that reads them lives here.

Deny by default: a person without a seat sees nothing of a partnership (404, as if it did not
exist); a seat whose role lacks a permission gets 403 for that action. Site admins work in the
Django admin and get no implicit seat. Each app declares its permissions, and the roles that
get them, in its own access.py through `register_permissions`.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commonground.accounts.models import Organisation
from commonground.core.access import declare
from commonground.core.errors import field_error
from commonground.core.row_reader import Names, RowReader
from commonground.partnerships.models import (
    Invitation,
    Partner,
    Partnership,
    PartnershipQuerySet,
    Seat,
    SeatRole,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User


class Perm(StrEnum):
    """The partnerships app's own permissions. Each capability app declares its own enum in its
    access.py and registers it with `register_permissions`."""

    VIEW = "partnership.view"
    CHANGE = "partnership.change"
    MANAGE_PARTNERS = "partners.manage"
    MANAGE_SEATS = "seats.manage"


# The policy, filled by register_permissions: every permission by its value, and each role's
# permissions as one frozenset, rebuilt at registration and read by `can` on every request.
# Coordinators hold every permission registered (docs/glossary.md, "Seat"), so an app grants
# only the other roles.
PERMISSIONS: dict[str, StrEnum] = {}
ROLE_PERMISSIONS: dict[str, frozenset[StrEnum]] = {role: frozenset() for role in SeatRole.values}


def register_permissions(perms: type[StrEnum], grants: Mapping[str, Iterable[StrEnum]]) -> None:
    """Declare an app's permissions (`perms`) and which roles other than coordinator get them.
    Each app calls it once, from its access.py, for its own enum: it cannot grant another
    app's permissions, nor declare a value twice."""
    for perm in perms:
        if PERMISSIONS.get(perm.value, perm) is not perm:
            raise ImproperlyConfigured(f"The permission {perm.value!r} is declared twice.")
    for role, held in grants.items():
        if role not in ROLE_PERMISSIONS or role == SeatRole.COORDINATOR:
            raise ImproperlyConfigured(
                f"{perms.__name__} cannot grant to {role!r} (coordinators hold everything)."
            )
        foreign = {p for p in held if not isinstance(p, perms)}
        if foreign:
            raise ImproperlyConfigured(f"{perms.__name__} grants others' permissions: {foreign}")
    PERMISSIONS.update({perm.value: perm for perm in perms})
    for role, held in grants.items():
        ROLE_PERMISSIONS[role] |= frozenset(held)
    ROLE_PERMISSIONS[SeatRole.COORDINATOR] = frozenset(PERMISSIONS.values())


def permission(value: str) -> StrEnum:
    """The registered permission of that value ("results.review"); ValueError if none is."""
    try:
        return PERMISSIONS[value]
    except KeyError:
        raise ValueError(f"No permission {value!r} is registered.") from None


register_permissions(
    Perm,
    {
        SeatRole.EDITOR: {Perm.VIEW, Perm.CHANGE, Perm.MANAGE_PARTNERS},
        SeatRole.REPORTER: {Perm.VIEW},
        SeatRole.VIEWER: {Perm.VIEW},
    },
)


def can(seat: Seat | None, perm: StrEnum) -> bool:
    return seat is not None and perm in ROLE_PERMISSIONS.get(seat.role, frozenset())


def seat_of(user: object, partnership_id: int) -> Seat | None:
    """The user's seat in the partnership, read fresh on every request (revocation is immediate),
    with its partnership and its partner's organisation: what
    `Seat.objects.select_related("partnership", "partner__organisation")` would give."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    found = _SEAT.read([partnership_id, cast("User", user).pk])  # at most one: one_seat_per_person
    if found is None:
        return None
    seat, partnership, partner, organisation = found
    assert isinstance(seat, Seat) and isinstance(partner, Partner)
    partner.organisation = cast(Organisation, organisation)
    seat.partner = partner
    seat.partnership = cast(Partnership, partnership)
    return seat


# Every partnership page and API call reads the seat first. Through the ORM that was about
# 2.4 ms of a 9 ms cached page on SQLite, 1 ms of it compiling the same three-way join again
# (benchmarks/README.md); a test compares the result with the ORM's, field by field.
_SEAT = RowReader(
    [(Seat, "s"), (Partnership, "p"), (Partner, "pa"), (Organisation, "o")],
    lambda n: (
        f"FROM {n.table(Seat)} s "
        f"INNER JOIN {n.table(Partnership)} p ON p.{n.column(Partnership, 'id')} = "
        f"s.{n.column(Seat, 'partnership')} "
        f"INNER JOIN {n.table(Partner)} pa ON pa.{n.column(Partner, 'id')} = "
        f"s.{n.column(Seat, 'partner')} "
        f"INNER JOIN {n.table(Organisation)} o ON o.{n.column(Organisation, 'id')} = "
        f"pa.{n.column(Partner, 'organisation')} "
        f"WHERE s.{n.column(Seat, 'partnership')} = %s AND s.{n.column(Seat, 'user')} = %s"
    ),
)


def role_of(user: object, partnership_id: int) -> str | None:
    """Only the role of the user's seat (read fresh, like seat_of), without loading the seat,
    its partnership and its partner: for reads that need nothing else. One narrow statement
    instead of seat_of's three-way join; written out, because through the ORM (with Seat's
    default ordering, a join to the user) it cost more than seat_of itself."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    connection = connections[router.db_for_read(Seat)]
    with connection.cursor() as cursor:
        cursor.execute(_role_sql(connection), [partnership_id, cast("User", user).pk])
        row = cursor.fetchone()  # at most one: one_seat_per_person
    return None if row is None else str(row[0])


_ROLE_SQL: dict[str, str] = {}


def _role_sql(connection: BaseDatabaseWrapper) -> str:
    sql = _ROLE_SQL.get(connection.vendor)
    if sql is None:
        n = Names(connection)
        sql = _ROLE_SQL[connection.vendor] = (
            f"SELECT {n.column(Seat, 'role')} FROM {n.table(Seat)} "  # noqa: S608 - metadata
            f"WHERE {n.column(Seat, 'partnership')} = %s AND {n.column(Seat, 'user')} = %s"
        )
    return sql


def _refuse(role: str | None, perm: str) -> None:
    """404 without a seat (as if the partnership did not exist), 403 without the permission."""
    if role is None:
        raise Http404("No such partnership.")
    if perm not in ROLE_PERMISSIONS.get(role, frozenset()):
        raise PermissionDenied(
            _("Your role (%(role)s) cannot do this.") % {"role": SeatRole(role).label}
        )


def access_partnership(user: object, partnership_id: int, perm: StrEnum = Perm.VIEW) -> Seat:
    """The user's seat if they may `perm` in the partnership: 404 without a seat, 403 without
    the permission."""
    seat = seat_of(user, partnership_id)
    _refuse(seat.role if seat else None, perm)
    assert seat is not None
    return seat


def require(seat: Seat, perm: str, partnership_id: int | None = None) -> None:
    """For services that take the seat: 403 unless it may `perm`, in `partnership_id` (that of
    the object acted on) when given. Callers looked the object up through the seat, so another
    partnership's object here is a slip, refused all the same."""
    if partnership_id is not None and partnership_id != seat.partnership_id:
        raise PermissionDenied(_("This belongs to another partnership."))
    _refuse(seat.role, perm)


def check_access(user: object, partnership_id: int, perm: StrEnum = Perm.VIEW) -> None:
    """access_partnership's refusals (404 without a seat, 403 without `perm`) for a caller that
    needs nothing from the seat itself."""
    _refuse(role_of(user, partnership_id), perm)


def access_partner(seat: Seat, partner_id: int) -> Partner:
    """A partner of the seat's partnership, with its organisation; 404 for any other."""
    return get_object_or_404(
        Partner.objects.select_related("organisation"),
        pk=partner_id,
        partnership_id=seat.partnership_id,
    )


def partner_named(seat: Seat, partner_id: int | None) -> Partner:
    """A partner named in a request body (`partner_id`): a field error, not a 404."""
    try:
        return access_partner(seat, partner_id or 0)
    except Http404:
        raise field_error(
            field="partner_id", message=_("Choose a partner of this partnership.")
        ) from None


def access_seat(seat: Seat, seat_id: int) -> Seat:
    """A seat of the seat's partnership, with its person; 404 for any other."""
    return get_object_or_404(
        Seat.objects.select_related("user"), pk=seat_id, partnership_id=seat.partnership_id
    )


def access_invitation(seat: Seat, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation, pk=invitation_id, partnership_id=seat.partnership_id)


def visible_partnerships(user: object) -> PartnershipQuerySet:
    return Partnership.objects.visible_to(user)


def partnership_view(perm: StrEnum = Perm.VIEW):  # type: ignore[no-untyped-def]
    """Decorate a page taking `partnership_id`: signed-in people only (else the sign-in page),
    404 without a seat, 403 without `perm`; the view receives the seat."""
    from collections.abc import Callable
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    def decorator(view: Callable[..., object]) -> Callable[..., object]:
        @wraps(view)
        def wrapper(request, partnership_id: int, *args, **kwargs):  # type: ignore[no-untyped-def]
            seat = access_partnership(request.user, partnership_id, perm)
            return view(request, seat, *args, **kwargs)

        guarded = login_required(wrapper)
        declare(guarded, f"partnership:{perm.value}")
        return guarded

    return decorator
