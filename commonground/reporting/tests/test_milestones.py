"""Milestones and the achievements recorded when one is reached or an indicator meets its target
(through the real results services: approving results refreshes the progress summary)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commonground.core.errors import Conflict, InvalidInput, StaleVersion
from commonground.core.models import AuditEvent
from commonground.partnerships.access import seat_of
from commonground.reporting.models import Achievement, AchievementKind, Milestone
from commonground.reporting.services import milestones
from commonground.reporting.tests.updates_factories import make_milestone, mark_done
from commonground.results.models import IndicatorProgress
from commonground.results.services import framework
from commonground.results.services.summaries import refresh_all, refresh_indicator
from commonground.results.tests.factories import make_indicator, report

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- milestones ------------------------------------------------------------------------------


def test_editor_adds_a_milestone_and_a_reporter_cannot(world):
    milestone = milestones.milestone_create(
        actor=world.editor,
        seat=world.seat(world.editor),
        data={"title": " Night   shelter opens ", "due_date": "2025-06-30"},
    )
    assert milestone.title == "Night shelter opens" and str(milestone.due_date) == "2025-06-30"
    assert AuditEvent.objects.filter(action="milestone.create").count() == 1
    with pytest.raises(PermissionDenied):
        milestones.milestone_create(
            actor=world.reporter, seat=world.seat(world.reporter), data={"title": "Mine"}
        )


def test_a_milestone_needs_a_title_and_a_real_date(world):
    with pytest.raises(InvalidInput) as error:
        make_milestone(world, title="", due_date="30/06/2025")
    assert set(error.value.fields) == {"title", "due_date"}


def test_marking_done_records_one_achievement(world):
    milestone = make_milestone(world, description="The shelter on Mill Lane.")
    mark_done(world, milestone)
    achievement = Achievement.objects.get()
    assert achievement.key == f"milestone:{milestone.pk}"
    assert achievement.kind == AchievementKind.MILESTONE_DONE
    assert achievement.title == "Milestone reached: Night shelter opens"
    assert "The shelter on Mill Lane." in achievement.detail
    assert achievement.milestone == milestone and achievement.partnership == world.a
    milestone.refresh_from_db()
    assert milestone.done_by == world.coordinator and milestone.version == 2
    with pytest.raises(Conflict) as error:
        mark_done(world, milestone)
    assert error.value.code == "already_done"
    assert Achievement.objects.count() == 1


def test_marking_done_on_a_stale_version_is_refused(world):
    milestone = make_milestone(world)
    milestones.milestone_edit(
        actor=world.editor,
        seat=world.seat(world.editor),
        milestone=milestone,
        data={"title": "Renamed"},
        expected_version=1,
    )
    stale = Milestone.objects.get(pk=milestone.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        mark_done(world, stale)
    assert not Achievement.objects.exists()


def test_milestone_pages_for_a_coordinator_and_a_viewer(world):
    milestone = make_milestone(world, title="Shelter opens")
    client = _client(world.coordinator)
    page = client.get(reverse("reporting:milestones", args=[world.a.pk])).text
    assert "Shelter opens" in page and "Mark done" in page
    done = client.post(
        reverse("reporting:milestone_done", args=[world.a.pk, milestone.pk]),
        {"version": milestone.version},
    )
    assert done.status_code == 302
    assert Milestone.objects.get().done_at is not None
    viewer_page = _client(world.viewer).get(reverse("reporting:milestones", args=[world.a.pk]))
    assert "Mark done" not in viewer_page.text and "Shelter opens" in viewer_page.text
    post = _client(world.viewer).post(
        reverse("reporting:milestone_done", args=[world.a.pk, milestone.pk]), {"version": 2}
    )
    assert post.status_code == 403


def test_milestone_edit_page_shows_a_stale_version_on_the_form(world):
    milestone = make_milestone(world)
    mark_done(world, milestone)
    response = _client(world.editor).post(
        reverse("reporting:milestone_edit", args=[world.a.pk, milestone.pk]),
        {"title": "Renamed", "version": 1},
    )
    assert response.status_code == 200 and "Someone else changed this" in response.text


def test_api_marks_a_milestone_done_with_if_match(world):
    client = _client(world.editor)
    created = client.post(
        f"/api/v1/partnerships/{world.a.pk}/milestones",
        json.dumps({"title": "Shelter opens", "due_date": "2025-06-30"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    url = f"/api/v1/partnerships/{world.a.pk}/milestones/{created.json()['id']}/done"
    assert client.post(url).status_code == 428
    done = client.post(url, headers={"If-Match": created["ETag"]})
    assert done.status_code == 200 and done.json()["done_by"]["id"] == world.editor.pk
    again = client.post(url, headers={"If-Match": done["ETag"]})
    assert again.status_code == 409 and again.json()["code"] == "already_done"


# --- targets reached -------------------------------------------------------------------------


def test_reaching_a_target_records_one_achievement(world):
    indicator = make_indicator(world, title="People housed", target_value=100)
    report(world, indicator, "2025-Q1", 60)
    assert not Achievement.objects.exists()
    report(world, indicator, "2025-Q2", 45)  # 105 of 100: achieved on approval
    assert IndicatorProgress.objects.get(indicator=indicator).status == "achieved"
    achievement = Achievement.objects.get()
    assert achievement.key == f"target:{indicator.pk}:100"
    assert achievement.kind == AchievementKind.TARGET_REACHED
    assert achievement.indicator == indicator and achievement.partnership == world.a
    assert achievement.title == "Target reached: People housed"
    assert "reached its target of 100 people with 105 people to date" in achievement.detail
    # Another approval, a refresh by hand and the daily refresh change nothing.
    report(world, indicator, "2025-Q3", 5)
    refresh_indicator(indicator)
    refresh_all()
    assert Achievement.objects.count() == 1


def test_a_revised_target_reached_again_is_celebrated_again(world):
    indicator = make_indicator(world, target_value=50)
    report(world, indicator, "2025-Q1", 60)
    indicator.refresh_from_db()
    framework.target_revise(
        actor=world.coordinator,
        seat=seat_of(world.coordinator, indicator.partnership_id),
        indicator=indicator,
        value=80,
        reason="partnership_decision",
        reason_text="",
        version=indicator.version,
    )
    assert Achievement.objects.count() == 1  # 60 of 80: not yet
    report(world, indicator, "2025-Q2", 30)
    assert sorted(Achievement.objects.values_list("key", flat=True)) == [
        f"target:{indicator.pk}:50",
        f"target:{indicator.pk}:80",
    ]


def test_target_achievements_appear_in_the_feed(world):
    indicator = make_indicator(world, title="Beds opened", target_value=10)
    report(world, indicator, "2025-Q1", 10)
    page = _client(world.viewer).get(reverse("reporting:updates", args=[world.a.pk])).text
    assert "Target reached: Beds opened" in page and "celebrate-badge" in page


def test_record_target_reached_ignores_a_status_that_is_not_achieved(world):
    indicator = make_indicator(world)
    summary = report(world, indicator, "2025-Q1", 10).indicator.progress
    assert summary.status != "achieved"
    assert milestones.record_target_reached(indicator, summary) is None
    assert not Achievement.objects.exists()
