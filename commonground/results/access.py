"""The results capability's permissions and object lookups, used by its pages, API and services.

`ResultsPerm` is registered with the partnership policy (`partnerships.access`) here, with the
roles that hold each permission. Each lookup returns the object of the seat's partnership or
raises Http404, so an object of another partnership, or one that does not exist, looks the
same ("not found", never "forbidden"). The seat itself comes from `partnerships.access`
(partnership_view for pages, the API decorator for operations), which has already answered 404
to a person without one.

A caller that must load more with the object (the API's serializers) passes `queryset`: it
says what to load, never what may be seen, since the lookup's own scope is applied on top.
A lookup named `*_named` is for an id given in a request body: an object that is not found
there is a field error (400), not a 404, because the address itself exists.
"""

import uuid
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commonground.core.errors import field_error
from commonground.partnerships.access import Perm, access_partnership, can, register_permissions
from commonground.partnerships.models import Seat, SeatRole
from commonground.results import selectors
from commonground.results.models import (
    Dimension,
    EvaluationSession,
    ImportJob,
    Indicator,
    Objective,
    Recommendation,
    Result,
    ResultStatus,
)


class ResultsPerm(StrEnum):
    EDIT_FRAMEWORK = "results.framework"  # objectives, indicators, targets, evaluations
    REPORT_RESULTS = "results.report"  # report results (reporters: their own organisation's)
    REVIEW_RESULTS = "results.review"  # approve, return and reopen results


register_permissions(
    ResultsPerm,
    {
        SeatRole.EDITOR: set(ResultsPerm),
        SeatRole.REPORTER: {ResultsPerm.REPORT_RESULTS},
    },
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
# single results goes through `result_visibility`, `visible_results` or `access_result`.


def result_visibility(seat: Seat) -> Q:
    """The filter on Result rows that leaves the ones `seat` may see (its partnership's)."""
    mine = Q(partnership_id=seat.partnership_id)
    if can(seat, ResultsPerm.REVIEW_RESULTS):
        return mine
    if can(seat, ResultsPerm.REPORT_RESULTS):
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


def access_indicator(
    seat: Seat, indicator_id: int, *, queryset: QuerySet[Indicator] | None = None
) -> Indicator:
    if queryset is None:
        queryset = Indicator.objects.select_related(
            "objective", "partnership", "responsible_partner__organisation"
        )
    return get_object_or_404(queryset, pk=indicator_id, partnership_id=seat.partnership_id)


def access_objective(
    seat: Seat, objective_id: int, *, queryset: QuerySet[Objective] | None = None
) -> Objective:
    return get_object_or_404(
        Objective.objects.all() if queryset is None else queryset,
        pk=objective_id,
        partnership_id=seat.partnership_id,
    )


def access_result(
    seat: Seat, result_id: int, *, queryset: QuerySet[Result] | None = None
) -> Result:
    if queryset is None:
        queryset = Result.objects.select_related(
            "indicator__partnership",
            "partner__organisation",
            "created_by",
            "submitted_by",
            "reviewed_by",
        )
    # Another partner's draft is not found for those who may not see it (result_visibility),
    # like another partnership's result; `queryset` decides what is loaded, never what is seen.
    return get_object_or_404(queryset.filter(result_visibility(seat)), pk=result_id)


def access_evaluation(seat: Seat, evaluation_id: int) -> EvaluationSession:
    """One evaluation session with its findings and its recommendations' owners."""
    session = selectors.evaluation_session(seat.partnership, evaluation_id)
    if session is None:
        raise Http404("No such evaluation session.")
    return session


def access_dimension(seat: Seat, dimension_id: int) -> Dimension:
    return get_object_or_404(Dimension, pk=dimension_id, partnership_id=seat.partnership_id)


def access_recommendation(seat: Seat, recommendation_id: int) -> Recommendation:
    """A recommendation with its owner. Who may mark it done or open is the service's rule
    (`services.evaluation.may_complete`)."""
    return get_object_or_404(
        Recommendation.objects.select_related("owner__organisation"),
        pk=recommendation_id,
        partnership_id=seat.partnership_id,
    )


def access_indicator_to_copy(user: object, indicator_id: int | None) -> Indicator:
    """An indicator of any partnership the person has a seat in (the source of a copy): 404
    when there is none, or when the person may not see its partnership."""
    indicator = Indicator.objects.filter(pk=indicator_id or 0).first()
    if indicator is None:
        raise Http404("No such indicator.")
    access_partnership(user, indicator.partnership_id, Perm.VIEW)
    return indicator


def objective_named(seat: Seat, objective_id: int | None) -> Objective:
    """An objective named in a request body (`objective_id`)."""
    try:
        return access_objective(seat, objective_id or 0)
    except Http404:
        raise field_error("objective_id", _("Choose an objective of this partnership.")) from None


def indicator_named(seat: Seat, indicator_id: int | None) -> Indicator:
    """An indicator named in a request body (`indicator_id`)."""
    try:
        return access_indicator(
            seat, indicator_id or 0, queryset=Indicator.objects.select_related("partnership")
        )
    except Http404:
        raise field_error("indicator_id", _("Choose an indicator of this partnership.")) from None


def access_import_job(seat: Seat, job_id: uuid.UUID | str) -> ImportJob:
    """The person's own import job in this partnership; 404 for anybody else's."""
    job = (
        ImportJob.objects.select_related("indicator")
        .filter(pk=job_id, partnership_id=seat.partnership_id, created_by_id=seat.user_id)
        .first()
    )
    if job is None:
        raise Http404("No such import.")
    return job
