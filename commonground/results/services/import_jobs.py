"""Large results imports through the background worker: upload → check → confirm → import.

The request parses the file (so a file that is not a results spreadsheet is refused at once),
stores it and queues the check; the worker runs the same dry run and the same all-or-nothing
import as a small file gets in the request (commonground.results.imports). The queue row is
written in the same transaction as the job, so a job is never left without its task.

Each step is a compare-and-set on the job's status: a second click on "Import now", a task run
twice or a worker restarted mid-job never imports a file twice (and the import itself changes
nothing the second time anyway).
"""

import hashlib
import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.tasks import Task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import Conflict, DomainError
from commonground.core.jobs import progress_clear, progress_get, progress_set
from commonground.notifications.services.notify import language_of
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.results import imports, tasks
from commonground.results.access import ResultsPerm
from commonground.results.models import ImportJob, ImportJobStatus, Indicator

log = logging.getLogger(__name__)

# Problems kept on the job for the page; the count keeps them all.
KEPT_PROBLEMS = 500
# A job that has not moved for this long is shown as interrupted (a worker died with it).
STALL_SECONDS = 15 * 60


def store() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _file(job: ImportJob) -> Path:
    return store() / job.stored_name


def job_start(
    *,
    actor: User,
    seat: Seat,
    data: bytes,
    file_name: str,
    rows: int,
    indicator: Indicator | None = None,
) -> ImportJob:
    """Keep the uploaded file and queue its check."""
    if not can(seat, ResultsPerm.REPORT_RESULTS):
        raise PermissionDenied(_("Your role cannot report results in this partnership."))
    stored_name = f"job-{secrets.token_urlsafe(16)}"
    path = store() / stored_name
    path.write_bytes(data)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                partnership_id=seat.partnership_id,
                seat=seat,
                created_by=actor,
                indicator=indicator,
                file_name=file_name[:255],
                stored_name=stored_name,
                sha256=hashlib.sha256(data).hexdigest(),
                rows=rows,
            )
            record_event(
                actor=actor,
                action="results_import.upload",
                obj=job,
                partnership_id=seat.partnership_id,
                object_label=f"Results import: {job.file_name}"[:300],
                changes={"file_name": [None, job.file_name], "rows": [None, rows]},
            )
            tasks.check_import.enqueue(str(job.pk))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    progress_set(job.progress_key, 0, rows, stage="queued")
    return job


def job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """The person read the check and asks for the import."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    if not job.plan.get("ok") or not job.plan.get("changes"):
        raise Conflict(_("This file has nothing to import."), code="nothing_to_import")
    return _claim_and_queue(
        job,
        actor=actor,
        action="results_import.confirm",
        expected=ImportJobStatus.CHECKED,
        status=ImportJobStatus.IMPORTING,
        fields={"confirmed_at": timezone.now()},
        task=tasks.run_import,
        taken=_("This import has already been started, or the file was checked again."),
    )


def job_retry(*, actor: User, job: ImportJob) -> ImportJob:
    """Queue an interrupted job's step again (its worker died with it): the check of a job that
    was being checked, the import of one that was being imported, from the file kept for it.

    Only a stalled job can be retried, so a slow worker still at it is not raced; were it alive
    after all, the import is serialised per partnership and changes nothing the second time,
    and the version bumped here keeps the first run from moving the job on.
    """
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can try it again."))
    if not stalled(job, progress_get(job.progress_key)):
        raise Conflict(
            _("This import is not interrupted: it is still moving, or it has finished."),
            code="not_interrupted",
        )
    if not _file(job).exists():
        raise Conflict(str(NO_FILE), code="file_gone")
    return _claim_and_queue(
        job,
        actor=actor,
        action="results_import.retry",
        expected=job.status,
        status=job.status,
        fields={},
        task=tasks.check_import if job.status == ImportJobStatus.CHECKING else tasks.run_import,
        taken=_("Someone moved this import on meanwhile."),
    )


def _claim_and_queue(
    job: ImportJob,
    *,
    actor: User,
    action: str,
    expected: str,
    status: str,
    fields: dict[str, Any],
    task: Task,
    taken: str,
) -> ImportJob:
    """Move the job from `expected` to `status` if nobody moved it since it was read
    (compare-and-set on its status and version), record it in the ledger and queue `task`, all
    in one transaction."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=expected, version=job.version).update(
            status=status, version=job.version + 1, **fields
        )
        if not claimed:
            raise Conflict(taken, code="already_started")
        job.refresh_from_db()
        record_event(
            actor=actor,
            action=action,
            obj=job,
            partnership_id=job.partnership_id,
            object_label=f"Results import: {job.file_name}"[:300],
            changes={"status": [expected, status]},
        )
        task.enqueue(str(job.pk))
    progress_set(job.progress_key, 0, job.rows, stage="queued")
    return job


def in_every_language(text: object) -> dict[str, str]:
    """A lazy text rendered in each language the site speaks, to be kept: the job's reader
    picks theirs when the page is shown (ImportJob.problems, ImportJob.message_text)."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = str(text)
    return rendered


def _plan_summary(plan: imports.ImportPlan) -> dict[str, Any]:
    return {
        "ok": plan.ok,
        "rows": plan.rows,
        "blank_rows": plan.blank_rows,
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "changes": len(plan.changes),
        "results": len(plan.results),
        "problem_count": len(plan.problems),
        "problem_rows": len({p.row for p in plan.problems}),
        # "message" in the site's default language (what older jobs kept); "messages" in every
        # language, for the reader's.
        "problems": [
            {"row": p.row, "column": p.column, **_problem_text(p.message)}
            for p in plan.problems[:KEPT_PROBLEMS]
        ],
    }


def _problem_text(message: str) -> dict[str, Any]:
    messages = in_every_language(message)
    return {"message": messages[settings.LANGUAGE_CODE], "messages": messages}


def _finish(
    job: ImportJob, status: str, *, expected: str, drop_file: bool = True, **fields: Any
) -> bool:
    """Move the job on from `expected`; False when somebody else already did."""
    now = timezone.now()
    updates: dict[str, Any] = {"status": status, "version": job.version + 1, **fields}
    if status in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        updates["finished_at"] = now
    if status == ImportJobStatus.CHECKED:
        updates["checked_at"] = now
    moved = ImportJob.objects.filter(pk=job.pk, status=expected, version=job.version).update(
        **updates
    )
    if moved and drop_file:
        _file(job).unlink(missing_ok=True)
    progress_clear(job.progress_key)
    return bool(moved)


def _fail(job: ImportJob, expected: str, message: object, **fields: Any) -> None:
    """The job failed; `message` (lazy, or text already in the uploader's language) is kept in
    the site's default language on `message` and in every language in the plan."""
    messages = in_every_language(message)
    fields["plan"] = {**fields.get("plan", job.plan), "message_i18n": messages}
    text = messages[settings.LANGUAGE_CODE]
    with transaction.atomic():
        if _finish(job, ImportJobStatus.FAILED, expected=expected, message=text, **fields):
            record_event(
                actor=None,
                action="results_import.fail",
                obj=job,
                partnership_id=job.partnership_id,
                object_label=f"Results import: {job.file_name}"[:300],
                changes={"status": [expected, ImportJobStatus.FAILED], "message": [None, text]},
            )


def _usable_seat(job: ImportJob) -> Seat | None:
    """The uploader's seat, if it still allows reporting results."""
    if job.seat_id is None:
        return None
    seat = (
        Seat.objects.select_related("partnership", "partner__organisation", "user")
        .filter(pk=job.seat_id, user_id=job.created_by_id, partnership_id=job.partnership_id)
        .first()
    )
    return seat if seat is not None and can(seat, ResultsPerm.REPORT_RESULTS) else None


def _read(job: ImportJob) -> imports.ParsedFile | None:
    try:
        return imports.parse(_file(job).read_bytes(), name=job.file_name)
    except (OSError, imports.FileRefused):
        return None


NO_SEAT = gettext_lazy(
    "Your seat in this partnership no longer allows reporting results; nothing was imported."
)
NO_FILE = gettext_lazy(
    "The uploaded file could not be read any more; nothing was imported. Upload it again."
)
HAS_PROBLEMS = gettext_lazy("The file has problems.")
CHANGED_MEANWHILE = gettext_lazy(
    "The results changed after the check: these are the problems with the file now."
)


def run_check(job_id: str) -> str:
    """The worker's half of the check: the dry run, stored on the job."""
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status != ImportJobStatus.CHECKING:
        return "skipped"
    # Messages the checks word at once (the services') come out in the uploader's language.
    with translation.override(language_of(job.created_by)):
        return _check(job)


def _check(job: ImportJob) -> str:
    seat = _usable_seat(job)
    if seat is None:
        _fail(job, ImportJobStatus.CHECKING, NO_SEAT)
        return "failed"
    rows = _read(job)
    if rows is None:
        _fail(job, ImportJobStatus.CHECKING, NO_FILE)
        return "failed"
    progress_set(job.progress_key, 0, job.rows, stage="checking")
    plan = imports.dry_run(actor=job.created_by, seat=seat, partnership=seat.partnership, rows=rows)
    summary = _plan_summary(plan)
    if not plan.ok:
        _fail(job, ImportJobStatus.CHECKING, HAS_PROBLEMS, plan=summary)
        return "problems"
    with transaction.atomic():
        # Nothing to import: the file can go; otherwise it waits for the confirmation.
        _finish(
            job,
            ImportJobStatus.CHECKED,
            expected=ImportJobStatus.CHECKING,
            drop_file=not plan.changes,
            plan=summary,
        )
    return "checked"


def run_import(job_id: str) -> str:
    """The worker's half of the import: all rows or none, progress in the cache."""
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status != ImportJobStatus.IMPORTING:
        return "skipped"
    with translation.override(language_of(job.created_by)):
        return _import(job)


def _import(job: ImportJob) -> str:
    seat = _usable_seat(job)
    if seat is None:
        _fail(job, ImportJobStatus.IMPORTING, NO_SEAT)
        return "failed"
    rows = _read(job)
    if rows is None:
        _fail(job, ImportJobStatus.IMPORTING, NO_FILE)
        return "failed"
    key = job.progress_key
    progress_set(key, 0, job.rows, stage="importing")
    try:
        report = imports.apply(
            actor=job.created_by,
            seat=seat,
            partnership=seat.partnership,
            rows=rows,
            file_name=job.file_name,
            on_progress=lambda done, total: progress_set(key, done, total, stage="importing"),
        )
    except imports.ImportRefused as refused:
        _fail(
            job,
            ImportJobStatus.IMPORTING,
            CHANGED_MEANWHILE,
            plan=_plan_summary(refused.plan),
        )
        return "problems"
    except (DomainError, PermissionDenied) as error:
        _fail(job, ImportJobStatus.IMPORTING, getattr(error, "message", None) or str(error))
        return "failed"
    with transaction.atomic():
        _finish(
            job,
            ImportJobStatus.DONE,
            expected=ImportJobStatus.IMPORTING,
            report={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "event_id": report.event_id,
            },
        )
    log.info("results import %s: %s", job.pk, report)
    return "done"


def stalled(job: ImportJob, progress: dict[str, Any] | None, now: float | None = None) -> bool:
    """A running job nobody has moved for STALL_SECONDS: its worker is gone."""
    if not job.running:
        return False
    now = now if now is not None else timezone.now().timestamp()
    last = (job.confirmed_at or job.created_at).timestamp()
    if progress and isinstance(progress.get("at"), int | float):
        last = max(last, float(progress["at"]))
    return now - last > STALL_SECONDS
