"""The reporting capability's permissions and object lookups, used by its pages and API alike.

`ReportingPerm` is registered with the partnership policy (`partnerships.access`) here, with
the roles that hold each permission.

Each lookup returns the object of the seat's partnership or raises Http404, so an object of
another partnership, or one that does not exist, looks the same ("not found", never
"forbidden"). Who
may change a looked-up object is the services' rule (`services.reports.may_write`,
`may_review`, ...), which they enforce themselves.
"""

from enum import StrEnum

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from commonground.partnerships.access import register_permissions
from commonground.partnerships.models import Seat, SeatRole
from commonground.reporting.models import (
    CommunicationEntry,
    Milestone,
    PartnerReport,
    ProgressUpdate,
    ReportAttachment,
    ReportingSchedule,
)
from commonground.reporting.selectors.plan import entries_of
from commonground.reporting.selectors.updates import milestones_of, updates_of


class ReportingPerm(StrEnum):
    MANAGE_REPORTING = "reporting.manage"  # schedules, report review, milestones, the plan
    WRITE_REPORTS = "reporting.write"  # fill in and submit one's own partner's reports
    POST_UPDATES = "reporting.post"  # progress updates
    COMMENT = "reporting.comment"  # comment on and ask about updates


register_permissions(
    ReportingPerm,
    {
        SeatRole.EDITOR: set(ReportingPerm),
        SeatRole.REPORTER: {
            ReportingPerm.WRITE_REPORTS,
            ReportingPerm.POST_UPDATES,
            ReportingPerm.COMMENT,
        },
        SeatRole.VIEWER: {ReportingPerm.COMMENT},
    },
)


def access_report(
    seat: Seat, report_id: int, *, queryset: QuerySet[PartnerReport] | None = None
) -> PartnerReport:
    """A partner report. A caller that must load more with it (the API's serializer) passes
    `queryset`: it says what to load, not what may be seen; the lookup's scope applies on top."""
    if queryset is None:
        queryset = PartnerReport.objects.select_related(
            "period__schedule",
            "partner__organisation",
            "partnership",
            "submitted_by",
            "reviewed_by",
        )
    return get_object_or_404(queryset, pk=report_id, partnership_id=seat.partnership_id)


def access_schedule(
    seat: Seat, schedule_id: int, *, queryset: QuerySet[ReportingSchedule] | None = None
) -> ReportingSchedule:
    return get_object_or_404(
        ReportingSchedule.objects.all() if queryset is None else queryset,
        pk=schedule_id,
        partnership_id=seat.partnership_id,
    )


def access_attachment(seat: Seat, report_id: int, attachment_id: int) -> ReportAttachment:
    """An attachment of the report `report_id` of the seat's partnership."""
    return get_object_or_404(
        ReportAttachment,
        pk=attachment_id,
        report_id=report_id,
        partnership_id=seat.partnership_id,
    )


def access_update(seat: Seat, update_id: int) -> ProgressUpdate:
    return get_object_or_404(updates_of(seat.partnership_id), pk=update_id)


def access_milestone(seat: Seat, milestone_id: int) -> Milestone:
    return get_object_or_404(milestones_of(seat.partnership_id), pk=milestone_id)


def access_entry(seat: Seat, entry_id: int) -> CommunicationEntry:
    """An entry of the communication plan."""
    return get_object_or_404(entries_of(seat.partnership_id), pk=entry_id)
