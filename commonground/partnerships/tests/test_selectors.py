"""The pages' fixed statements give what the querysets give."""

import pytest

from commonground.accounts.models import Organisation
from commonground.partnerships.models import PartnerRole, Partnership, Seat
from commonground.partnerships.selectors import (
    activity_of,
    my_partnership_rows,
    my_partnerships,
    partner_list,
    partners_of,
    recent_activity,
)
from commonground.partnerships.services import partner_add

pytestmark = pytest.mark.django_db

FIGURES = ("pk", "title", "geography", "status", "sectors", "lead_name", "partner_count", "my_role")


def _figures(rows) -> list[tuple]:
    return [tuple(getattr(row, name) for name in FIGURES) for row in rows]


def test_my_partnership_rows_are_my_partnerships_with_the_same_figures(world):
    # A second seat for one person, a partnership with two leads (the first one counts), and
    # two partnerships of the same title (ordered by id after the title).
    partner_add(
        actor=world.coordinator,
        partnership=world.a,
        organisation=world.other_org,
        role=PartnerRole.LEAD,
    )
    Partnership.objects.filter(pk=world.b.pk).update(title=world.a.title)
    Seat.objects.create(
        partnership=world.b,
        user=world.viewer,
        partner=world.b.partners.first(),
        role="editor",
    )
    for person in (world.coordinator, world.viewer, world.other_coordinator, world.outsider):
        expected = _figures(my_partnerships(user=person))
        assert _figures(my_partnership_rows(user=person)) == expected
    assert [row[-1] for row in _figures(my_partnership_rows(user=world.viewer))] == [
        "viewer",
        "editor",
    ]
    assert my_partnership_rows(user=world.outsider) == []


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_overviews_partner_list_is_partners_of_without_seat_counts(world):
    # Two partners of the same organisation name: ordered by id after the name.
    partner_add(
        actor=world.coordinator, partnership=world.a, organisation=world.other_org, role="funding"
    )
    Organisation.objects.filter(pk=world.other_org.pk).update(name=world.city.name)
    expected = list(partners_of(partnership=world.a))
    found = partner_list(partnership_id=world.a.pk)
    assert [p.pk for p in found] == [p.pk for p in expected] and len(found) == 3
    for mine, theirs in zip(found, expected, strict=True):
        assert _fields(mine) == _fields(theirs)
        assert _fields(mine.organisation) == _fields(theirs.organisation)
    assert partner_list(partnership_id=world.b.pk) == list(partners_of(partnership=world.b))


def test_recent_activity_is_the_head_of_activity_of(world):
    for count in (1, 5, 100):
        expected = list(activity_of(partnership=world.a)[:count])
        found = recent_activity(partnership_id=world.a.pk, count=count)
        assert [_fields(e) for e in found] == [_fields(e) for e in expected]
    assert len(recent_activity(partnership_id=world.a.pk)) == 5
