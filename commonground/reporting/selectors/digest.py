"""What a partnership's digest holds of reporting: reporting's digest section (registered with
notifications in reporting.apps).

For one person and window, what they may see as a seat holder (internal updates included) of
that one partnership: new achievements, new progress updates, challenges (from updates and from
reports submitted in the window), reports that became overdue, and, for the picture, reports
still overdue and due in the next UPCOMING days. What is *new* (achievements, updates, report
challenges, reports that fell overdue) decides whether a digest is sent.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.notifications.registry import DigestSection
from commonground.notifications.services.notify import absolute, language_of
from commonground.partnerships.models import Partnership
from commonground.reporting.models import Achievement, PartnerReport, ProgressUpdate, ReportStatus

UPCOMING = dt.timedelta(days=30)
# At most this many of each kind in one e-mail; the rest is "and N more".
LIST_LIMIT = 20


@dataclass(frozen=True)
class Challenge:
    source: str  # "update" or "report"
    title: str
    text: str
    link: str


@dataclass
class DigestContent:
    partnership: Partnership
    user: User
    since: dt.datetime
    until: dt.datetime
    achievements: list[Achievement] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)
    newly_overdue: list[PartnerReport] = field(default_factory=list)
    still_overdue: list[PartnerReport] = field(default_factory=list)
    upcoming: list[PartnerReport] = field(default_factory=list)

    @property
    def new_items(self) -> int:
        """What happened in the window; report challenges only (update challenges come with
        their update)."""
        report_challenges = sum(c.source == "report" for c in self.challenges)
        return (
            len(self.achievements) + len(self.updates) + report_challenges + len(self.newly_overdue)
        )


def _report_link(report: PartnerReport) -> str:
    return absolute(reverse("reporting:report", args=[report.partnership_id, report.pk]))


def digest_content(
    *, partnership: Partnership, user: User, since: dt.datetime, until: dt.datetime
) -> DigestContent:
    """What a digest for `user` about `partnership` holds for the window [since, until)."""
    content = DigestContent(partnership, user, since, until)
    window = {"partnership": partnership, "created_at__gte": since, "created_at__lt": until}
    content.achievements = list(
        Achievement.objects.filter(
            partnership=partnership, occurred_at__gte=since, occurred_at__lt=until
        ).order_by("occurred_at", "pk")
    )
    content.updates = list(
        ProgressUpdate.objects.filter(**window)
        .select_related("author", "partner__organisation")
        .order_by("created_at", "pk")
    )
    home = absolute(reverse("partnerships:detail", args=[partnership.pk]))
    content.challenges = [
        Challenge("update", u.title, u.challenges.strip(), home)
        for u in content.updates
        if u.challenges.strip()
    ]
    submitted = (
        PartnerReport.objects.filter(
            partnership=partnership,
            status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
            submitted_at__gte=since,
            submitted_at__lt=until,
        )
        .exclude(challenges="")
        .select_related("period", "partner__organisation")
        .order_by("submitted_at", "pk")
    )
    content.challenges += [
        Challenge(
            "report",
            _("%(partner)s, report %(period)s")
            % {"partner": r.partner.organisation.name, "period": r.period.key},
            r.challenges.strip(),
            _report_link(r),
        )
        for r in submitted
    ]
    today = timezone.localdate(until)
    owed = (
        PartnerReport.objects.filter(
            partnership=partnership,
            status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
            period__schedule__active=True,
            period__due_date__lte=today + dt.timedelta(days=UPCOMING.days),
        )
        .select_related("period__schedule", "partner__organisation")
        .order_by("period__due_date", "partner__organisation__name", "pk")
    )
    fell_due_since = timezone.localdate(since)
    for report in owed:
        due = report.period.due_date
        if due >= today:
            content.upcoming.append(report)
        elif due >= fell_due_since:
            content.newly_overdue.append(report)
        else:
            content.still_overdue.append(report)
    return content


def _more[T](items: list[T], limit: int = LIST_LIMIT) -> tuple[list[T], int]:
    return items[:limit], max(0, len(items) - limit)


def _linked(reports: list[PartnerReport]) -> list[tuple[PartnerReport, str]]:
    return [(r, _report_link(r)) for r in reports[:LIST_LIMIT]]


def digest_section(
    *, partnership: Partnership, user: User, since: dt.datetime, until: dt.datetime
) -> DigestSection:
    """Reporting's part of a digest: counts for the summary line and what the e-mail shows,
    in the person's language (the section's template switches to it too)."""
    language = language_of(user)
    with translation.override(language):
        return _section(partnership=partnership, user=user, since=since, until=until, lang=language)


def _section(
    *, partnership: Partnership, user: User, since: dt.datetime, until: dt.datetime, lang: str
) -> DigestSection:
    content = digest_content(partnership=partnership, user=user, since=since, until=until)
    achievements, more_achievements = _more(content.achievements)
    updates, more_updates = _more(content.updates)
    challenges, more_challenges = _more(content.challenges)
    return DigestSection(
        new_items=content.new_items,
        counts=(
            (len(content.achievements), _("new achievement"), _("new achievements")),
            (len(content.updates), _("new update"), _("new updates")),
            (len(content.challenges), _("challenge"), _("challenges")),
            (len(content.newly_overdue), _("report now overdue"), _("reports now overdue")),
        ),
        template="reporting/email/digest_section",
        context={
            "language": lang,
            "achievements": achievements,
            "more_achievements": more_achievements,
            "updates": updates,
            "more_updates": more_updates,
            "challenges": challenges,
            "more_challenges": more_challenges,
            "newly_overdue": _linked(content.newly_overdue),
            "still_overdue": _linked(content.still_overdue),
            "upcoming": _linked(content.upcoming),
        },
    )
