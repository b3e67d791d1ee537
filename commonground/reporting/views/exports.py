"""Pages of the reporting capability: progress reports, the council summary and their PDFs.
Each views module lists its own urlpatterns; reporting/urls.py joins them.

A progress report (partnership viewers) and the council summary (anyone signed in, over the
partnerships they hold a seat in) are pages for a date range, the last full quarter unless
chosen. Their PDF comes straight from the request while the report is small; a large one
(settings REPORT_BACKGROUND_INDICATORS / _PARTNERSHIPS) is kept as an export that the worker
makes, its page polling with htmx until the download link appears.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commonground.core.access import signed_in, signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, can, partnership_view
from commonground.partnerships.models import Seat
from commonground.reporting import pdf
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import ReportExport
from commonground.reporting.selectors.council_summary import council_summary, is_large_summary
from commonground.reporting.selectors.progress_report import (
    is_large_report,
    last_full_quarter,
    progress_report,
)
from commonground.reporting.services import exports

RECENT_EXPORTS = 10


class RangeForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            exports.check_range(data["date_from"], data["date_to"])
        except DomainError as error:
            add_domain_error(self, error)
        return data


def _range_form(query: QueryDict) -> RangeForm:
    """The dates asked for, or the last full quarter when none are given."""
    if not (query.get("date_from") or query.get("date_to")):
        start, end = last_full_quarter(timezone.localdate())
        return RangeForm({"date_from": start.isoformat(), "date_to": end.isoformat()})
    return RangeForm(query)


def _dates(form: RangeForm) -> tuple[dt.date, dt.date] | None:
    if not form.is_valid():
        return None
    return form.cleaned_data["date_from"], form.cleaned_data["date_to"]


def _query(dates: tuple[dt.date, dt.date]) -> str:
    return f"?date_from={dates[0].isoformat()}&date_to={dates[1].isoformat()}"


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a partnership's progress report ---------------------------------------------------------


def _report_page(
    request: HttpRequest, seat: Seat, form: RangeForm, status: int = 200
) -> HttpResponse:
    dates = _dates(form)
    user = signed_in_user(request)
    return render(
        request,
        "reporting/progress_report.html",
        {
            "seat": seat,
            "partnership": seat.partnership,
            "form": form,
            "dates": dates,
            "report": progress_report(seat.partnership, *dates) if dates else None,
            "large": is_large_report(seat.partnership),
            "exports": exports.exports_of(user, seat.partnership)[:RECENT_EXPORTS],
        },
        status=status,
    )


@partnership_view(Perm.VIEW)
@require_GET
def progress_report_page(request: HttpRequest, seat: Seat) -> HttpResponse:
    """The report for the chosen dates, with the controls to print or download it."""
    return _report_page(request, seat, _range_form(request.GET))


@partnership_view(Perm.VIEW)
@require_GET
def progress_report_pdf(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = _range_form(request.GET)
    dates = _dates(form)
    if dates is None:
        return _report_page(request, seat, form, status=400)
    url = reverse("reporting:progress_report", args=[seat.partnership_id]) + _query(dates)
    if is_large_report(seat.partnership):
        messages.info(request, _("This report is large: prepare its PDF in the background."))
        return redirect(url)
    content = pdf.progress_report_pdf(seat.partnership, *dates)
    return _attachment(content, pdf.progress_report_filename(seat.partnership, *dates))


@partnership_view(Perm.VIEW)
@require_POST
def report_export_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    """Keep the report as a PDF: made now when small, by the worker when large."""
    form = RangeForm(request.POST)
    dates = _dates(form)
    if dates is None:
        return _report_page(request, seat, form, status=400)
    try:
        export = exports.export_request(
            actor=signed_in_user(request), seat=seat, date_from=dates[0], date_to=dates[1]
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _report_page(request, seat, form, status=400)
    return redirect(exports.export_url(export))


def _download_url(export: ReportExport) -> str:
    if export.partnership_id is None:
        return reverse("reporting:council_export_download", args=[export.pk])
    return reverse("reporting:report_export_download", args=[export.partnership_id, export.pk])


def _export_page(request: HttpRequest, export: ReportExport, **extra: object) -> HttpResponse:
    template = "reporting/export.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#status"
    return render(
        request,
        template,
        {
            "export": export,
            "stalled": exports.stalled(export),
            "download_url": _download_url(export),
            "filename": exports.export_filename(export),
            **extra,
        },
    )


def _partnership_export(request: HttpRequest, seat: Seat, export_id: int) -> ReportExport:
    export = exports.visible_export(signed_in_user(request), export_id, seat.partnership_id)
    if export is None:
        raise Http404("No such report.")
    return export


def _file(export: ReportExport) -> HttpResponseBase:
    if export.status != ReportExport.Status.DONE or not export.file:
        return redirect(exports.export_url(export))
    try:
        handle = export.file.open("rb")
    except OSError as error:
        raise Http404("The file of this report is missing.") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=exports.export_filename(export),
        content_type="application/pdf",
    )


@partnership_view(Perm.VIEW)
@require_GET
def report_export(request: HttpRequest, seat: Seat, export_id: int) -> HttpResponse:
    export = _partnership_export(request, seat, export_id)
    return _export_page(
        request,
        export,
        seat=seat,
        partnership=seat.partnership,
        can_publish=can(seat, ReportingPerm.MANAGE_REPORTING),
    )


@partnership_view(Perm.VIEW)
@require_GET
def report_export_download(request: HttpRequest, seat: Seat, export_id: int) -> HttpResponseBase:
    """The kept PDF; who may have it is checked again now (a revoked seat loses it)."""
    return _file(_partnership_export(request, seat, export_id))


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_POST
def report_export_publish(request: HttpRequest, seat: Seat, export_id: int) -> HttpResponse:
    export = _partnership_export(request, seat, export_id)
    try:
        exports.export_publish(actor=signed_in_user(request), seat=seat, export=export)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published: everyone in the partnership can download it."))
    return redirect(exports.export_url(export))


# --- the council summary ---------------------------------------------------------------------


def _summary_page(request: HttpRequest, form: RangeForm, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    dates = _dates(form)
    return render(
        request,
        "reporting/council_summary.html",
        {
            "form": form,
            "dates": dates,
            "summary": council_summary(user, *dates) if dates else None,
            "large": is_large_summary(user),
            "exports": exports.council_exports_of(user)[:RECENT_EXPORTS],
        },
        status=status,
    )


@signed_in
@require_GET
def council_summary_page(request: HttpRequest) -> HttpResponse:
    """One page over every partnership the person holds a seat in."""
    return _summary_page(request, _range_form(request.GET))


@signed_in
@require_GET
def council_summary_pdf(request: HttpRequest) -> HttpResponse:
    form = _range_form(request.GET)
    dates = _dates(form)
    if dates is None:
        return _summary_page(request, form, status=400)
    user = signed_in_user(request)
    if is_large_summary(user):
        messages.info(request, _("This summary is large: prepare its PDF in the background."))
        return redirect(reverse("reporting:council_summary") + _query(dates))
    content = pdf.council_summary_pdf(user, *dates)
    return _attachment(content, pdf.council_summary_filename(*dates))


@signed_in
@require_POST
def council_export_create(request: HttpRequest) -> HttpResponse:
    form = RangeForm(request.POST)
    dates = _dates(form)
    if dates is None:
        return _summary_page(request, form, status=400)
    try:
        export = exports.export_request(
            actor=signed_in_user(request), date_from=dates[0], date_to=dates[1]
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _summary_page(request, form, status=400)
    return redirect(exports.export_url(export))


def _council_export(request: HttpRequest, summary_id: int) -> ReportExport:
    export = exports.visible_export(signed_in_user(request), summary_id, None)
    if export is None:
        raise Http404("No such summary.")
    return export


@signed_in
@require_GET
def council_export(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _export_page(request, _council_export(request, summary_id))


@signed_in
@require_GET
def council_export_download(request: HttpRequest, summary_id: int) -> HttpResponseBase:
    return _file(_council_export(request, summary_id))


P = "partnerships/<int:partnership_id>/progress-report"
C = "reports/council-summary"

urlpatterns: list[URLPattern] = [
    path(f"{P}/", progress_report_page, name="progress_report"),
    path(f"{P}/report.pdf", progress_report_pdf, name="progress_report_pdf"),
    path(f"{P}/exports/", report_export_create, name="report_export_create"),
    path(f"{P}/exports/<int:export_id>/", report_export, name="report_export"),
    path(
        f"{P}/exports/<int:export_id>/download/",
        report_export_download,
        name="report_export_download",
    ),
    path(
        f"{P}/exports/<int:export_id>/publish/",
        report_export_publish,
        name="report_export_publish",
    ),
    path(f"{C}/", council_summary_page, name="council_summary"),
    path(f"{C}/summary.pdf", council_summary_pdf, name="council_summary_pdf"),
    path(f"{C}/exports/", council_export_create, name="council_export_create"),
    path(f"{C}/exports/<int:summary_id>/", council_export, name="council_export"),
    path(
        f"{C}/exports/<int:summary_id>/download/",
        council_export_download,
        name="council_export_download",
    ),
]
