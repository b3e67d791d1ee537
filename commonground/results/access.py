"""The results capability's object lookups: one per type, used by its pages and API alike.

Each returns the object of the seat's partnership or raises Http404, so an object of another
partnership, or one that does not exist, looks the same ("not found", never "forbidden"). The
seat itself comes from `partnerships.access` (partnership_view for pages, the API decorator for
operations), which has already answered 404 to a person without one.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.models import EvaluationSession, Indicator, Objective, Result


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
    return get_object_or_404(
        Result.objects.select_related(
            "indicator__partnership",
            "partner__organisation",
            "created_by",
            "submitted_by",
            "reviewed_by",
        ),
        pk=result_id,
        partnership_id=seat.partnership_id,
    )


def access_evaluation(seat: Seat, evaluation_id: int) -> EvaluationSession:
    """One evaluation session with its findings and its recommendations' owners."""
    session = selectors.evaluation_session(seat.partnership, evaluation_id)
    if session is None:
        raise Http404("No such evaluation session.")
    return session
