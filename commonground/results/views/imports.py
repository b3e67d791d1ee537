"""Importing results from a file: download the template, upload the filled-in file, read the
dry run (every problem by row and column, or what would be created and updated), confirm.

The uploaded bytes are kept between the dry run and the confirmation under
MEDIA_ROOT/imports/<random token>, the token remembered in the person's session with the
partnership it belongs to, so confirming needs no second upload and nobody can confirm a file
they did not upload. The import itself (all rows or nothing) is `imports.apply`.

Files with more than IMPORT_BACKGROUND_ROWS rows go to the worker instead
(services.import_jobs): the page of the job shows the check, the confirmation and the progress,
refreshed by htmx every two seconds (or by the page itself without JavaScript).
"""

import datetime as dt
import re
import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core import jobs
from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.partnerships.access import partnership_view
from commonground.partnerships.models import Seat
from commonground.results import imports
from commonground.results.access import ResultsPerm, access_import_job, access_indicator
from commonground.results.models import ImportJob, Indicator
from commonground.results.services import import_jobs
from commonground.results.views._shared import (
    download,
    file_slug,
    page_context,
)

SESSION_KEY = "result_imports"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
# Uploads nobody confirmed are removed after this long (checked at each new upload).
KEEP_SECONDS = 24 * 60 * 60
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_MB = imports.MAX_BYTES // (1024 * 1024)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Results file"),
        help_text=format_lazy(
            gettext_lazy("A .csv or .xlsx file made from the template, up to {max_mb} MB."),
            max_mb=MAX_MB,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": gettext_lazy("Choose the file to import.")},
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


def _store() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _keep(request: HttpRequest, seat: Seat, data: bytes, name: str) -> str:
    folder = _store()
    _forget_old(folder)
    token = secrets.token_urlsafe(16)
    (folder / token).write_bytes(data)
    kept = dict(request.session.get(SESSION_KEY) or {})
    kept[token] = {"partnership": seat.partnership_id, "name": name}
    request.session[SESSION_KEY] = kept
    return token


def _kept(request: HttpRequest, seat: Seat, token: str) -> tuple[Path, str]:
    """The stored file behind `token`: only a token this person received for this
    partnership, naming a file directly in the imports folder; 404 otherwise."""
    entry = (request.session.get(SESSION_KEY) or {}).get(token)
    if (
        not TOKEN_PATTERN.fullmatch(token)
        or not isinstance(entry, dict)
        or entry.get("partnership") != seat.partnership_id
    ):
        raise Http404(_("No such import."))
    path = _store() / token
    if path.name != token or not path.is_file():
        raise Http404(_("No such import."))
    return path, str(entry.get("name") or "")


def _drop(request: HttpRequest, token: str, path: Path | None = None) -> None:
    kept = dict(request.session.get(SESSION_KEY) or {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    if path is not None:
        path.unlink(missing_ok=True)


def _indicator_param(request: HttpRequest, seat: Seat) -> Indicator | None:
    raw = request.GET.get("indicator") or request.POST.get("indicator") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(_("No such indicator."))
    return access_indicator(seat, int(raw))


def _problem_rows(problems: list[imports.Problem]) -> int:
    return len({p.row for p in problems})


def _page(
    request: HttpRequest,
    seat: Seat,
    indicator: Indicator | None,
    form: ImportForm,
    **extra: object,
) -> HttpResponse:
    problems = extra.get("problems") or []
    assert isinstance(problems, list)
    recent = ImportJob.objects.filter(
        partnership_id=seat.partnership_id, created_by_id=seat.user_id
    )[:5]
    return render(
        request,
        "results/import.html",
        page_context(
            seat,
            indicator=indicator,
            form=form,
            max_mb=MAX_MB,
            problem_rows=_problem_rows(problems),
            recent_jobs=recent,
            **extra,
        ),
    )


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_http_methods(["GET", "POST"])
def import_results(request: HttpRequest, seat: Seat) -> HttpResponse:
    """The upload form; a POSTed file gets its dry run shown, and nothing is written."""
    indicator = _indicator_param(request, seat)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if not posted or not form.is_valid():
        return _page(request, seat, indicator, form)
    upload = form.cleaned_data["file"]
    name = str(upload.name or "")
    try:
        data = upload.read(imports.MAX_BYTES + 1)  # parse refuses anything larger
        rows = imports.parse(data, name=name)
        if len(rows) > settings.IMPORT_BACKGROUND_ROWS:
            job = import_jobs.job_start(
                actor=signed_in_user(request),
                seat=seat,
                data=data,
                file_name=name,
                rows=len(rows),
                indicator=indicator,
            )
            return redirect("results:import_job", seat.partnership_id, job.pk)
        plan = imports.dry_run(
            actor=signed_in_user(request), seat=seat, partnership=seat.partnership, rows=rows
        )
    except imports.FileRefused as refused:
        form.add_error("file", refused.message)
        return _page(request, seat, indicator, form)
    if not plan.ok:
        return _page(request, seat, indicator, ImportForm(), plan=plan, problems=plan.problems)
    token = _keep(request, seat, data, name) if plan.changes else ""
    confirm = ConfirmForm(initial={"token": token}) if token else None
    return _page(request, seat, indicator, ImportForm(), plan=plan, confirm=confirm, file_name=name)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def import_confirm(request: HttpRequest, seat: Seat) -> HttpResponse:
    """Import the file whose dry run the person just read."""
    token = str(request.POST.get("token") or "")
    if not token:
        messages.error(request, _("There is no checked file to import: upload it first."))
        return redirect("results:import", seat.partnership_id)
    path, name = _kept(request, seat, token)
    indicator = _indicator_param(request, seat)
    try:
        rows = imports.parse(path.read_bytes(), name=name)
        report = imports.apply(
            actor=signed_in_user(request),
            seat=seat,
            partnership=seat.partnership,
            rows=rows,
            file_name=name or None,
        )
    except imports.ImportRefused as refused:
        _drop(request, token, path)
        return _page(
            request,
            seat,
            indicator,
            ImportForm(),
            plan=refused.plan,
            problems=refused.problems,
            changed_meanwhile=True,
        )
    except DomainError as error:
        _drop(request, token, path)
        form = ImportForm()
        form.add_error(None, error.message)
        return _page(request, seat, indicator, form)
    _drop(request, token, path)
    text = _(
        "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        " Submit them for review from each indicator."
    )
    counts = {"created": report.created, "updated": report.updated}
    messages.success(request, text % {**counts, "unchanged": report.unchanged})
    return redirect("results:framework", seat.partnership_id)


def _template_name(seat: Seat, indicator: Indicator | None, today: dt.date) -> str:
    subject = indicator.title if indicator else seat.partnership.title
    return f"results-template-{file_slug(subject, 'results')}-{today.isoformat()}"


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_GET
def import_template_csv(request: HttpRequest, seat: Seat) -> HttpResponse:
    indicator = _indicator_param(request, seat)
    content = imports.template_csv(seat.partnership, indicator, partner=seat.partner)
    name = _template_name(seat, indicator, timezone.localdate())
    return download(content, f"{name}.csv", "text/csv; charset=utf-8")


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_GET
def import_template_xlsx(request: HttpRequest, seat: Seat) -> HttpResponse:
    indicator = _indicator_param(request, seat)
    content = imports.template_xlsx(seat.partnership, indicator, partner=seat.partner)
    name = _template_name(seat, indicator, timezone.localdate())
    return download(
        content,
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _job_page(request: HttpRequest, seat: Seat, job: ImportJob) -> HttpResponse:
    progress = jobs.progress_get(job.progress_key)
    done = int((progress or {}).get("done") or 0)
    total = int((progress or {}).get("total") or job.rows)
    context = page_context(
        seat,
        job=job,
        indicator=job.indicator,
        progress=progress,
        done=done,
        total=total,
        percent=round(100 * done / total) if total else 0,
        stalled=import_jobs.stalled(job, progress),
        plan=job.plan,
        problems=job.problems,
    )
    template = "results/import_job.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#status"
    return render(request, template, context)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_GET
def import_job(request: HttpRequest, seat: Seat, job_id: uuid.UUID) -> HttpResponse:
    """A large import's page: waiting, checking, the check's outcome, importing, done."""
    return _job_page(request, seat, access_import_job(seat, job_id))


def _act_on_job(
    request: HttpRequest, seat: Seat, job_id: uuid.UUID, act: Callable[..., ImportJob]
) -> HttpResponse:
    job = access_import_job(seat, job_id)
    try:
        act(actor=signed_in_user(request), job=job)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("results:import_job", seat.partnership_id, job.pk)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def import_job_confirm(request: HttpRequest, seat: Seat, job_id: uuid.UUID) -> HttpResponse:
    """The uploader read the check and asks for the import."""
    return _act_on_job(request, seat, job_id, import_jobs.job_confirm)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def import_job_retry(request: HttpRequest, seat: Seat, job_id: uuid.UUID) -> HttpResponse:
    """Queue an interrupted job's step again, from the file kept for it."""
    return _act_on_job(request, seat, job_id, import_jobs.job_retry)
