"""Helpers that build reporting data in the `world` fixture through the real services.

Partnership A runs from 2025-01-01 to 2027-12-31; its partners are the City (lead, the
coordinator's and editor's organisation) and the Shelter Network (NGO: the reporter's and
viewer's organisation).
"""

from typing import Any

from commonground.partnerships.models import Seat
from commonground.reporting.models import PartnerReport, ReportingSchedule
from commonground.reporting.services import reports, schedules
from conftest import World


def make_schedule(world: World, **data: Any) -> ReportingSchedule:
    """A quarterly schedule in A on which the NGO reports, due 30 days after each quarter,
    reminders a week before, on the day and three days after."""
    return schedules.schedule_create(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        partnership=world.a,
        data={
            "title": "Quarterly partner report",
            "frequency": "quarterly",
            "due_days": 30,
            "reminder_offsets": [-7, 0, 3],
            "partner_ids": [world.ngo_a.pk],
            **data,
        },
    )


def report_of(world: World, schedule: ReportingSchedule, key: str) -> PartnerReport:
    return PartnerReport.objects.get(
        period__schedule=schedule, period__key=key, partner=world.ngo_a
    )


def fill(world: World, report: PartnerReport, **sections: str) -> PartnerReport:
    data = {
        "achievements": "Opened 12 new beds.",
        "challenges": "Staff turnover; handled with a shared rota.",
        **sections,
    }
    return reports.report_save(
        actor=world.reporter,
        seat=world.seat(world.reporter),
        report=report,
        data=data,
        expected_version=report.version,
    )


def submit(world: World, report: PartnerReport) -> PartnerReport:
    fill(world, report)
    return reports.report_submit(
        actor=world.reporter, seat=world.seat(world.reporter), report=report
    )


def seat(world: World, user: Any) -> Seat:
    return world.seat(user)
