"""Report due dates for personal calendar feeds: reporting's calendar source (registered with
notifications in reporting.apps).

People who manage reporting (coordinators, editors) get one event per period of each active
schedule ("reports due"); everybody else gets their own partner's reports.
"""

from collections.abc import Sequence

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonground.notifications.registry import CalendarEvent
from commonground.notifications.services.notify import absolute, language_of
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import PartnerReport, ReportingPeriod


def due_date_events(seats: Sequence[Seat]) -> list[CalendarEvent]:
    """The due dates the person's seats may see: periods where they manage reporting, their
    own partner's reports elsewhere; written in the person's language (a calendar client
    fetches the feed without saying which)."""
    if not seats:
        return []
    with translation.override(language_of(seats[0].user)):
        return _events(seats)


def _events(seats: Sequence[Seat]) -> list[CalendarEvent]:
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
            _("Reports due: %(schedule)s %(period)s (%(partnership)s)")
            % {
                "schedule": period.schedule.title,
                "period": period.key,
                "partnership": period.partnership.title,
            },
            absolute(reverse("reporting:reports", args=[period.partnership_id])),
            _("Partner reports for %(period)s (%(start)s to %(end)s) are due.")
            % {
                "period": period.key,
                "start": date_format(period.start, "SHORT_DATE_FORMAT"),
                "end": date_format(period.end, "SHORT_DATE_FORMAT"),
            },
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
            _("Report due: %(partner)s %(period)s (%(partnership)s)")
            % {
                "partner": report.partner.organisation.name,
                "period": report.period.key,
                "partnership": report.partnership.title,
            },
            absolute(reverse("reporting:report", args=[report.partnership_id, report.pk])),
            _("%(schedule)s, %(period)s: %(status)s.")
            % {
                "schedule": report.period.schedule.title,
                "period": report.period.key,
                "status": report.get_status_display().lower(),
            },
        )
        for report in reports
    ]
    return events
