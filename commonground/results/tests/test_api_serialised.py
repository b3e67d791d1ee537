"""The indicators list and progress bodies served from the cache (results/api/serialised.py):
byte for byte what ninja renders on the old path, for the demo's framework with the endpoints'
pagination and filters, and never stale after a write."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from commonground.accounts.models import User
from commonground.demo.management.commands.seed import seed_scenario
from commonground.demo.results import seed_results
from commonground.partnerships.access import seat_of
from commonground.partnerships.models import Seat
from commonground.results.api import serialised
from commonground.results.models import Indicator
from commonground.results.services import framework as framework_services
from commonground.results.tests.factories import make_indicator, make_objective, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025():
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _both(client: Client, path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(old path through ninja's validation, served from the cache), both as responses."""
    monkeypatch.setattr(serialised, "ENABLED", False)
    old = client.get(path)
    monkeypatch.setattr(serialised, "ENABLED", True)
    return old, client.get(path)


def _same(old, new) -> None:  # type: ignore[no-untyped-def]
    assert new.status_code == old.status_code
    assert new.content == old.content
    assert new["Content-Type"] == old["Content-Type"]


def test_the_demo_bodies_are_byte_for_byte_what_ninja_renders(monkeypatch):
    """Every demo partnership's framework (objectives, dimensions, period targets, partners,
    approved results, progress), each page and filter, cold and then from the cache."""
    seed_scenario()
    seed_results(today=dt.date(2025, 8, 15))
    seats = list(Seat.objects.filter(role="coordinator").select_related("user"))
    assert Indicator.objects.filter(partnership__seats__in=seats).count() >= 20
    checked = 0
    for seat in seats:
        indicators = list(Indicator.objects.filter(partnership_id=seat.partnership_id))
        objectives = sorted({i.objective_id for i in indicators}) or [999999999]
        base = f"/api/v1/partnerships/{seat.partnership_id}"
        queries = [
            "",
            "?limit=3",
            "?limit=3&offset=2",
            "?offset=7",
            "?offset=100000",
            "?limit=1",
            f"?objective_id={objectives[0]}",
            f"?objective_id={objectives[-1]}&limit=2&offset=1",
            "?objective_id=999999999",
            "?limit=0",  # refused by the pagination's validation, before the body runs
            "?objective_id=x",
        ]
        client = _client(seat.user)
        for query in queries:
            for _ in range(2):  # filling the cache, then served from it
                old, new = _both(client, f"{base}/indicators{query}", monkeypatch)
                _same(old, new)
                checked += new.status_code == 200
        assert new.status_code == 422
        for _ in range(2):
            old, new = _both(client, f"{base}/progress", monkeypatch)
            _same(old, new)
        assert len(new.json()["indicators"]) == len(indicators)
        full = client.get(f"{base}/indicators").json()
        assert full["count"] == len(indicators)
    assert checked >= 18


@pytest.fixture
def tree(world):
    outcome = make_objective(world, title="People housed quickly")
    housed = make_indicator(world, outcome, title="People housed")
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    report(world, housed, "2025-Q1", 10)
    return {"outcome": outcome, "housed": housed, "beds": beds}


def _bodies(world, monkeypatch) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Both bodies from the cache, checked against the old path at every step."""
    client = _client(world.viewer)
    bodies = {}
    for name in ("indicators", "progress", f"indicators?objective_id={world.objective_id}"):
        old, new = _both(client, f"/api/v1/partnerships/{world.a.pk}/{name}", monkeypatch)
        _same(old, new)
        bodies[name] = new.content
    return bodies


@pytest.fixture
def watch(world, tree, monkeypatch):
    """Reads both bodies (filling the cache) and returns a check that the next ones differ."""
    world.objective_id = tree["outcome"].pk
    before = _bodies(world, monkeypatch)

    def changed(*names: str) -> None:
        nonlocal before
        after = _bodies(world, monkeypatch)
        for name in names:
            assert after[name] != before[name], name
        before = after

    return changed


def _seat(world):  # type: ignore[no-untyped-def]
    return seat_of(world.coordinator, world.a.pk)


def test_an_approved_result_shows_at_once(world, tree, watch):
    report(world, tree["housed"], "2025-Q2", 12)
    watch("indicators", "progress")


def test_an_edited_indicator_shows_at_once(world, tree, watch):
    housed = Indicator.objects.get(pk=tree["housed"].pk)
    framework_services.indicator_update(
        actor=world.coordinator,
        seat=_seat(world),
        indicator=housed,
        data={"unit": "households"},
        version=housed.version,
    )
    watch("indicators", "progress")


def test_a_revised_target_shows_at_once(world, tree, watch):
    beds = Indicator.objects.get(pk=tree["beds"].pk)
    framework_services.target_revise(
        actor=world.coordinator,
        seat=_seat(world),
        indicator=beds,
        value=250,
        target_date="2026-12-31",
        reason="budget_change",
        version=beds.version,
    )
    watch("indicators", "progress")


def test_a_period_target_shows_at_once(world, tree, watch):
    framework_services.period_target_set(
        actor=world.coordinator,
        seat=_seat(world),
        indicator=Indicator.objects.get(pk=tree["housed"].pk),
        period_label="2025-Q3",
        value=5,
    )
    watch("indicators")


def test_a_new_indicator_shows_at_once(world, tree, watch):
    make_indicator(world, tree["outcome"], title="Meals served")
    watch("indicators", "progress", f"indicators?objective_id={tree['outcome'].pk}")


def test_the_progress_body_follows_the_date(world, tree, watch):
    """Expected values depend on today: the date is in the key."""
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=True):
        watch("progress")


def test_partnerships_do_not_share_a_body(world, tree):
    make_indicator(
        world,
        make_objective(world, title="Dunes", partnership=world.b, actor=world.other_coordinator),
        title="Hectares planted",
        actor=world.other_coordinator,
    )
    a = _client(world.coordinator).get(f"/api/v1/partnerships/{world.a.pk}/indicators")
    b = _client(world.other_coordinator).get(f"/api/v1/partnerships/{world.b.pk}/indicators")
    assert [i["title"] for i in b.json()["items"]] == ["Hectares planted"]
    assert "Hectares planted" not in a.content.decode()
    # and no seat, no body: the check runs before the cache is read
    assert (
        _client(world.coordinator).get(f"/api/v1/partnerships/{world.b.pk}/indicators").status_code
        == 404
    )
    assert (
        _client(world.coordinator).get(f"/api/v1/partnerships/{world.b.pk}/progress").status_code
        == 404
    )
