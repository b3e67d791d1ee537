"""Report exports: a progress report or council summary kept as a PDF, made in the request
when small and by the worker when large, then downloaded and (progress reports) published.

    export_request ──(small: in the request / large: queued task)──▶ export_render
    queued ──▶ done (file kept, requester notified if it was made in the background)
           └─▶ failed (message kept; the requester lost access, or rendering failed)
    done ──export_publish──▶ published (the `reporting.report_published` fact)

The task is queued in the same transaction as the export row. `export_render` runs the same
for both paths: it renders outside any transaction (a long WeasyPrint run must not hold the
database), then moves the export queued → done with a compare-and-set; a second run of the
task, or a second worker, finds it no longer queued and does nothing (a file it rendered in
the meantime is removed).

Who may see an export (`visible_export`): its requester, while they may still view the
partnership; once published, anyone who may view the partnership. A council summary (no
partnership) is its requester's alone. Access is checked again at every download.
"""

import datetime as dt
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import Conflict
from commonground.core.validation import Errors
from commonground.notifications.services.notify import language_of, notify
from commonground.partnerships.access import Perm, can, seat_of
from commonground.partnerships.models import Partnership, Seat
from commonground.reporting import pdf
from commonground.reporting.access import ReportingPerm
from commonground.reporting.facts import report_published
from commonground.reporting.models import ReportExport
from commonground.reporting.selectors.council_summary import is_large_summary
from commonground.reporting.selectors.progress_report import MAX_RANGE_DAYS, is_large_report
from commonground.reporting.tasks import render_report_export

log = logging.getLogger(__name__)

Status = ReportExport.Status
# A queued export nobody finished for this long is shown as interrupted (its worker stopped).
STALL = dt.timedelta(minutes=30)


def check_range(date_from: dt.date, date_to: dt.date) -> None:
    """The one rule for a report's dates: in order, and at most MAX_RANGE_DAYS long."""
    errors = Errors()
    if date_to < date_from:
        errors.add("date_to", _("The end date comes before the start date."))
    elif (date_to - date_from).days > MAX_RANGE_DAYS:
        errors.add("date_to", _("A report covers at most ten years."))
    errors.raise_if_any(_("Choose the report's dates again."))


def _label(export: ReportExport) -> str:
    """The ledger's label of an export: a stored record, written in English like every
    object label of the ledger."""
    what = (  # i18n: stored in the audit ledger
        f"Progress report: {export.partnership.title}"
        if export.partnership is not None
        else "Council summary"
    )
    return f"{what}, {export.date_from.isoformat()} to {export.date_to.isoformat()}"[:300]


def export_url(export: ReportExport) -> str:
    if export.partnership_id is None:
        return reverse("reporting:council_export", args=[export.pk])
    return reverse("reporting:report_export", args=[export.partnership_id, export.pk])


def export_filename(export: ReportExport) -> str:
    if export.partnership is None:
        return pdf.council_summary_filename(export.date_from, export.date_to)
    return pdf.progress_report_filename(export.partnership, export.date_from, export.date_to)


def export_request(
    *,
    actor: User,
    date_from: dt.date,
    date_to: dt.date,
    seat: Seat | None = None,
) -> ReportExport:
    """Ask for a PDF: of the seat's partnership's progress report, or (no seat) of the actor's
    council summary. Small ones are rendered before this returns; large ones are queued."""
    if seat is not None and (seat.user_id != actor.pk or not can(seat, Perm.VIEW)):
        raise PermissionDenied(_("You cannot see this partnership."))
    check_range(date_from, date_to)
    partnership = seat.partnership if seat is not None else None
    large = is_large_report(partnership) if partnership is not None else is_large_summary(actor)
    # The PDF is written in the language of the page that asked for it, also by the worker.
    language = translation.get_language() or language_of(actor)
    with transaction.atomic():
        export = ReportExport.objects.create(
            partnership=partnership, requested_by=actor, date_from=date_from, date_to=date_to
        )
        record_event(
            actor=actor,
            action="report_export.request",
            obj=export,
            partnership_id=export.partnership_id,
            object_label=_label(export),
            changes={
                "date_from": [None, date_from.isoformat()],
                "date_to": [None, date_to.isoformat()],
                "background": [None, large],
            },
        )
        if large:
            render_report_export.enqueue(export.pk, language)
    if not large:
        export_render(export.pk, announce=False, language=language)
        export.refresh_from_db()
    return export


def _access_problem(export: ReportExport) -> str:
    """Why the requester may no longer have this report made; empty if nothing stops it."""
    if not export.requested_by.is_active:
        return _("The person who asked for this report can no longer sign in.")
    if export.partnership_id is not None and not can(
        seat_of(export.requested_by, export.partnership_id), Perm.VIEW
    ):
        return _("You no longer hold a seat in this partnership, so the report was not made.")
    return ""


def _render(export: ReportExport) -> bytes:
    if export.partnership is not None:
        return pdf.progress_report_pdf(export.partnership, export.date_from, export.date_to)
    return pdf.council_summary_pdf(export.requested_by, export.date_from, export.date_to)


class _Day:
    """A date written in the language active when the message is read (notify's override)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __str__(self) -> str:
        return date_format(self.day, "DATE_FORMAT")


# (subject, body) of the message to the requester: [progress report?][made?].
ANNOUNCEMENTS = {
    (True, True): (
        gettext_lazy("Your progress report PDF is ready"),
        gettext_lazy("The progress report for {start} to {end} is ready to download."),
    ),
    (True, False): (
        gettext_lazy("Your progress report PDF could not be made"),
        gettext_lazy("The progress report for {start} to {end} could not be made: {why}"),
    ),
    (False, True): (
        gettext_lazy("Your council summary PDF is ready"),
        gettext_lazy("The council summary for {start} to {end} is ready to download."),
    ),
    (False, False): (
        gettext_lazy("Your council summary PDF could not be made"),
        gettext_lazy("The council summary for {start} to {end} could not be made: {why}"),
    ),
}


def _announce(export: ReportExport, ok: bool) -> None:
    subject, body = ANNOUNCEMENTS[(export.partnership_id is not None, ok)]
    notify(
        user=export.requested_by,
        kind="report_ready" if ok else "report_failed",
        key=f"report-export:{export.pk}:{'done' if ok else 'failed'}",
        subject=subject,
        body=format_lazy(
            body,
            start=_Day(export.date_from),
            end=_Day(export.date_to),
            why=export.message,
        ),
        link=export_url(export),
        partnership_id=export.partnership_id,
    )


def _fail(export: ReportExport, message: str, *, announce: bool) -> None:
    with transaction.atomic():
        moved = ReportExport.objects.filter(pk=export.pk, status=Status.QUEUED).update(
            status=Status.FAILED, message=message, finished_at=timezone.now()
        )
        if not moved:
            return
        export.refresh_from_db()
        record_event(
            actor=None,
            action="report_export.fail",
            obj=export,
            partnership_id=export.partnership_id,
            object_label=_label(export),
            changes={"status": [Status.QUEUED, Status.FAILED], "message": [None, message]},
        )
        if announce:
            _announce(export, ok=False)


def export_render(export_id: int, *, announce: bool = True, language: str = "") -> str:
    """Make the export's PDF and keep it: 'done', 'failed' or 'skipped' (not queued any more).
    `announce`: notify the requester (when they are not waiting for the page). `language`: the
    one the requester asked in (by default their profile's); the PDF and a failure's message
    are written in it."""
    export = (
        ReportExport.objects.select_related("partnership", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != Status.QUEUED:
        return "skipped"
    with translation.override(language or language_of(export.requested_by)):
        return _render_and_keep(export, announce=announce)


def _render_and_keep(export: ReportExport, *, announce: bool) -> str:
    problem = _access_problem(export)
    if problem:
        _fail(export, problem, announce=announce)
        return "failed"
    try:
        content = _render(export)
    except Exception:
        log.exception("report export %s could not be rendered", export.pk)
        _fail(
            export, _("The PDF could not be made. Try again, or ask for help."), announce=announce
        )
        return "failed"
    now = timezone.now()
    # A random name (the person-facing one is given at download): nobody guesses another
    # report's file, and it fits the FileField's 100 characters whatever the title.
    name = f"report-exports/{now:%Y/%m}/{secrets.token_urlsafe(16)}.pdf"
    stored = default_storage.save(name, ContentFile(content))
    with transaction.atomic():
        moved = ReportExport.objects.filter(pk=export.pk, status=Status.QUEUED).update(
            status=Status.DONE, file=stored, finished_at=now, message=""
        )
        if moved:
            export.refresh_from_db()
            record_event(
                actor=None,
                action="report_export.done",
                obj=export,
                partnership_id=export.partnership_id,
                object_label=_label(export),
                changes={"status": [Status.QUEUED, Status.DONE], "bytes": [None, len(content)]},
            )
            if announce:
                _announce(export, ok=True)
    if not moved:
        default_storage.delete(stored)
        return "skipped"
    return "done"


@transaction.atomic
def export_publish(*, actor: User, seat: Seat, export: ReportExport) -> ReportExport:
    """Mark a finished progress report as published: everyone who may view the partnership
    can then download it."""
    if seat.user_id != actor.pk or not can(seat, ReportingPerm.MANAGE_REPORTING):
        raise PermissionDenied(_("Your role cannot publish reports."))
    if export.partnership_id is None or export.partnership_id != seat.partnership_id:
        raise Conflict(_("Only a partnership's progress report is published."), code="not_a_report")
    if export.status != Status.DONE:
        raise Conflict(_("Only a finished report can be published."), code="export_not_ready")
    moved = ReportExport.objects.filter(pk=export.pk, status=Status.DONE, published=False).update(
        published=True
    )
    if not moved:
        raise Conflict(_("This report is already published."), code="already_published")
    export.refresh_from_db()
    record_event(
        actor=actor,
        action="report_export.publish",
        obj=export,
        partnership_id=export.partnership_id,
        object_label=_label(export),
        changes={"published": [False, True]},
    )
    # The communication plan reacts ("printed report" entries done): see core.facts.
    report_published.state(export=export)
    return export


# --- reads -----------------------------------------------------------------------------------


def exports_of(user: User, partnership: Partnership) -> QuerySet[ReportExport]:
    """The partnership's exports the person may see (the caller checked they may view it):
    their own and the published ones, newest first."""
    return ReportExport.objects.filter(
        Q(requested_by=user) | Q(published=True), partnership=partnership
    ).order_by("-created_at", "-pk")


def council_exports_of(user: User) -> QuerySet[ReportExport]:
    return ReportExport.objects.filter(requested_by=user, partnership__isnull=True).order_by(
        "-created_at", "-pk"
    )


def visible_export(user: User, export_id: int, partnership_id: int | None) -> ReportExport | None:
    """The export if `user` may see it now, else None (the page answers 404)."""
    found = ReportExport.objects.select_related("partnership", "requested_by").filter(pk=export_id)
    if partnership_id is None:
        found = found.filter(partnership__isnull=True)
    else:
        found = found.filter(partnership_id=partnership_id)
    export = found.first()
    if export is None or not user.is_active:
        return None
    if partnership_id is None:
        return export if export.requested_by_id == user.pk else None
    if not can(seat_of(user, partnership_id), Perm.VIEW):
        return None
    return export if export.requested_by_id == user.pk or export.published else None


def stalled(export: ReportExport, now: dt.datetime | None = None) -> bool:
    """Queued for longer than STALL: the worker that had it stopped."""
    now = now or timezone.now()
    return export.status == Status.QUEUED and now - export.created_at > STALL
