"""Pages for reporting schedules and partner reports: the partnership's reporting page, schedule
forms, a report with its narrative, the period's results, attachments and history, and one URL
per action (each with its own permission, so a POST to a page anyone may view never reviews)."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.files import download
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, can, partnership_view
from commonground.partnerships.models import Seat
from commonground.reporting.access import (
    ReportingPerm,
    access_attachment,
    access_report,
    access_schedule,
)
from commonground.reporting.forms.reports import (
    AttachmentForm,
    ReopenForm,
    ReportForm,
    ReviewForm,
    ScheduleForm,
)
from commonground.reporting.models import (
    NARRATIVE_FIELDS,
    PartnerReport,
    ReportingSchedule,
    ReportState,
    ReportStatus,
)
from commonground.reporting.services import reports, schedules
from commonground.results.access import awaiting_review_hidden, result_visibility


def _context(seat: Seat, **extra: Any) -> dict[str, Any]:
    return {
        "seat": seat,
        "partnership": seat.partnership,
        "can_manage": can(seat, ReportingPerm.MANAGE_REPORTING),
        "can_write": can(seat, ReportingPerm.WRITE_REPORTS),
        **extra,
    }


STATE_FILTERS = [(s.value, s.label) for s in ReportState]


@partnership_view(Perm.VIEW)
@require_GET
def reporting_home(request: HttpRequest, seat: Seat) -> HttpResponse:
    """Schedules, and every report by period with its state; filter by state or partner."""
    today = timezone.localdate()
    wanted_state = request.GET.get("state", "")
    mine = request.GET.get("mine") == "1"
    # "Needs my review": submitted reports this person may review, not their own.
    to_review = request.GET.get("review") == "1" and can(seat, ReportingPerm.MANAGE_REPORTING)
    user = signed_in_user(request)
    rows = (
        PartnerReport.objects.filter(partnership_id=seat.partnership_id)
        .select_related("period__schedule", "partner__organisation")
        .order_by("-period__due_date", "partner__organisation__name")
    )
    if mine:
        rows = rows.filter(partner_id=seat.partner_id)
    if to_review:
        rows = rows.filter(status=ReportStatus.SUBMITTED).exclude(submitted_by=user)
    by_period: dict[Any, list[tuple[PartnerReport, str, str]]] = defaultdict(list)
    accepted: dict[Any, list[tuple[PartnerReport, str, str]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    soon = today + dt.timedelta(days=SUMMARY_SOON_DAYS)
    due_soon = 0
    for report in rows:
        state = report.state_on(today)
        counts[state] += 1
        if state in (ReportState.DUE, ReportState.NOT_YET_DUE) and report.period.due_date <= soon:
            due_soon += 1
        if wanted_state and state != wanted_state:
            continue
        # Far-future periods crowd the page: show what is due within a period's length.
        if state == ReportState.NOT_YET_DUE and report.period.start > today:
            continue
        line = (report, state, str(ReportState(state).label))
        # Accepted reports are history: folded away unless asked for.
        (accepted if state == ReportState.ACCEPTED and not wanted_state else by_period)[
            report.period
        ].append(line)
    summary = [
        ("overdue", _("overdue"), counts.get(ReportState.OVERDUE, 0), "?state=overdue"),
        ("due", _("due in the next two weeks"), due_soon, "?state=due"),
        (
            "submitted",
            _("waiting for review"),
            counts.get(ReportState.SUBMITTED, 0),
            "?state=submitted",
        ),
        ("returned", _("returned"), counts.get(ReportState.RETURNED, 0), "?state=returned"),
    ]
    return render(
        request,
        "reporting/reports.html",
        _context(
            seat,
            schedules=ReportingSchedule.objects.filter(partnership_id=seat.partnership_id)
            .prefetch_related("reporters__partner__organisation")
            .order_by("title"),
            periods=list(by_period.items()),
            accepted_periods=list(accepted.items()),
            accepted_count=sum(len(lines) for lines in accepted.values()),
            summary=summary,
            counts=[(value, label, counts.get(value, 0)) for value, label in STATE_FILTERS],
            wanted_state=wanted_state,
            mine=mine,
            to_review=to_review,
            today=today,
        ),
    )


SUMMARY_SOON_DAYS = 14


def _schedule_page(
    request: HttpRequest, seat: Seat, schedule: ReportingSchedule | None
) -> HttpResponse:
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        partnership=seat.partnership,
        schedule=schedule,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = signed_in_user(request)
        try:
            if schedule is None:
                schedule = schedules.schedule_create(
                    actor=user, seat=seat, partnership=seat.partnership, data=data
                )
                messages.success(
                    request, _("Schedule “%(title)s” created.") % {"title": schedule.title}
                )
            else:
                schedules.schedule_update(
                    actor=user,
                    seat=seat,
                    schedule=schedule,
                    data=data,
                    expected_version=data.get("version") or schedule.version,
                )
                messages.success(
                    request, _("Schedule “%(title)s” saved.") % {"title": schedule.title}
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("reporting:reports", seat.partnership_id)
    return render(
        request, "reporting/schedule_form.html", _context(seat, form=form, schedule=schedule)
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def schedule_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    return _schedule_page(request, seat, None)


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, seat: Seat, schedule_id: int) -> HttpResponse:
    return _schedule_page(request, seat, access_schedule(seat, schedule_id))


def _report_page(
    request: HttpRequest,
    seat: Seat,
    report: PartnerReport,
    *,
    form: ReportForm | None = None,
    review_form: ReviewForm | None = None,
    reopen_form: ReopenForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    writable = reports.may_write(seat, report) and report.status in reports.EDITABLE
    if form is None and writable:
        form = ReportForm.for_report(report)
    return render(
        request,
        "reporting/report.html",
        _context(
            seat,
            report=report,
            state=report.state_on(today),
            state_label=ReportState(report.state_on(today)).label,
            writable=writable,
            reviewable=reports.may_review(seat, report),
            form=form,
            review_form=review_form or ReviewForm(initial={"version": report.version}),
            reopen_form=reopen_form or ReopenForm(initial={"version": report.version}),
            attachment_form=_with_the_narrative(attachment_form or AttachmentForm()),
            results=list(reports.period_results(report).filter(result_visibility(seat))),
            hidden_awaiting=awaiting_review_hidden(
                seat, pk__in=reports.period_results(report).values("pk")
            ),
            steps=report.steps.select_related("actor"),
            attachments=report.attachments.all(),
        ),
        status=status,
    )


def _with_the_narrative(form: AttachmentForm) -> AttachmentForm:
    """The attachment's fields belong to the narrative's form (HTML `form` attribute): attaching
    sends the typed text along, and it is saved first, so nothing typed is lost."""
    for field in form.fields.values():
        field.widget.attrs["form"] = NARRATIVE_FORM_ID
    return form


NARRATIVE_FORM_ID = "report-form"


@partnership_view(Perm.VIEW)
@require_GET
def report_detail(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    return _report_page(request, seat, access_report(seat, report_id))


@partnership_view(ReportingPerm.WRITE_REPORTS)
@require_POST
def report_save(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    """Save the narrative; with action=submit, then submit the report."""
    report = access_report(seat, report_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, seat, report, form=form, status=400)
    user = signed_in_user(request)
    data = form.cleaned_data
    saved = False
    try:
        reports.report_save(
            actor=user, seat=seat, report=report, data=data, expected_version=data["version"]
        )
        saved = True
        if request.POST.get("action") == "submit":
            reports.report_submit(actor=user, seat=seat, report=report)
            messages.success(request, _("Report submitted for review."))
        else:
            messages.success(request, _("Report saved. Submit it when it is complete."))
    except DomainError as error:
        report.refresh_from_db()
        if saved:
            # The text was saved; only the submission was refused. The form goes on from the
            # saved version (a stale save keeps the old one, so nobody overwrites unseen).
            bound = request.POST.copy()
            bound["version"] = str(report.version)
            form = ReportForm(bound)
            form.is_valid()
        add_domain_error(form, error)
        return _report_page(request, seat, report, form=form, status=400)
    return redirect("reporting:report", seat.partnership_id, report.pk)


def _review_action(request: HttpRequest, seat: Seat, report_id: int, action: str) -> HttpResponse:
    report = access_report(seat, report_id)
    user = signed_in_user(request)
    if action == "reopen":
        reopen = ReopenForm(request.POST)
        if not reopen.is_valid():
            return _report_page(request, seat, report, reopen_form=reopen, status=400)
        data: dict[str, Any] = reopen.cleaned_data
    else:
        review = ReviewForm(request.POST)
        review.is_valid()
        data = review.cleaned_data
    version = data.get("version") or None
    try:
        if action == "return":
            reports.report_return(
                actor=user,
                seat=seat,
                report=report,
                comment=data.get("comment", ""),
                expected_version=version,
            )
            messages.success(request, _("Report returned to the partner with your comments."))
        elif action == "accept":
            reports.report_accept(
                actor=user,
                seat=seat,
                report=report,
                comment=data.get("comment", ""),
                expected_version=version,
            )
            messages.success(request, _("Report accepted. It is locked now."))
        else:
            reports.report_reopen(
                actor=user,
                seat=seat,
                report=report,
                reason=data["reason"],
                expected_version=version,
            )
            messages.success(request, _("Report reopened: the partner can change it again."))
    except DomainError as error:
        report.refresh_from_db()
        if action == "reopen":
            form_r = ReopenForm(request.POST)
            form_r.is_valid()
            add_domain_error(form_r, error)
            return _report_page(request, seat, report, reopen_form=form_r, status=400)
        form_v = ReviewForm(request.POST)
        form_v.is_valid()
        add_domain_error(form_v, error)
        return _report_page(request, seat, report, review_form=form_v, status=400)
    return redirect("reporting:report", seat.partnership_id, report.pk)


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_POST
def report_return(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    return _review_action(request, seat, report_id, "return")


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_POST
def report_accept(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    return _review_action(request, seat, report_id, "accept")


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_POST
def report_reopen(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    return _review_action(request, seat, report_id, "reopen")


@partnership_view(ReportingPerm.WRITE_REPORTS)
@require_POST
def report_attach(request: HttpRequest, seat: Seat, report_id: int) -> HttpResponse:
    """Attach a file or a link. The narrative typed on the page comes with it (the Attach
    button belongs to the narrative's form) and is saved first, so attaching never loses it."""
    report = access_report(seat, report_id)
    user = signed_in_user(request)
    narrative = ReportForm(request.POST)
    saved_text = False
    if "version" in request.POST:
        if not narrative.is_valid():
            return _report_page(
                request,
                seat,
                report,
                form=narrative,
                attachment_form=AttachmentForm(request.POST, request.FILES),
                status=400,
            )
        data = narrative.cleaned_data
        if any((data.get(name) or "") != getattr(report, name) for name in NARRATIVE_FIELDS):
            try:
                reports.report_save(
                    actor=user,
                    seat=seat,
                    report=report,
                    data=data,
                    expected_version=data["version"],
                )
            except DomainError as error:
                add_domain_error(narrative, error)
                return _report_page(
                    request,
                    seat,
                    report,
                    form=narrative,
                    attachment_form=AttachmentForm(request.POST, request.FILES),
                    status=400,
                )
            saved_text = True
        # Whatever happens to the attachment, the form goes on from the saved version.
        bound = request.POST.copy()
        bound["version"] = str(report.version)
        narrative = ReportForm(bound)
        narrative.is_valid()
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reports.attachment_add(
                actor=user,
                seat=seat,
                report=report,
                upload=form.cleaned_data["evidence_file"],
                url=form.cleaned_data["evidence_url"] or "",
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Attachment added and your text saved.")
                if saved_text
                else _("Attachment added."),
            )
            return redirect("reporting:report", seat.partnership_id, report.pk)
    if saved_text:
        messages.info(request, _("Your text was saved."))
    return _report_page(
        request,
        seat,
        report,
        form=narrative if "version" in request.POST else None,
        attachment_form=form,
        status=400,
    )


@partnership_view(Perm.VIEW)
@require_GET
def report_attachment(
    request: HttpRequest, seat: Seat, report_id: int, attachment_id: int
) -> HttpResponseBase:
    """An attached file, always as a download (never rendered in the site's origin)."""
    attachment = access_attachment(seat, report_id, attachment_id)
    if not attachment.file:
        raise Http404("This attachment is a link, not a file.")
    return download(attachment.file, attachment.name)


P = "partnerships/<int:partnership_id>"
REPORT = f"{P}/reports/<int:report_id>"

urlpatterns = [
    path(f"{P}/reporting/", reporting_home, name="reports"),
    path(f"{P}/reporting/schedules/new/", schedule_create, name="schedule_create"),
    path(f"{P}/reporting/schedules/<int:schedule_id>/edit/", schedule_edit, name="schedule_edit"),
    path(f"{REPORT}/", report_detail, name="report"),
    path(f"{REPORT}/save/", report_save, name="report_save"),
    path(f"{REPORT}/return/", report_return, name="report_return"),
    path(f"{REPORT}/accept/", report_accept, name="report_accept"),
    path(f"{REPORT}/reopen/", report_reopen, name="report_reopen"),
    path(f"{REPORT}/attachments/", report_attach, name="report_attach"),
    path(
        f"{REPORT}/attachments/<int:attachment_id>/",
        report_attachment,
        name="report_attachment",
    ),
]
