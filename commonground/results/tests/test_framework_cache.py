"""The results framework page's cached body (fragments.py): never stale after a write, never
shared between partnerships, never showing a role what it may not see, never holding anything
about the person who first rendered it."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from commonground.accounts.services import organisation_update
from commonground.partnerships.access import seat_of
from commonground.partnerships.services import partnership_update, seat_create
from commonground.results import fragments, imports
from commonground.results.models import Indicator, Result, ResultStatus
from commonground.results.services import entry
from commonground.results.services import framework as framework_services
from commonground.results.services.summaries import refresh_all
from commonground.results.tests.factories import make_indicator, make_objective, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025():
    with time_machine.travel(dt.datetime(2025, 8, 15, 9, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def tree(world):
    """A: an impact with an outcome measuring people housed (22 so far) and beds (none yet).
    B: its own outcome."""
    impact = make_objective(world, level="impact", title="Nobody sleeps rough")
    outcome = make_objective(
        world,
        title="People housed quickly",
        parent=impact,
        responsible_partner_ids=[world.ngo_a.pk],
    )
    housed = make_indicator(world, outcome, title="People housed")
    beds = make_indicator(world, outcome, title="Beds opened", target_value=400)
    report(world, housed, "2025-Q1", 10)
    report(world, housed, "2025-Q2", 12)
    b_outcome = make_objective(
        world, title="Dunes replanted", partnership=world.b, actor=world.other_coordinator
    )
    make_indicator(world, b_outcome, title="Hectares planted", actor=world.other_coordinator)
    return {"impact": impact, "outcome": outcome, "housed": housed, "beds": beds}


def _page(user, partnership=None, world=None) -> str:
    client = Client()
    client.force_login(user)
    partnership_id = (partnership or world.a).pk
    response = client.get(reverse("results:framework", args=[partnership_id]))
    assert response.status_code == 200
    return response.content.decode()


def _stable(html: str) -> str:
    """The page without what differs on every request: the CSP nonce and the CSRF token."""
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _page_text(world, user=None) -> str:
    return _text(_page(user or world.coordinator, world=world))


@pytest.fixture
def renders(monkeypatch):
    """How many times the page's body was rendered rather than read from the cache."""
    import importlib

    view = importlib.import_module("commonground.results.views.framework")
    calls = []
    render = view._framework_body

    def counted(*args, **kwargs):
        calls.append(args)
        return render(*args, **kwargs)

    monkeypatch.setattr(view, "_framework_body", counted)
    return calls


# --- fresh after every write -----------------------------------------------------------------


def test_the_body_is_cached_and_served_from_the_cache(world, tree, renders):
    first = _page(world.viewer, world=world)
    assert len(renders) == 1
    again = _page(world.viewer, world=world)
    assert len(renders) == 1
    assert _stable(first) == _stable(again)
    assert "People housed 22 people · target 100 by 2027" in _text(again)


def test_an_approval_shows_at_once(world, tree):
    assert "People housed 22 people" in _page_text(world)
    assert "Beds opened No data yet" in _page_text(world, world.viewer)
    report(world, tree["housed"], "2025-Q3", 8, reporter=world.coordinator)  # draft → approved
    report(world, tree["beds"], "2025-Q1", 40)
    for user in (world.coordinator, world.viewer):
        text = _page_text(world, user)
        assert "People housed 30 people" in text
        assert "Beds opened 40 people · target 400 by 2027" in text


def test_reopening_an_approved_result_shows_at_once(world, tree):
    assert "People housed 22 people" in _page_text(world)
    result = Result.objects.get(indicator=tree["housed"], period_start=dt.date(2025, 4, 1))
    entry.result_reopen(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, result.partnership_id),
        result=result,
        reason="Counted twice.",
    )
    assert "People housed 10 people" in _page_text(world)


def test_an_import_shows_at_once_and_so_does_its_approval(world, tree, renders):
    before = _page(world.coordinator, world=world)
    assert "Beds opened No data yet" in _text(before)
    rows = imports.parse(
        (
            "indicator_id,indicator,period,partner,value\r\n"
            f"{tree['beds'].pk},Beds opened,2025-Q2,Shelter Network,55\r\n"
        ).encode(),
        name="beds.csv",
    )
    imports.apply(
        actor=world.reporter, seat=world.seat(world.reporter), partnership=world.a, rows=rows
    )
    # Drafts count for nothing yet, but the page is rendered afresh, not taken from the cache.
    rendered = len(renders)
    assert "Beds opened No data yet" in _page_text(world)
    assert len(renders) == rendered + 1
    imported = Result.objects.get(indicator=tree["beds"], status=ResultStatus.DRAFT)
    entry.result_submit(
        actor=world.reporter, seat=seat_of(world.reporter, imported.partnership_id), result=imported
    )
    entry.result_approve(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, imported.partnership_id),
        result=imported,
    )
    assert "Beds opened 55 people · target 400 by 2027" in _page_text(world)


def test_a_revised_target_shows_at_once(world, tree):
    assert "target 400 by 2027" in _page_text(world, world.viewer)
    beds = tree["beds"]
    framework_services.target_revise(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, beds.partnership_id),
        indicator=beds,
        value=250,
        target_date="2026-12-31",
        reason="budget_change",
        version=beds.version,
    )
    assert "Beds opened No data yet · target 250 by 2026" in _page_text(world, world.viewer)


def test_framework_edits_show_at_once(world, tree):
    assert "People housed quickly" in _page_text(world, world.viewer)
    outcome = tree["outcome"]
    framework_services.objective_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, outcome.partnership_id),
        objective=outcome,
        data={"title": "People housed within a month"},
        version=outcome.version,
    )
    assert "People housed within a month" in _page_text(world, world.viewer)
    make_objective(world, title="Winter shelter open", parent=tree["impact"])
    assert "Winter shelter open" in _page_text(world, world.viewer)
    housed = Indicator.objects.get(pk=tree["housed"].pk)
    framework_services.indicator_update(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, housed.partnership_id),
        indicator=housed,
        data={"unit": "households"},
        version=housed.version,
    )
    assert "People housed 22 households" in _page_text(world, world.viewer)


def test_a_renamed_organisation_shows_at_once(world, tree):
    """Organisation names belong to no partnership: their audit events are on the global chain,
    which is part of every key."""
    assert "Responsible: Shelter Network" in _page_text(world, world.viewer)
    organisation_update(
        actor=world.coordinator,
        organisation=world.ngo,
        data={"name": "Shelter Network Europe"},
        version=world.ngo.version,
    )
    assert "Responsible: Shelter Network Europe" in _page_text(world, world.viewer)


def test_a_new_end_date_shows_in_the_smart_check_at_once(world, tree):
    assert "after the partnership ends" not in _page_text(world)
    partnership_update(
        actor=world.coordinator,
        partnership=world.a,
        data={"end_date": "2026-06-30"},
        version=world.a.version,
    )
    assert "“People housed” has a target dated after the partnership ends" in _page_text(world)


def test_the_daily_refresh_shows_at_once(world, tree):
    """Statuses move with the date alone: the daily refresh writes no audit event, but every
    summary it writes moves the partnership's computed_at, which is part of the key."""
    assert "People housed 22 people · target 100 by 2027 On track" in _page_text(world)
    refresh_all(today=dt.date(2026, 3, 1))  # Q2 2025 is long past: no recent data
    assert "People housed 22 people · target 100 by 2027 No recent data" in _page_text(world)


def test_writes_outside_the_services_show_after_the_refresh(world, tree):
    """A write that bypasses the services (a shell, a data fix) records no event; the
    documented way to publish it is `commonground progress refresh`."""
    assert "Beds opened" in _page_text(world, world.viewer)
    Indicator.objects.filter(pk=tree["beds"].pk).update(title="Beds available")
    refresh_all()
    assert "Beds available" in _page_text(world, world.viewer)


# --- never shared where it must not be -------------------------------------------------------


def test_one_partnerships_body_never_appears_in_anothers(world, tree):
    # Someone with the same role in both partnerships reads A first, then B.
    seat_create(
        actor=world.other_coordinator,
        partnership=world.b,
        user=world.coordinator,
        partner=world.b.partners.get(),
        role="coordinator",
    )
    a_page = _page_text(world, world.coordinator)
    b_page = _text(_page(world.coordinator, world.b))
    assert "People housed" in a_page and "Hectares planted" not in a_page
    assert "Hectares planted" in b_page and "People housed" not in b_page
    assert "Dune Restoration overall" in b_page
    assert _text(_page(world.other_coordinator, world.b)) == b_page.replace(
        "coordinator@a.test", "coordinator@b.test"
    )


def test_edit_controls_follow_the_role_whoever_came_first(world, tree):
    edit = reverse("results:objective_edit", args=[world.a.pk, tree["outcome"].pk])
    review = reverse("results:review", args=[world.a.pk])
    upload = reverse("results:import", args=[world.a.pk])
    # The viewer's body is cached first: the editor still gets the controls ...
    viewer = _page(world.viewer, world=world)
    assert edit not in viewer and "SMART check" not in viewer and upload not in viewer
    editor = _page(world.editor, world=world)
    assert edit in editor and "SMART check" in editor and review in editor
    # ... and the editor's cached body never reaches the reporter or the viewer.
    reporter = _page(world.reporter, world=world)
    assert upload in reporter
    assert edit not in reporter and "SMART check" not in reporter and review not in reporter
    viewer_again = _page(world.viewer, world=world)
    assert _stable(viewer_again) == _stable(viewer)
    assert edit not in viewer_again and "Add an objective" not in viewer_again


def test_the_cached_body_holds_nothing_about_the_person(world, tree, renders):
    coordinator = _page(world.coordinator, world=world)
    editor = _page(world.editor, world=world)  # the same permissions: the same cached body
    assert len(renders) == 1
    assert "coordinator@a.test" in coordinator and "coordinator@a.test" not in editor
    assert "editor@a.test" in editor
    key = fragments.framework_key(world.a.pk, can_edit=True, can_review=True, can_report=True)
    html = caches[fragments.CACHE].get(key)
    assert "People housed" in html
    for private in ("@a.test", "csrf", "nonce", "Sign out", "Coordinator"):
        assert private not in html


def test_a_write_between_the_access_check_and_the_key_is_never_cached_stale(
    world, tree, monkeypatch
):
    """The seat (with its partnership) is read before the key: the body must not be built from
    that copy, or a rename committed in between would be cached under the new key for good."""
    from commonground.partnerships.models import Partnership

    key = fragments.framework_key

    def rename_then_key(partnership_id, **permissions):
        monkeypatch.setattr(fragments, "framework_key", key)  # only once
        partnership = Partnership.objects.get(pk=partnership_id)
        partnership_update(
            actor=world.coordinator,
            partnership=partnership,
            data={"title": "Housing First"},
            version=partnership.version,
        )
        return key(partnership_id, **permissions)

    monkeypatch.setattr(fragments, "framework_key", rename_then_key)
    _page(world.viewer, world=world)  # read the old title with the seat, then the new key
    assert "Housing First overall" in _page_text(world, world.viewer)  # from the cache
