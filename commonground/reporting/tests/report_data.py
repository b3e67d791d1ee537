"""Data for the progress report and council summary tests, built in the `world` fixture.

Partnership A gets an outcome with a quarterly count (baseline 0, target 100) whose 2025-Q1
result of 40 people is approved, and a quarterly schedule set up on 1 February 2025, so the
NGO has a report for every quarter from 2025-Q1 on.
"""

import datetime as dt
import io
from typing import Any

import time_machine
from django.utils import timezone
from pypdf import PdfReader

from commonground.reporting.models import PartnerReport, ReportingSchedule, ReportStatus
from commonground.reporting.tests.factories import fill, make_schedule, report_of
from commonground.results.models import Indicator
from commonground.results.tests.factories import make_indicator, make_objective, report
from conftest import World

Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
NARRATIVE = "Opened twelve new beds at Quay Street."
CHALLENGE = "Staff turnover; handled with a shared rota."


def framework_with_result(world: World) -> Indicator:
    objective = make_objective(world, title="Nobody sleeps rough")
    indicator = make_indicator(world, objective, title="People housed")
    report(world, indicator, "2025-Q1", 40)
    return indicator


def schedule_since_2025(world: World) -> ReportingSchedule:
    with time_machine.travel(dt.datetime(2025, 2, 1, 12, tzinfo=dt.UTC), tick=False):
        return make_schedule(world)


def accepted(world: World, schedule: ReportingSchedule, key: str, **sections: str) -> PartnerReport:
    """The NGO's report for `key`, written through the service and then marked accepted.

    The review step is set directly: submitting notifies the reviewers with a link to the report
    page, which another part of the reporting capability provides.
    """
    written = fill(
        world,
        report_of(world, schedule, key),
        achievements=sections.pop("achievements", NARRATIVE),
        challenges=sections.pop("challenges", CHALLENGE),
        **sections,
    )
    PartnerReport.objects.filter(pk=written.pk).update(
        status=ReportStatus.ACCEPTED, reviewed_at=timezone.now(), reviewed_by=world.coordinator
    )
    written.refresh_from_db()
    return written


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of white space made single spaces (lines break anywhere)."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def flat(text: Any) -> str:
    return " ".join(str(text).split())
