"""What the results capability puts in people's "My work" (commonground/work/registry.py):

- results to review: submitted results, for the partnership's reviewers, one line per partner
  and submitter (oldest first); one's own submissions are listed apart, never as reviewable;
- results to enter: the person's own organisation's draft and returned results;
- evaluation recommendations owned by the person's organisation and not done, with their due
  date, for the people who may mark them done;
- import files checked and waiting for the person who uploaded them to import them;
- recently done: results the person approved.

Each kind is one query (an aggregate where results are many) over all the seats at once.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.models import User
from commonground.partnerships.access import can
from commonground.partnerships.models import Partner, Seat
from commonground.results.access import ResultsPerm
from commonground.results.models import (
    ImportJob,
    ImportJobStatus,
    Recommendation,
    Result,
    ResultStatus,
)
from commonground.work.registry import WorkItem
from commonground.work.selectors import DONE_DAYS

LIMIT = 200


def _partner_names(ids: Iterable[int]) -> dict[int, str]:
    return dict(Partner.objects.filter(pk__in=set(ids)).values_list("pk", "organisation__name"))


def result_work(user: User, seats: Sequence[Seat], today: dt.date) -> Iterable[WorkItem]:
    titles = {seat.partnership_id: seat.partnership.title for seat in seats}
    reviewers = [seat.partnership_id for seat in seats if can(seat, ResultsPerm.REVIEW_RESULTS)]
    reporters = [seat.partner_id for seat in seats if can(seat, ResultsPerm.REPORT_RESULTS)]
    waiting = list(
        Result.objects.filter(partnership_id__in=list(titles), status=ResultStatus.SUBMITTED)
        .values("partnership_id", "partner_id", "submitted_by_id")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("oldest")[:LIMIT]
    )
    to_enter = list(
        Result.objects.filter(
            partner_id__in=reporters, status__in=[ResultStatus.DRAFT, ResultStatus.RETURNED]
        )
        .values("partnership_id", "partner_id", "status")
        .annotate(count=Count("pk"), oldest=Min("period_end"), indicator=Max("indicator_id"))
        .order_by("oldest")[:LIMIT]
    )
    names = _partner_names([r["partner_id"] for r in waiting] + [r["partner_id"] for r in to_enter])
    for row in waiting:
        pid, own = row["partnership_id"], row["submitted_by_id"] == user.pk
        if pid not in reviewers and not own:
            continue
        count = row["count"]
        if own:
            what = ngettext(
                "%(n)s result you submitted waits for review",
                "%(n)s results you submitted wait for review",
                count,
            ) % {"n": count}
        else:
            what = ngettext("Review %(n)s result", "Review %(n)s results", count) % {"n": count}
        yield WorkItem(
            key=f"results-review:{pid}:{row['partner_id']}:{row['submitted_by_id']}",
            what=what,
            partnership_id=pid,
            partnership=titles[pid],
            detail=names.get(row["partner_id"], ""),
            url=reverse("results:review", kwargs={"partnership_id": pid}),
            since=timezone.localdate(row["oldest"]) if row["oldest"] else None,
            review=not own and pid in reviewers,
            own=own or pid not in reviewers,
        )
    for entry in to_enter:
        pid, count = entry["partnership_id"], entry["count"]
        returned = entry["status"] == ResultStatus.RETURNED
        if returned:
            what = ngettext(
                "Correct and resubmit %(n)s returned result",
                "Correct and resubmit %(n)s returned results",
                count,
            ) % {"n": count}
        else:
            what = ngettext("Submit %(n)s draft result", "Submit %(n)s draft results", count) % {
                "n": count
            }
        url = (
            reverse(
                "results:indicator",
                kwargs={"partnership_id": pid, "indicator_id": entry["indicator"]},
            )
            if count == 1
            else reverse("results:framework", kwargs={"partnership_id": pid})
        )
        yield WorkItem(
            key=f"results-enter:{pid}:{entry['partner_id']}:{entry['status']}",
            what=what,
            partnership_id=pid,
            partnership=titles[pid],
            detail=names.get(entry["partner_id"], ""),
            url=url,
            since=entry["oldest"],
        )
    since = timezone.now() - dt.timedelta(days=DONE_DAYS)
    approved = (
        Result.objects.filter(partnership_id__in=list(titles), reviewed_by=user)
        .filter(reviewed_at__gte=since, status=ResultStatus.APPROVED)
        .values("partnership_id")
        .annotate(count=Count("pk"), last=Max("reviewed_at"))
    )
    for done in approved:
        pid, count = done["partnership_id"], done["count"]
        yield WorkItem(
            key=f"results-approved:{pid}",
            what=ngettext("Approved %(n)s result", "Approved %(n)s results", count) % {"n": count},
            partnership_id=pid,
            partnership=titles[pid],
            url=reverse("results:framework", kwargs={"partnership_id": pid}),
            done_at=done["last"],
        )


def recommendation_work(user: User, seats: Sequence[Seat], today: dt.date) -> Iterable[WorkItem]:
    owners = [seat.partner_id for seat in seats if can(seat, ResultsPerm.REPORT_RESULTS)]
    if not owners:
        return
    open_ = (
        Recommendation.objects.filter(owner_id__in=owners, done_at=None)
        .select_related("partnership", "owner__organisation", "session")
        .order_by("due_date", "pk")[:LIMIT]
    )
    for recommendation in open_:
        text = (
            recommendation.text
            if len(recommendation.text) <= 90
            else recommendation.text[:89] + "…"
        )
        yield WorkItem(
            key=f"recommendation:{recommendation.pk}",
            what=_("Act on the recommendation: %(text)s") % {"text": text},
            partnership_id=recommendation.partnership_id,
            partnership=recommendation.partnership.title,
            detail=recommendation.owner.organisation.name,
            url=reverse(
                "results:evaluation",
                kwargs={
                    "partnership_id": recommendation.partnership_id,
                    "evaluation_id": recommendation.session_id,
                },
            ),
            due=recommendation.due_date,
        )


def import_work(user: User, seats: Sequence[Seat], today: dt.date) -> Iterable[WorkItem]:
    titles = {seat.partnership_id: seat.partnership.title for seat in seats}
    checked = ImportJob.objects.filter(
        created_by=user, status=ImportJobStatus.CHECKED, partnership_id__in=list(titles)
    ).order_by("created_at")[:LIMIT]
    for job in checked:
        if not job.plan.get("ok"):
            continue  # The check found problems: nothing to import; the person uploads anew.
        yield WorkItem(
            key=f"import:{job.pk}",
            what=_("Import the checked file %(name)s") % {"name": job.file_name},
            partnership_id=job.partnership_id,
            partnership=titles[job.partnership_id],
            url=reverse(
                "results:import_job",
                kwargs={"partnership_id": job.partnership_id, "job_id": job.pk},
            ),
            since=timezone.localdate(job.created_at),
        )
