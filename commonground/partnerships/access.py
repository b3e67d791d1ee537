"""Who may do what in a partnership. Roles are data; every rule that reads them lives here.

Deny by default: a person without a seat sees nothing of a partnership (404, as if it did not
exist); a seat whose role lacks a permission gets 403 for that action. Site admins work in the
Django admin and get no implicit seat. Later apps add their permissions to ROLE_PERMISSIONS.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import Http404

from commonground.accounts.models import Organisation
from commonground.core.access import declare
from commonground.core.row_reader import Names, RowReader
from commonground.partnerships.models import (
    Partner,
    Partnership,
    PartnershipQuerySet,
    Seat,
    SeatRole,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User


class Perm(StrEnum):
    VIEW = "partnership.view"
    CHANGE = "partnership.change"
    MANAGE_PARTNERS = "partners.manage"
    MANAGE_SEATS = "seats.manage"
    # results and monitoring
    EDIT_FRAMEWORK = "results.framework"
    REPORT_RESULTS = "results.report"
    REVIEW_RESULTS = "results.review"
    # reporting and communication
    MANAGE_REPORTING = "reporting.manage"  # schedules, report review, milestones, the plan
    WRITE_REPORTS = "reporting.write"  # fill in and submit one's own partner's reports
    POST_UPDATES = "reporting.post"  # progress updates
    COMMENT = "reporting.comment"  # comment on and ask about updates


_READ = frozenset({Perm.VIEW, Perm.COMMENT})
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    SeatRole.COORDINATOR: frozenset(Perm),
    SeatRole.EDITOR: _READ
    | {
        Perm.CHANGE,
        Perm.MANAGE_PARTNERS,
        Perm.EDIT_FRAMEWORK,
        Perm.REPORT_RESULTS,
        Perm.REVIEW_RESULTS,
        Perm.MANAGE_REPORTING,
        Perm.WRITE_REPORTS,
        Perm.POST_UPDATES,
    },
    SeatRole.REPORTER: _READ | {Perm.REPORT_RESULTS, Perm.WRITE_REPORTS, Perm.POST_UPDATES},
    SeatRole.VIEWER: _READ,
}


def can(seat: Seat | None, perm: Perm) -> bool:
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


def _refuse(role: str | None, perm: Perm) -> None:
    """404 without a seat (as if the partnership did not exist), 403 without the permission."""
    if role is None:
        raise Http404("No such partnership.")
    if perm not in ROLE_PERMISSIONS.get(role, frozenset()):
        raise PermissionDenied(f"Your role ({SeatRole(role).label}) cannot do this.")


def access_partnership(user: object, partnership_id: int, perm: Perm = Perm.VIEW) -> Seat:
    """The user's seat if they may `perm` in the partnership: 404 without a seat, 403 without
    the permission."""
    seat = seat_of(user, partnership_id)
    _refuse(seat.role if seat else None, perm)
    assert seat is not None
    return seat


def check_access(user: object, partnership_id: int, perm: Perm = Perm.VIEW) -> None:
    """access_partnership's refusals (404 without a seat, 403 without `perm`) for a caller that
    needs nothing from the seat itself."""
    _refuse(role_of(user, partnership_id), perm)


def visible_partnerships(user: object) -> PartnershipQuerySet:
    return Partnership.objects.visible_to(user)


def partnership_view(perm: Perm = Perm.VIEW):  # type: ignore[no-untyped-def]
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
