"""My partnerships says where each partnership stands (progress, next deadline, overdue count)
from what the capabilities contribute, and sorts by any of it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from commonground.partnerships.services import partnership_create
from commonground.reporting.tests.factories import make_schedule
from commonground.results.models import PartnershipProgress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2025():
    with time_machine.travel(dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


def schedule_from_april(world) -> None:
    """A quarterly schedule set up on 20 April 2025: the 2025-Q1 report (due 30 April) is
    overdue on 10 May, and 2025-Q2's (due 30 July) is the next."""
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        make_schedule(world)


def rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [row.split("</th>")[0] for row in body.split("<tr>")[1:]]


def test_each_partnership_shows_progress_next_deadline_and_overdue_and_sorts(world):
    schedule_from_april(world)
    PartnershipProgress.objects.create(
        partnership=world.a, status="at_risk", percent=65, counts={"at_risk": 2}, indicator_count=2
    )
    quiet = partnership_create(
        actor=world.coordinator,
        data={
            "title": "Another partnership",
            "purpose": "x",
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
            "sdg_goals": [1],
            "sectors": ["160"],
        },
        lead_organisation=world.city,
    )
    client = Client()
    client.force_login(world.coordinator)
    page = client.get("/partnerships/").text
    assert [quiet.title in r for r in rows(page)] == [True, False]  # by title first
    a_row = page.split(world.a.title)[1].split("</tr>")[0]
    assert "At risk" in a_row and "65 %" in a_row and "1 overdue" in a_row
    assert "2025-Q2 report" in a_row and "30 Jul 2025" in a_row  # the next one due
    quiet_row = page.split("Another partnership")[1].split("</tr>")[0]
    assert "Not assessed" in quiet_row and "overdue" not in quiet_row

    by_overdue = client.get("/partnerships/?sort=-overdue").text
    assert world.a.title in rows(by_overdue)[0]
    assert 'aria-sort="descending"' in by_overdue
    assert world.a.title in rows(client.get("/partnerships/?sort=status").text)[0]
    assert client.get("/partnerships/?sort=nonsense").status_code == 200


def test_the_overview_opens_with_where_the_partnership_stands(world):
    schedule_from_april(world)
    PartnershipProgress.objects.create(
        partnership=world.a,
        status="off_track",
        percent=38,
        counts={"on_track": 1, "off_track": 2},
        indicator_count=3,
    )
    client = Client()
    client.force_login(world.viewer)  # for everyone with a seat, not only those who act
    page = client.get(f"/partnerships/{world.a.pk}/").text
    stands = page.split('id="where-it-stands"')[1].split("</section>")[0]
    assert page.index('id="where-it-stands"') < page.index("Purpose")
    assert "Off track" in stands and "38 %" in stands
    assert "On track: 1 indicator" in stands and "Off track: 2 indicators" in stands
    overdue = stands.split("Overdue (1)")[1].split("Coming up")[0]
    assert "2025-Q1 report" in overdue and "Shelter Network" in overdue
    assert "2025-Q2 report" in stands.split("Coming up")[1]
