"""seat_of reads the seat with one prepared statement: it must give what the ORM gives."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.partnerships.access import seat_of
from commonground.partnerships.models import Partnership, Seat
from commonground.reporting.access import ReportingPerm
from commonground.results.access import ResultsPerm

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_seat_of_gives_what_the_orm_gives_field_by_field(world):
    # Values of every kind the four rows hold: dates, booleans, text, numbers.
    Partnership.objects.filter(pk=world.a.pk).update(
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    seats = Seat.objects.select_related("partnership", "partner__organisation")
    assert seats.count() >= 5
    for expected in seats:
        found = seat_of(expected.user, expected.partnership_id)
        assert found is not None
        for mine, theirs in (
            (found, expected),
            (found.partnership, expected.partnership),
            (found.partner, expected.partner),
            (found.partner.organisation, expected.partner.organisation),
        ):
            assert _fields(mine) == _fields(theirs)
            for name, value in _fields(theirs).items():
                assert type(_fields(mine)[name]) is type(value), name
            assert mine._state.adding is False and mine._state.db == "default"
        with CaptureQueriesContext(connection) as queries:
            assert found.partnership.title and found.partner.organisation.name
        assert not queries.captured_queries


def test_seat_of_is_none_without_a_seat_or_a_signed_in_user(world):
    assert seat_of(world.other_coordinator, world.a.pk) is None
    assert seat_of(AnonymousUser(), world.a.pk) is None
    world.coordinator.is_active = False
    assert seat_of(world.coordinator, world.a.pk) is None


def test_a_revoked_seat_is_gone_on_the_next_read(world):
    assert seat_of(world.reporter, world.a.pk) is not None
    Seat.objects.filter(user=world.reporter, partnership=world.a).delete()
    assert seat_of(world.reporter, world.a.pk) is None


def test_roles_do_what_the_glossary_says():
    """docs/glossary.md, "Seat": keep the two in step when a role changes."""
    from commonground.partnerships.access import ROLE_PERMISSIONS, Perm

    everything = frozenset(Perm) | frozenset(ResultsPerm) | frozenset(ReportingPerm)
    assert ROLE_PERMISSIONS["coordinator"] == everything
    assert ROLE_PERMISSIONS["editor"] == everything - {Perm.MANAGE_SEATS}
    assert ROLE_PERMISSIONS["reporter"] == {
        Perm.VIEW,
        ReportingPerm.COMMENT,
        ResultsPerm.REPORT_RESULTS,
        ReportingPerm.WRITE_REPORTS,
        ReportingPerm.POST_UPDATES,
    }
    assert ROLE_PERMISSIONS["viewer"] == {Perm.VIEW, ReportingPerm.COMMENT}


def test_an_app_grants_only_its_own_permissions_once():
    from enum import StrEnum

    from django.core.exceptions import ImproperlyConfigured

    from commonground.partnerships.access import ROLE_PERMISSIONS, register_permissions

    class Borrowed(StrEnum):
        MINE = "borrowed.mine"

    before = dict(ROLE_PERMISSIONS)
    with pytest.raises(ImproperlyConfigured, match="others' permissions"):
        register_permissions(Borrowed, {"reporter": {ResultsPerm.REVIEW_RESULTS}})

    class Twice(StrEnum):
        REPORT = "results.report"

    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        register_permissions(Twice, {})
    assert ROLE_PERMISSIONS["reporter"] == before["reporter"]


def test_role_of_gives_the_seats_role_and_nothing_without_a_seat(world):
    from commonground.partnerships.access import role_of

    for seat in Seat.objects.all():
        assert role_of(seat.user, seat.partnership_id) == seat.role
    assert role_of(world.other_coordinator, world.a.pk) is None
    assert role_of(AnonymousUser(), world.a.pk) is None
    world.coordinator.is_active = False
    assert role_of(world.coordinator, world.a.pk) is None
