"""The Riverside updates, milestones and communication plan that `commonground seed` adds."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.audit import verify
from commonground.demo.management.commands.seed import seed_scenario
from commonground.demo.partnerships import HOMELESSNESS
from commonground.demo.updates import seed_updates
from commonground.notifications.models import Notification
from commonground.partnerships.models import Partnership
from commonground.reporting.models import (
    Achievement,
    Milestone,
    ProgressUpdate,
    UpdateComment,
)
from commonground.reporting.selectors.plan import plan_rows

pytestmark = pytest.mark.django_db


def test_seed_updates_tells_a_small_true_story_once_and_the_viewer_sees_it():
    seed_scenario()
    today = dt.date.today()
    counts = seed_updates(today=today)
    assert counts == {"updates": 4, "comments": 3, "milestones": 5, "reached": 3, "plan": 5}
    partnership = Partnership.objects.get(title=HOMELESSNESS.title)
    assert ProgressUpdate.objects.filter(partnership=partnership, visibility="public").count() == 1
    assert UpdateComment.objects.filter(is_question=True).count() == 2
    assert Notification.objects.filter(kind="update_question").count() == 2
    reached = Milestone.objects.filter(done_at__isnull=False)
    assert Achievement.objects.filter(milestone__in=reached).count() == 3
    states = [row.state for row in plan_rows(partnership, today)]
    assert states.count("overdue") == 1
    assert seed_updates(today=today) == {}
    assert all(report.ok for report in verify())
    # The demo viewer sees it all.
    client = Client()
    client.force_login(partnership.seats.get(user__email="viewer@example.org").user)
    feed = client.get(reverse("reporting:updates", args=[partnership.pk])).text
    assert "One year of the Homelessness Response" in feed
    assert "Milestone reached: Night shelter opens" in feed
    plan = client.get(reverse("reporting:plan", args=[partnership.pk])).text
    assert "1 overdue" in plan
