"""Writes for partner reports: fill in, submit, return with comments, accept, reopen.

The state machine (LIFECYCLE, a core.lifecycle table) is the one rule every page and API call
goes through:

    draft ──submit──▶ submitted ──accept──▶ accepted (locked)
      ▲                  │                     │
      │               return                reopen (needs a reason)
      │                  ▼                     │
      └──(edit)──── returned ◀─────────────────┘
                         │
                       submit ──▶ submitted

The period's indicator results are the results capability's own rows (no copy): submitting the
report submits the partner's draft results of the report's period (a returned result waits for
its correction); the results keep their own review (approve or return each value).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict
from commonground.core.lifecycle import Lifecycle, Move
from commonground.core.validation import Errors, text
from commonground.notifications.services.notify import notify, resolve
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat, SeatRole
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import (
    NARRATIVE_FIELDS,
    PartnerReport,
    ReportAttachment,
    ReportStatus,
    ReportStep,
)
from commonground.results.models import Result, ResultStatus
from commonground.results.services import entry as result_entry

MAX_NARRATIVE = 20_000
# Sections a report cannot be submitted without.
REQUIRED_TO_SUBMIT = {
    "achievements": gettext_lazy("Write the achievements before you submit."),
    "challenges": gettext_lazy("Write the challenges before you submit."),
}


_OPEN = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
LIFECYCLE = Lifecycle(
    "partner report",
    [
        Move(
            "submit",
            _OPEN,
            ReportStatus.SUBMITTED,
            ReportingPerm.WRITE_REPORTS,
            gettext_lazy("submitted"),
        ),
        Move(
            "return",
            frozenset({ReportStatus.SUBMITTED}),
            ReportStatus.RETURNED,
            ReportingPerm.MANAGE_REPORTING,
            gettext_lazy("returned"),
        ),
        Move(
            "accept",
            frozenset({ReportStatus.SUBMITTED}),
            ReportStatus.ACCEPTED,
            ReportingPerm.MANAGE_REPORTING,
            gettext_lazy("accepted"),
        ),
        Move(
            "reopen",
            frozenset({ReportStatus.ACCEPTED}),
            ReportStatus.RETURNED,
            ReportingPerm.MANAGE_REPORTING,
            gettext_lazy("reopened"),
        ),
    ],
    message=gettext_lazy("A report that is {state} cannot be {done}."),
)
EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def may_write(seat: Seat, report: PartnerReport) -> bool:
    """Reporters write their own organisation's reports; coordinators and editors any."""
    return (
        seat.partnership_id == report.partnership_id
        and can(seat, ReportingPerm.WRITE_REPORTS)
        and (report.partner_id == seat.partner_id or can(seat, ReportingPerm.MANAGE_REPORTING))
    )


def may_review(seat: Seat, report: PartnerReport) -> bool:
    return seat.partnership_id == report.partnership_id and can(
        seat, ReportingPerm.MANAGE_REPORTING
    )


def _transition(report: PartnerReport, action: str) -> str:
    return LIFECYCLE.target(report.status, action, state_label=report.get_status_display())


def period_results(report: PartnerReport) -> QuerySet[Result]:
    """The partner's results for periods inside the report's period: the results capability's
    rows, whatever the indicator's frequency (a monthly indicator has three in a quarter)."""
    period = report.period
    return (
        Result.objects.filter(
            partnership_id=report.partnership_id,
            partner_id=report.partner_id,
            period_start__gte=period.start.replace(day=1),
            period_end__lte=period.end,
        )
        .select_related("indicator")
        .order_by("indicator__title", "period_start")
    )


def _link(report: PartnerReport) -> str:
    return reverse("reporting:report", args=[report.partnership_id, report.pk])


def people_with_role(report: PartnerReport, *roles: str) -> list[User]:
    """The active people holding one of `roles` in the report's partnership."""
    seats = Seat.objects.filter(partnership_id=report.partnership_id, role__in=roles)
    return [s.user for s in seats.select_related("user") if s.user.is_active]


def writers_of(report: PartnerReport) -> list[User]:
    """The people who write a report: seats on its partner whose role may write reports."""
    seats = Seat.objects.filter(
        partnership_id=report.partnership_id, partner_id=report.partner_id
    ).select_related("user")
    return [s.user for s in seats if can(s, ReportingPerm.WRITE_REPORTS) and s.user.is_active]


def _step(report: PartnerReport, action: str, actor: User, comment: str = "") -> None:
    ReportStep.objects.create(
        partnership_id=report.partnership_id,
        report=report,
        action=action,
        actor=actor,
        comment=comment,
    )


def _log(actor: User, action: str, report: PartnerReport, changes: dict[str, Any]) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=report,
        partnership_id=report.partnership_id,
        object_label=f"{report.partner.organisation.name}: report {report.period.key}"[:300],
        changes=changes,
    )


@transaction.atomic
def report_save(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    data: dict[str, Any],
    expected_version: int | None,
) -> PartnerReport:
    """Save the narrative sections of a report that is not submitted or accepted."""
    if not may_write(seat, report):
        raise PermissionDenied(_("You write reports for your own organisation only."))
    if report.status not in EDITABLE:
        raise Conflict(
            _("This report is accepted: it cannot be changed unless a coordinator reopens it.")
            if report.status == ReportStatus.ACCEPTED
            else _("This report is %(status)s: it cannot be changed.")
            % {"status": report.get_status_display().lower()},
            code="report_locked",
        )
    errors = Errors()
    values = {
        field: text(data, field, errors, max_length=MAX_NARRATIVE)
        for field in NARRATIVE_FIELDS
        if field in data
    }
    errors.raise_if_any(_("Some sections need correcting."))
    changed = {f: [getattr(report, f), v] for f, v in values.items() if getattr(report, f) != v}
    bump_version(report, expected_version, **values, updated_at=timezone.now())
    if changed:
        _log(actor, "report.save", report, {f: [len(a), len(b)] for f, (a, b) in changed.items()})
    return report


@transaction.atomic
def report_submit(
    *, actor: User, seat: Seat, report: PartnerReport, expected_version: int | None = None
) -> PartnerReport:
    if not may_write(seat, report):
        raise PermissionDenied(_("You write reports for your own organisation only."))
    to = _transition(report, "submit")
    errors = Errors()
    for field, message in REQUIRED_TO_SUBMIT.items():
        if not getattr(report, field).strip():
            errors.add(field, str(message))
    errors.raise_if_any(_("The report is not complete yet."))
    before = report.status
    now = timezone.now()
    bump_version(
        report, expected_version, status=to, submitted_by=actor, submitted_at=now, updated_at=now
    )
    submitted_results = 0
    # Drafts go with the report. A returned result waits for its correction: sending it back
    # unchanged would ignore the reviewer's comment.
    for result in period_results(report).filter(status=ResultStatus.DRAFT):
        result_entry.result_submit(actor=actor, seat=seat, result=result)
        submitted_results += 1
    _step(report, ReportStep.Action.SUBMIT, actor)
    _log(
        actor, "report.submit", report, {"status": [before, to], "results": [0, submitted_results]}
    )
    # Writing it is done: the reminders that asked for it are, for everyone they went to.
    resolve(write_action(report), by=actor)
    for person in people_with_role(report, SeatRole.COORDINATOR, SeatRole.EDITOR):
        if person.pk != actor.pk:
            notify(
                user=person,
                kind="report_submitted",
                key=f"report:{report.pk}:submit:{report.version}:{person.pk}",
                subject=format_lazy(
                    gettext_lazy("Report to review: {partner}, {period}"),
                    partner=report.partner.organisation.name,
                    period=report.period.key,
                ),
                body=format_lazy(
                    gettext_lazy(
                        "{name} submitted the {period} report of {partner} for {partnership}."
                    ),
                    name=actor.full_name or actor.email,
                    period=report.period.key,
                    partner=report.partner.organisation.name,
                    partnership=str(report.partnership),
                ),
                link=_link(report),
                partnership_id=report.partnership_id,
                action=review_action(report),
            )
    return report


def write_action(report: PartnerReport) -> str:
    """The work a reminder to write the report asks for (notifications resolve on it)."""
    return f"report-write:{report.pk}"


def review_action(report: PartnerReport) -> str:
    """The work a "report to review" notification asks for: done by whoever reviews it."""
    return f"report-review:{report.pk}"


def _review(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    action: str,
    comment: str,
    expected_version: int | None,
) -> PartnerReport:
    if not may_review(seat, report):
        raise PermissionDenied(_("Your role cannot review reports."))
    to = _transition(report, action)
    if action in ("return", "reopen") and not comment.strip():
        field = "comment" if action == "return" else "reason"
        say = _("Say what needs changing.") if action == "return" else _("Say why it is reopened.")
        raise Conflict(say, code=f"{field}_required", fields={field: [say]})
    if action == "accept" and report.submitted_by_id == actor.pk:
        raise Conflict(
            _("Nobody accepts their own report: ask another coordinator or editor."),
            code="own_submission",
        )
    before = report.status
    now = timezone.now()
    bump_version(
        report,
        expected_version,
        status=to,
        reviewed_by=actor,
        reviewed_at=now,
        review_comment=comment.strip(),
        updated_at=now,
    )
    _step(report, action, actor, comment.strip())
    if action in ("accept", "return"):
        resolve(review_action(report), by=actor)
    _log(
        actor,
        f"report.{action}",
        report,
        {"status": [before, to], **({"comment": [None, comment.strip()]} if comment else {})},
    )
    subject, said = REVIEW_WORDING[action]
    words = {
        "name": actor.full_name or actor.email,
        "period": report.period.key,
        "partner": report.partner.organisation.name,
        "partnership": str(report.partnership),
    }
    body = format_lazy(said, **words)
    if comment.strip():
        body = format_lazy("{body}\n\n{comment}", body=body, comment=comment.strip())
    for person in _writers(report):
        if person.pk == actor.pk:
            continue
        notify(
            user=person,
            kind=f"report_{action}",
            key=f"report:{report.pk}:{action}:{report.version}:{person.pk}",
            subject=format_lazy(subject, **words),
            body=body,
            link=_link(report),
            partnership_id=report.partnership_id,
            # A returned report asks its writers to revise it: done when it is submitted again.
            action=write_action(report) if action == "return" else "",
        )
    return report


# (subject, body) of the message a review sends the report's writers, in their language.
REVIEW_WORDING = {
    "return": (
        gettext_lazy("Report returned with comments: {period}, {partnership}"),
        gettext_lazy("{name} returned the report with comments ({partner}, {period})."),
    ),
    "accept": (
        gettext_lazy("Report accepted: {period}, {partnership}"),
        gettext_lazy("{name} accepted the report ({partner}, {period})."),
    ),
    "reopen": (
        gettext_lazy("Report reopened: {period}, {partnership}"),
        gettext_lazy("{name} reopened the report ({partner}, {period})."),
    ),
}


def _writers(report: PartnerReport) -> list[User]:
    """Who hears about a review: the report's writers, and whoever submitted it."""
    people = {user.pk: user for user in writers_of(report)}
    if report.submitted_by_id and report.submitted_by_id not in people:
        submitter = (
            Seat.objects.filter(
                partnership_id=report.partnership_id, user_id=report.submitted_by_id
            )
            .select_related("user")
            .first()
        )
        if submitter is not None and submitter.user.is_active:
            people[submitter.user.pk] = submitter.user
    return list(people.values())


@transaction.atomic
def report_return(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    comment: str,
    expected_version: int | None = None,
) -> PartnerReport:
    """Send a submitted report back to its partner with what needs changing."""
    return _review(
        actor=actor,
        seat=seat,
        report=report,
        action="return",
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def report_accept(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    comment: str = "",
    expected_version: int | None = None,
) -> PartnerReport:
    """Accept a submitted report; it is locked."""
    return _review(
        actor=actor,
        seat=seat,
        report=report,
        action="accept",
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def report_reopen(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    reason: str,
    expected_version: int | None = None,
) -> PartnerReport:
    """Unlock an accepted report for changes; the reason is recorded and sent to the partner."""
    return _review(
        actor=actor,
        seat=seat,
        report=report,
        action="reopen",
        comment=reason,
        expected_version=expected_version,
    )


def state_counts(reports: list[PartnerReport], today: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for report in reports:
        state = report.state_on(today)
        counts[state] = counts.get(state, 0) + 1
    return counts


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    seat: Seat,
    report: PartnerReport,
    upload: UploadedFile | None = None,
    url: str = "",
    name: str = "",
) -> ReportAttachment:
    """Attach a file (type and size checked as for result evidence) or a link to a report that
    can still be changed."""
    if not may_write(seat, report):
        raise PermissionDenied(_("You write reports for your own organisation only."))
    if report.status not in EDITABLE:
        raise Conflict(_("This report cannot be changed now."), code="report_locked")
    errors = Errors()
    url = url.strip()
    if upload is None and not url:
        errors.add("evidence_file", _("Choose a file or give a link."))
    result_entry.check_evidence(upload, url, errors)
    errors.raise_if_any(_("The attachment was not added."))
    label = (name.strip() or (upload.name if upload else "") or url)[:255]
    attachment = ReportAttachment(
        partnership_id=report.partnership_id,
        report=report,
        url=url,
        name=label,
        uploaded_by=actor,
    )
    if upload is not None:
        attachment.content_type = (upload.content_type or "")[:100]
        attachment.size = upload.size or 0
        attachment.file.save(upload.name or "attachment", upload, save=False)
    attachment.save()
    _log(actor, "report.attach", report, {"attachment": [None, label]})
    return attachment
