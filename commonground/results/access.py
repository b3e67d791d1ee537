"""The results capability's object lookups: one per type, used by its pages and API alike.

Each returns the object of the seat's partnership or raises Http404, so an object of another
partnership, or one that does not exist, looks the same ("not found", never "forbidden"). The
seat itself comes from `partnerships.access` (partnership_view for pages, the API decorator for
operations), which has already answered 404 to a person without one.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonground.partnerships.access import Perm, can
from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.models import (
    EvaluationSession,
    Indicator,
    Objective,
    Result,
    ResultStatus,
)

# --- which results a seat may see --------------------------------------------------------------
#
# A reported value is the partner's own until it is approved. So:
# - a draft or returned result is seen by its partner's people who report (reporters, and editors
#   or coordinators seated for that partner) and by the partnership's reviewers (coordinators and
#   editors, who hold results.review);
# - a submitted one by the same people: its partner's reporters and the reviewers;
# - an approved one by everyone with a seat.
# Viewers, and the reporters of other partners, see approved values only, with a count of the
# values awaiting review (`awaiting_review_hidden`). Progress, charts and exports are computed from
# approved values alone, so they need no filter. Every page, API operation and download that shows
# single results goes through `visible_results` or `access_result`.


def result_visibility(seat: Seat) -> Q:
    """The filter on Result rows that leaves the ones `seat` may see (its partnership's)."""
    mine = Q(partnership_id=seat.partnership_id)
    if can(seat, Perm.REVIEW_RESULTS):
        return mine
    if can(seat, Perm.REPORT_RESULTS):
        return mine & (Q(status=ResultStatus.APPROVED) | Q(partner_id=seat.partner_id))
    return mine & Q(status=ResultStatus.APPROVED)


def visible_results(seat: Seat) -> QuerySet[Result]:
    return Result.objects.filter(result_visibility(seat))


def awaiting_review_hidden(seat: Seat, **filters: object) -> int:
    """How many submitted values (of the rows `filters` picks) the seat does not see."""
    return (
        Result.objects.filter(
            partnership_id=seat.partnership_id, status=ResultStatus.SUBMITTED, **filters
        )
        .exclude(result_visibility(seat))
        .count()
    )


def access_indicator(seat: Seat, indicator_id: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related(
            "objective", "partnership", "responsible_partner__organisation"
        ),
        pk=indicator_id,
        partnership_id=seat.partnership_id,
    )


def access_objective(seat: Seat, objective_id: int) -> Objective:
    return get_object_or_404(Objective, pk=objective_id, partnership_id=seat.partnership_id)


def access_result(seat: Seat, result_id: int) -> Result:
    """One result the seat may see (see `result_visibility`): another partner's draft is not
    found, like another partnership's result."""
    return get_object_or_404(
        visible_results(seat).select_related(
            "indicator__partnership",
            "partner__organisation",
            "created_by",
            "submitted_by",
            "reviewed_by",
        ),
        pk=result_id,
    )


def access_evaluation(seat: Seat, evaluation_id: int) -> EvaluationSession:
    """One evaluation session with its findings and its recommendations' owners."""
    session = selectors.evaluation_session(seat.partnership, evaluation_id)
    if session is None:
        raise Http404("No such evaluation session.")
    return session
