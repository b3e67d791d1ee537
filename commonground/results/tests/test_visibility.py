"""Who sees which reported results (issue 9, item 8): a value is its partner's until it is
approved. A draft is seen by its partner's reporters and by the coordinators and editors; a
submitted one also by its reviewers (who are the coordinators and editors); viewers and other
partners' reporters see approved values only, with a count of those awaiting review. The API,
the indicator page, the result page and the partner report page all follow the one rule in
`results.access`.

The results are made through the API, as a partner's script would make them.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commonground.accounts.models import User
from commonground.partnerships.services import seat_create
from commonground.reporting.services import schedules
from commonground.reporting.tests.factories import make_schedule, report_of
from commonground.results.tests.test_api import Caller, Framework, a_path, fw, report
from conftest import World, make_user

pytestmark = pytest.mark.django_db
__all__ = ["fw"]  # the fixture, imported so pytest finds it here


@pytest.fixture(autouse=True)
def _autumn_2025():
    """Late enough that the three quarters of the values are over and their reports exist."""
    with time_machine.travel(dt.datetime(2025, 10, 20, 9, tzinfo=dt.UTC), tick=True):
        yield


@dataclass
class Values:
    draft: int
    submitted: int
    approved: int
    other_partner: User  # a reporter of the lead partner, not the NGO


@pytest.fixture
def values(world: World, fw: Framework) -> Values:
    """Three of the NGO's values for people housed: a draft (2025-Q3), a submitted one
    (2025-Q2) and an approved one (2025-Q1)."""
    ngo = Caller(world.reporter)
    approved = report(world, ngo, fw.housed, period="2025-Q1", value=5).json()["id"]
    submitted = report(world, ngo, fw.housed, period="2025-Q2", value=7).json()["id"]
    draft = report(world, ngo, fw.housed, period="2025-Q3", value=9).json()["id"]
    for pk in (approved, submitted):
        assert ngo.post(a_path(world, f"/results/{pk}/submit")).status_code == 200
    approve = Caller(world.coordinator).post(a_path(world, f"/results/{approved}/approve"), {})
    assert approve.status_code == 200, approve.content
    lead_reporter = make_user("reporter@city.test")
    seat_create(
        actor=world.coordinator,
        partnership=world.a,
        user=lead_reporter,
        partner=world.lead_a,
        role="reporter",
    )
    return Values(draft, submitted, approved, lead_reporter)


def _people(world: World, values: Values) -> dict[str, User]:
    return {
        "coordinator": world.coordinator,
        "editor": world.editor,
        "ngo reporter": world.reporter,
        "ngo viewer": world.viewer,
        "lead reporter": values.other_partner,
    }


# Who sees which of the three values: the rule, written out once.
SEES = {
    "coordinator": {"draft", "submitted", "approved"},
    "editor": {"draft", "submitted", "approved"},
    "ngo reporter": {"draft", "submitted", "approved"},
    "ngo viewer": {"approved"},
    "lead reporter": {"approved"},
}


def _ids(values: Values) -> dict[str, int]:
    return {"draft": values.draft, "submitted": values.submitted, "approved": values.approved}


def test_the_api_lists_and_opens_only_the_values_a_person_may_see(
    world: World, values: Values
) -> None:
    ids = _ids(values)
    for who, user in _people(world, values).items():
        caller = Caller(user)
        listed = {item["id"] for item in caller.get(a_path(world, "/results")).json()["items"]}
        assert listed == {ids[kind] for kind in SEES[who]}, who
        for kind, pk in ids.items():
            status = caller.get(a_path(world, f"/results/{pk}")).status_code
            assert status == (200 if kind in SEES[who] else 404), (who, kind)
            comments = caller.get(a_path(world, f"/results/{pk}/comments")).status_code
            assert comments == (200 if kind in SEES[who] else 404), (who, kind)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _result_links(html: str, world: World, values: Values) -> set[int]:
    """Which of the three values the page links to."""
    return {
        pk
        for pk in _ids(values).values()
        if reverse("results:result", args=[world.a.pk, pk]) in html
    }


def test_pages_show_only_the_values_a_person_may_see_and_count_the_rest(
    world: World, fw: Framework, values: Values
) -> None:
    ids = _ids(values)
    for who, user in _people(world, values).items():
        client = _client(user)
        page = client.get(reverse("results:indicator", args=[world.a.pk, fw.housed.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert _result_links(html, world, values) == {ids[kind] for kind in SEES[who]}, who
        awaiting = "1 value awaits review and is not shown until it is approved."
        # The draft is not awaiting review; the submitted value is, for those who cannot see it.
        assert (awaiting in html) == ("submitted" not in SEES[who]), who
        for kind, pk in ids.items():
            status = client.get(reverse("results:result", args=[world.a.pk, pk])).status_code
            assert status == (200 if kind in SEES[who] else 404), (who, kind)


def test_the_partner_report_lists_only_the_values_a_person_may_see(
    world: World, values: Values
) -> None:
    with time_machine.travel(dt.datetime(2025, 4, 1, 9, tzinfo=dt.UTC)):
        schedule = make_schedule(world)  # set up in spring: reports from 2025-Q1 on
    schedules.generate(schedule)  # and extended since, as the daily task does
    ids = _ids(values)
    for period, kind in (("2025-Q1", "approved"), ("2025-Q2", "submitted"), ("2025-Q3", "draft")):
        partner_report = report_of(world, schedule, period)
        url = reverse("reporting:report", args=[world.a.pk, partner_report.pk])
        for who, user in _people(world, values).items():
            html = _client(user).get(url).content.decode()
            shown = _result_links(html, world, values)
            assert shown == ({ids[kind]} if kind in SEES[who] else set()), (who, period)
            hidden = "1 value awaits review and is not shown until it is approved."
            assert (hidden in html) == (kind == "submitted" and kind not in SEES[who])
            if kind == "draft" and kind not in SEES[who]:
                assert "No results reported for this period yet." in html
