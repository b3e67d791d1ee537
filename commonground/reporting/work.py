"""What reporting puts in people's "My work" (commonground/work/registry.py):

- partner reports to write: drafts due within the window or overdue, and returned reports, for
  the people of the report's own partner who may write it;
- partner reports to review: submitted reports, for the partnership's coordinators and editors;
  one's own submission is listed apart ("waiting for review"), never as reviewable;
- communication-plan entries owned: for the owner partner's people who may mark them done;
- recently done: reports the person submitted or reviewed.

Each kind is one query over all the person's seats at once.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.partnerships.standing import UPCOMING_DAYS, Deadline, Highlight
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import (
    Achievement,
    CommunicationEntry,
    PartnerReport,
    ProgressUpdate,
    ReportStatus,
    Visibility,
)
from commonground.reporting.selectors.plan import row_for
from commonground.work.registry import WorkItem
from commonground.work.selectors import DONE_DAYS, SOON_DAYS

# A person with seats in many partnerships sees at most this many of each kind; the page says
# where to find the rest (the partnership's reporting page).
LIMIT = 200


def _report_url(report: PartnerReport) -> str:
    return reverse(
        "reporting:report",
        kwargs={"partnership_id": report.partnership_id, "report_id": report.pk},
    )


def report_work(user: User, seats: Sequence[Seat], today: dt.date) -> Iterable[WorkItem]:
    by_partnership = {seat.partnership_id: seat for seat in seats}
    writers = [seat.partner_id for seat in seats if can(seat, ReportingPerm.WRITE_REPORTS)]
    reviewers = [seat.partnership_id for seat in seats if can(seat, ReportingPerm.MANAGE_REPORTING)]
    soon = today + dt.timedelta(days=SOON_DAYS)
    related = ("period", "partner__organisation", "partnership")
    if writers:
        to_write = (
            PartnerReport.objects.filter(partner_id__in=writers)
            .filter(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
            .filter(period__due_date__lte=soon)
            .select_related(*related)
            .order_by("period__due_date", "pk")[:LIMIT]
        )
        for report in to_write:
            returned = report.status == ReportStatus.RETURNED
            yield WorkItem(
                key=f"report-write:{report.pk}",
                what=(
                    _("Revise the returned %(period)s report")
                    if returned
                    else _("Write and submit the %(period)s report")
                )
                % {"period": report.period.key},
                partnership_id=report.partnership_id,
                partnership=report.partnership.title,
                detail=report.partner.organisation.name,
                url=_report_url(report),
                due=report.period.due_date,
            )
    if reviewers:
        submitted = (
            PartnerReport.objects.filter(
                partnership_id__in=reviewers, status=ReportStatus.SUBMITTED
            )
            .select_related(*related)
            .order_by("submitted_at", "pk")[:LIMIT]
        )
        for report in submitted:
            own = report.submitted_by_id == user.pk
            yield WorkItem(
                key=f"report-review:{report.pk}",
                what=(
                    _("Your %(period)s report waits for review")
                    if own
                    else _("Review the %(period)s report")
                )
                % {"period": report.period.key},
                partnership_id=report.partnership_id,
                partnership=report.partnership.title,
                detail=report.partner.organisation.name,
                url=_report_url(report),
                since=timezone.localdate(report.submitted_at) if report.submitted_at else None,
                review=not own,
                own=own,
            )
    # One's own submissions waiting where the person cannot review them.
    waiting = (
        PartnerReport.objects.filter(submitted_by=user, status=ReportStatus.SUBMITTED)
        .exclude(partnership_id__in=reviewers)
        .filter(partnership_id__in=list(by_partnership))
        .select_related(*related)
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    for report in waiting:
        yield WorkItem(
            key=f"report-review:{report.pk}",
            what=_("Your %(period)s report waits for review") % {"period": report.period.key},
            partnership_id=report.partnership_id,
            partnership=report.partnership.title,
            detail=report.partner.organisation.name,
            url=_report_url(report),
            since=timezone.localdate(report.submitted_at) if report.submitted_at else None,
            own=True,
        )
    since = timezone.now() - dt.timedelta(days=DONE_DAYS)
    done = (
        PartnerReport.objects.filter(partnership_id__in=list(by_partnership))
        .filter(submitted_by=user, submitted_at__gte=since)
        .select_related(*related)
        .order_by("-submitted_at")[:20]
    )
    for report in done:
        yield WorkItem(
            key=f"report-submitted:{report.pk}",
            what=_("Submitted the %(period)s report") % {"period": report.period.key},
            partnership_id=report.partnership_id,
            partnership=report.partnership.title,
            detail=report.partner.organisation.name,
            url=_report_url(report),
            due=report.period.due_date,
            done_at=report.submitted_at,
        )
    reviewed = (
        PartnerReport.objects.filter(partnership_id__in=list(by_partnership))
        .filter(reviewed_by=user, reviewed_at__gte=since)
        .select_related(*related)
        .order_by("-reviewed_at")[:20]
    )
    for report in reviewed:
        accepted = report.status == ReportStatus.ACCEPTED
        yield WorkItem(
            key=f"report-reviewed:{report.pk}",
            what=(
                _("Accepted the %(period)s report")
                if accepted
                else _("Reviewed the %(period)s report")
            )
            % {"period": report.period.key},
            partnership_id=report.partnership_id,
            partnership=report.partnership.title,
            detail=report.partner.organisation.name,
            url=_report_url(report),
            done_at=report.reviewed_at,
        )


def plan_work(user: User, seats: Sequence[Seat], today: dt.date) -> Iterable[WorkItem]:
    owners = [seat.partner_id for seat in seats if can(seat, ReportingPerm.MANAGE_REPORTING)]
    if not owners:
        return
    entries = (
        CommunicationEntry.objects.filter(owner_id__in=owners)
        .select_related("partnership", "owner__organisation")
        .order_by("pk")[:LIMIT]
    )
    for entry in entries:
        row = row_for(entry, today)
        if row.state == "planned":
            continue
        yield WorkItem(
            key=f"plan-entry:{entry.pk}",
            what=_("Communicate: %(content)s") % {"content": entry.content},
            partnership_id=entry.partnership_id,
            partnership=entry.partnership.title,
            detail=entry.owner.organisation.name,
            url=reverse("reporting:plan", kwargs={"partnership_id": entry.partnership_id}),
            due=row.next_due,
        )


def report_deadlines(partnership_ids: Sequence[int], today: dt.date) -> Iterable[Deadline]:
    """Reports not yet submitted (or returned) due within the horizon or overdue, and the
    communication plan's next dates: for partnerships/standing.py."""
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    due = (
        PartnerReport.objects.filter(partnership_id__in=partnership_ids)
        .filter(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .filter(period__due_date__lte=horizon)
        .select_related("period", "partner__organisation")
        .order_by("period__due_date", "pk")[:LIMIT]
    )
    for report in due:
        yield Deadline(
            partnership_id=report.partnership_id,
            due=report.period.due_date,
            what=_("%(period)s report") % {"period": report.period.key},
            who=report.partner.organisation.name,
            url=_report_url(report),
        )
    entries = (
        CommunicationEntry.objects.filter(partnership_id__in=partnership_ids)
        .select_related("owner__organisation")
        .order_by("pk")[:LIMIT]
    )
    for entry in entries:
        row = row_for(entry, today)
        if row.next_due <= horizon:
            yield Deadline(
                partnership_id=entry.partnership_id,
                due=row.next_due,
                what=_("Communicate: %(content)s") % {"content": entry.content},
                who=entry.owner.organisation.name,
                url=reverse("reporting:plan", kwargs={"partnership_id": entry.partnership_id}),
            )


def highlights(partnership_id: int, limit: int) -> Iterable[Highlight]:
    """The latest achievements and public progress updates, for the overview."""
    feed = reverse("reporting:updates", kwargs={"partnership_id": partnership_id})
    for achievement in Achievement.objects.filter(partnership_id=partnership_id).order_by(
        "-occurred_at", "-pk"
    )[:limit]:
        yield Highlight(
            at=achievement.occurred_at, kind=_("Achievement"), title=achievement.title, url=feed
        )
    for update in ProgressUpdate.objects.filter(
        partnership_id=partnership_id, visibility=Visibility.PUBLIC
    ).order_by("-created_at", "-pk")[:limit]:
        yield Highlight(
            at=update.created_at,
            kind=_("Public update"),
            title=update.title,
            url=reverse(
                "reporting:update",
                kwargs={"partnership_id": partnership_id, "update_id": update.pk},
            ),
        )
