"""The page's reader of My partnerships gives what the API's queryset gives."""

import pytest

from commonground.partnerships.models import PartnerRole, Partnership, Seat
from commonground.partnerships.selectors import my_partnership_rows, my_partnerships
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
