"""The communication plan hears what was done elsewhere: a published progress report marks its
"printed report" entries done, a sent digest its "digest" entries (once per digest period,
however many people got it)."""

from pathlib import Path
from typing import Any

import pytest

from commonground.notifications.facts import digest_sent
from commonground.reporting.models import CommunicationDone, CommunicationEntry
from commonground.reporting.services import exports, plan
from commonground.reporting.tests.test_report_exports import Q1

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _entry(world, channel: str) -> CommunicationEntry:
    return plan.plan_entry_create(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        data={
            "audience": "council",
            "content": "What the partnership achieved",
            "channel": channel,
            "frequency": "quarterly",
            "owner_id": world.lead_a.pk,
        },
    )


def test_publishing_a_progress_report_marks_the_printed_report_entries_done(world):
    printed, digest = _entry(world, "printed_report"), _entry(world, "digest")
    export = exports.export_request(
        actor=world.coordinator, seat=world.seat(world.coordinator), date_from=Q1[0], date_to=Q1[1]
    )
    exports.export_publish(
        actor=world.coordinator, seat=world.seat(world.coordinator), export=export
    )
    printed.refresh_from_db()
    digest.refresh_from_db()
    assert printed.last_done_at is not None and digest.last_done_at is None
    done = CommunicationDone.objects.get(entry=printed)
    assert done.source == "report" and "published" in done.note


def test_a_digest_period_counts_once_for_the_plan(world):
    entry = _entry(world, "digest")
    for user in (world.coordinator, world.reporter, world.viewer):
        digest_sent.state(partnership_id=world.a.pk, user_id=user.pk, period_key="2025-W14")
    digest_sent.state(partnership_id=world.a.pk, user_id=world.viewer.pk, period_key="2025-W15")
    assert list(
        CommunicationDone.objects.filter(entry=entry).values_list("note", flat=True).order_by("pk")
    ) == ["Digest 2025-W14 sent", "Digest 2025-W15 sent"]
