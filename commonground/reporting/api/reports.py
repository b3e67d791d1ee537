"""Reporting schedules and partner reports: the same services as the pages."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.core.errors import field_error
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Partnership, Seat
from commonground.reporting.access import ReportingPerm, access_report, access_schedule
from commonground.reporting.models import (
    PartnerReport,
    ReportingSchedule,
    ReportState,
    ReportStatus,
)
from commonground.reporting.services import reports, schedules

router = Router(tags=["reporting"])


class ScheduleIn(Schema):
    title: str
    frequency: str = Field(description="monthly, quarterly, semiannual or annual")
    due_days: int = Field(30, description="Days after a period ends that its report is due")
    reminder_offsets: list[int] = Field(
        default_factory=lambda: [-7, 0, 3],
        description="Days relative to the due date: negative before, 0 on the day, positive "
        "after (overdue: coordinators are told too)",
    )
    partner_ids: list[int] = Field(description="Partners who report on this schedule")


class ScheduleOut(Schema):
    id: int
    title: str
    frequency: str
    due_days: int
    reminder_offsets: list[int]
    partner_ids: list[int]
    active: bool
    version: int

    @staticmethod
    def resolve_partner_ids(obj: ReportingSchedule) -> list[int]:
        return sorted(r.partner_id for r in obj.reporters.all())


class ReportOut(Schema):
    id: int
    schedule_id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    partner_id: int
    partner: str
    status: str = Field(description="draft, submitted, returned or accepted")
    state: str = Field(
        description="not_yet_due, due, overdue (unsubmitted, by date), submitted, returned, "
        "accepted"
    )
    achievements: str
    challenges: str
    lessons: str
    next_steps: str
    support_needed: str
    submitted_by: str | None
    submitted_at: dt.datetime | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_comment: str
    version: int

    @staticmethod
    def resolve_schedule_id(obj: PartnerReport) -> int:
        return obj.period.schedule_id

    @staticmethod
    def resolve_period(obj: PartnerReport) -> str:
        return obj.period.key

    @staticmethod
    def resolve_period_start(obj: PartnerReport) -> dt.date:
        return obj.period.start

    @staticmethod
    def resolve_period_end(obj: PartnerReport) -> dt.date:
        return obj.period.end

    @staticmethod
    def resolve_due_date(obj: PartnerReport) -> dt.date:
        return obj.period.due_date

    @staticmethod
    def resolve_partner(obj: PartnerReport) -> str:
        return obj.partner.organisation.name

    @staticmethod
    def resolve_state(obj: PartnerReport) -> str:
        return obj.state_on(timezone.localdate())

    @staticmethod
    def resolve_submitted_by(obj: PartnerReport) -> str | None:
        return obj.submitted_by.email if obj.submitted_by else None

    @staticmethod
    def resolve_reviewed_by(obj: PartnerReport) -> str | None:
        return obj.reviewed_by.email if obj.reviewed_by else None


class ReportPatch(Schema):
    """Only the sections sent change."""

    achievements: str | None = None
    challenges: str | None = None
    lessons: str | None = None
    next_steps: str | None = None
    support_needed: str | None = None


class ReportReviewIn(Schema):
    comment: str = Field("", description="Required to return: what needs changing")


class ReportReopenIn(Schema):
    reason: str = Field("", description="Why the accepted report must change (required)")


def _schedules(partnership: Partnership) -> QuerySet[ReportingSchedule]:
    return ReportingSchedule.objects.filter(partnership=partnership).prefetch_related("reporters")


def _reports(partnership: Partnership) -> QuerySet[PartnerReport]:
    return (
        PartnerReport.objects.filter(partnership=partnership)
        .select_related("period", "partner__organisation", "submitted_by", "reviewed_by")
        .order_by("period__start", "partner__organisation__name", "pk")
    )


@partnership_operation(
    router.get,
    f"{BASE}/reporting/schedules",
    Perm.VIEW,
    response={200: list[ScheduleOut], **ERRORS},
    summary="Reporting schedules",
)
def list_schedules(request: HttpRequest, seat: Seat) -> object:
    return list(_schedules(seat.partnership))


@partnership_operation(
    router.post,
    f"{BASE}/reporting/schedules",
    ReportingPerm.MANAGE_REPORTING,
    response={201: ScheduleOut, **ERRORS},
    summary="Set up a reporting schedule: its periods and the partners' reports are created",
)
def create_schedule(
    request: HttpRequest, seat: Seat, payload: ScheduleIn, response: HttpResponse
) -> Status[ReportingSchedule]:
    schedule = schedules.schedule_create(
        actor=api_user(request), seat=seat, partnership=seat.partnership, data=payload.dict()
    )
    set_etag(response, schedule.version)
    return Status(201, _schedules(seat.partnership).get(pk=schedule.pk))


@partnership_operation(
    router.put,
    f"{BASE}/reporting/schedules/{{schedule_id}}",
    ReportingPerm.MANAGE_REPORTING,
    response={200: ScheduleOut, **ERRORS},
    summary="Change a reporting schedule",
    description=IF_MATCH + " The frequency is fixed once a report was submitted "
    "(409 frequency_fixed).",
)
def update_schedule(
    request: HttpRequest,
    seat: Seat,
    schedule_id: int,
    payload: ScheduleIn,
    response: HttpResponse,
) -> ReportingSchedule:
    schedule = access_schedule(seat, schedule_id, queryset=_schedules(seat.partnership))
    schedule = schedules.schedule_update(
        actor=api_user(request),
        seat=seat,
        schedule=schedule,
        data=payload.dict(),
        expected_version=expected_version(request),
    )
    set_etag(response, schedule.version)
    return _schedules(seat.partnership).get(pk=schedule.pk)


@partnership_operation(
    router.get,
    f"{BASE}/reports",
    Perm.VIEW,
    response={200: list[ReportOut], **ERRORS},
    summary="Partner reports, filtered by state, partner or schedule",
)
@paginate(LimitOffsetPagination)
def list_reports(
    request: HttpRequest,
    seat: Seat,
    state: str | None = None,
    partner_id: int | None = None,
    schedule_id: int | None = None,
) -> object:
    rows = _reports(seat.partnership)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    if schedule_id is not None:
        rows = rows.filter(period__schedule_id=schedule_id)
    if state:
        if state not in ReportState.values:
            raise field_error(
                "state",  # i18n: the field's name
                _("Choose one of: %(states)s.") % {"states": ", ".join(ReportState.values)},
            )
        today = timezone.localdate()
        if state in ReportStatus.values and state != ReportStatus.DRAFT:
            rows = rows.filter(status=state)
        else:
            drafts = rows.filter(status=ReportStatus.DRAFT)
            rows = {
                ReportState.NOT_YET_DUE: drafts.filter(period__end__gt=today),
                ReportState.DUE: drafts.filter(period__end__lte=today, period__due_date__gte=today),
                ReportState.OVERDUE: drafts.filter(period__due_date__lt=today),
            }[ReportState(state)]
    return rows


@partnership_operation(
    router.get, f"{BASE}/reports/{{report_id}}", Perm.VIEW, response={200: ReportOut, **ERRORS}
)
def get_report(
    request: HttpRequest, seat: Seat, report_id: int, response: HttpResponse
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    set_etag(response, report.version)
    return report


def _out(report: PartnerReport, response: HttpResponse) -> PartnerReport:
    fresh = _reports(report.partnership).get(pk=report.pk)
    set_etag(response, fresh.version)
    return fresh


@partnership_operation(
    router.patch,
    f"{BASE}/reports/{{report_id}}",
    ReportingPerm.WRITE_REPORTS,
    response={200: ReportOut, **ERRORS},
    summary="Write a report's narrative sections",
    description=IF_MATCH + " Only a report not submitted or returned changes (409 report_locked).",
)
def update_report(
    request: HttpRequest,
    seat: Seat,
    report_id: int,
    payload: ReportPatch,
    response: HttpResponse,
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    reports.report_save(
        actor=api_user(request),
        seat=seat,
        report=report,
        data=payload.dict(exclude_unset=True, exclude_none=True),
        expected_version=expected_version(request),
    )
    return _out(report, response)


@partnership_operation(
    router.post,
    f"{BASE}/reports/{{report_id}}/submit",
    ReportingPerm.WRITE_REPORTS,
    response={200: ReportOut, **ERRORS},
    summary="Submit a report (and the partner's draft results of its period) for review",
)
def submit_report(
    request: HttpRequest, seat: Seat, report_id: int, response: HttpResponse
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    reports.report_submit(actor=api_user(request), seat=seat, report=report)
    return _out(report, response)


@partnership_operation(
    router.post,
    f"{BASE}/reports/{{report_id}}/return",
    ReportingPerm.MANAGE_REPORTING,
    response={200: ReportOut, **ERRORS},
    summary="Return a submitted report to its partner with comments",
)
def return_report(
    request: HttpRequest,
    seat: Seat,
    report_id: int,
    payload: ReportReviewIn,
    response: HttpResponse,
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    reports.report_return(
        actor=api_user(request), seat=seat, report=report, comment=payload.comment
    )
    return _out(report, response)


@partnership_operation(
    router.post,
    f"{BASE}/reports/{{report_id}}/accept",
    ReportingPerm.MANAGE_REPORTING,
    response={200: ReportOut, **ERRORS},
    summary="Accept a submitted report; it is locked",
    description="Nobody accepts a report they submitted (409 own_submission).",
)
def accept_report(
    request: HttpRequest,
    seat: Seat,
    report_id: int,
    payload: ReportReviewIn,
    response: HttpResponse,
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    reports.report_accept(
        actor=api_user(request), seat=seat, report=report, comment=payload.comment
    )
    return _out(report, response)


@partnership_operation(
    router.post,
    f"{BASE}/reports/{{report_id}}/reopen",
    ReportingPerm.MANAGE_REPORTING,
    response={200: ReportOut, **ERRORS},
    summary="Reopen an accepted report for changes, with a reason",
)
def reopen_report(
    request: HttpRequest,
    seat: Seat,
    report_id: int,
    payload: ReportReopenIn,
    response: HttpResponse,
) -> PartnerReport:
    report = access_report(seat, report_id, queryset=_reports(seat.partnership))
    reports.report_reopen(actor=api_user(request), seat=seat, report=report, reason=payload.reason)
    return _out(report, response)
