"""What results tells about where a partnership stands (partnerships/standing.py): its stored
progress (status, percent, indicators by status) and its evaluation recommendations' due dates."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.partnerships.standing import UPCOMING_DAYS, Deadline, Progress
from commonground.results.models import PartnershipProgress, Recommendation
from commonground.results.progress import STATUS_LABELS

LIMIT = 500


def progress(partnership_ids: Sequence[int]) -> Mapping[int, Progress]:
    rows = PartnershipProgress.objects.filter(partnership_id__in=partnership_ids).values_list(
        "partnership_id", "status", "percent", "counts"
    )
    labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    return {
        pid: Progress(
            status=status,
            status_label=labels.get(status, ""),
            percent=percent,
            counts=tuple(
                (code, label, int(counts[code]))
                for code, label in labels.items()
                if counts and counts.get(code)
            ),
        )
        for pid, status, percent, counts in rows
    }


def recommendation_deadlines(partnership_ids: Sequence[int], today: dt.date) -> Iterable[Deadline]:
    open_ = (
        Recommendation.objects.filter(partnership_id__in=partnership_ids, done_at=None)
        .filter(due_date__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .select_related("owner__organisation")
        .order_by("due_date", "pk")[:LIMIT]
    )
    for recommendation in open_:
        text = recommendation.text
        yield Deadline(
            partnership_id=recommendation.partnership_id,
            due=recommendation.due_date,
            what=_("Recommendation: %(text)s")
            % {"text": text if len(text) <= 80 else text[:79] + "…"},
            who=recommendation.owner.organisation.name,
            url=reverse(
                "results:evaluation",
                kwargs={
                    "partnership_id": recommendation.partnership_id,
                    "evaluation_id": recommendation.session_id,
                },
            ),
        )
