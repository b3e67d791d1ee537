"""Report due dates for personal calendar feeds: reporting's calendar source (registered with
notifications in reporting.apps).

People who manage reporting (coordinators, editors) get one event per period of each active
schedule ("reports due"); everybody else gets their own partner's reports.
"""

from collections.abc import Sequence

from django.urls import reverse

from commonground.notifications.registry import CalendarEvent
from commonground.notifications.services.notify import absolute
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import PartnerReport, ReportingPeriod


def due_date_events(seats: Sequence[Seat]) -> list[CalendarEvent]:
    """The due dates the person's seats may see: periods where they manage reporting, their
    own partner's reports elsewhere."""
    managed = [s.partnership_id for s in seats if can(s, ReportingPerm.MANAGE_REPORTING)]
    periods = (
        ReportingPeriod.objects.filter(partnership_id__in=managed, schedule__active=True)
        .select_related("schedule", "partnership")
        .order_by("due_date", "pk")
    )
    events = [
        CalendarEvent(
            f"period-{period.pk}@commonground",
            period.due_date,
            f"Reports due: {period.schedule.title} {period.key} ({period.partnership.title})",
            absolute(reverse("reporting:reports", args=[period.partnership_id])),
            f"Partner reports for {period.key} "
            f"({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}) are due.",
        )
        for period in periods
    ]
    own = [(s.partnership_id, s.partner_id) for s in seats if s.partnership_id not in managed]
    if not own:
        return events
    mine = PartnerReport.objects.none()
    for partnership_id, partner_id in own:
        mine |= PartnerReport.objects.filter(partnership_id=partnership_id, partner_id=partner_id)
    reports = (
        mine.filter(period__schedule__active=True)
        .select_related("period__schedule", "partner__organisation", "partnership")
        .order_by("period__due_date", "pk")
    )
    events += [
        CalendarEvent(
            f"report-{report.pk}@commonground",
            report.period.due_date,
            f"Report due: {report.partner.organisation.name} {report.period.key} "
            f"({report.partnership.title})",
            absolute(reverse("reporting:report", args=[report.partnership_id, report.pk])),
            f"{report.period.schedule.title}, {report.period.key}: "
            f"{report.get_status_display().lower()}.",
        )
        for report in reports
    ]
    return events
