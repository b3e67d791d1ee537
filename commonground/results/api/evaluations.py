"""Evaluation sessions: list them, read one with its findings and recommendations, record one,
and mark a recommendation done or open again. The pages call the same services
(results/views/evaluations.py)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, partnership_operation
from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.access import ResultsPerm, access_evaluation, access_recommendation
from commonground.results.models import EvaluationSession, Recommendation
from commonground.results.schemas import (
    EvaluationIn,
    EvaluationOut,
    EvaluationSummaryOut,
    RecommendationOut,
)
from commonground.results.services import evaluation

router = Router(tags=["evaluation"])


@partnership_operation(
    router.get,
    f"{BASE}/evaluations",
    Perm.VIEW,
    response={200: list[EvaluationSummaryOut], **ERRORS},
    summary="Evaluation sessions, newest first, with counts of findings and recommendations",
)
@paginate(LimitOffsetPagination)
def list_evaluations(request: HttpRequest, seat: Seat) -> QuerySet[EvaluationSession]:
    return selectors.evaluation_sessions(seat.partnership, timezone.localdate())


@partnership_operation(
    router.post,
    f"{BASE}/evaluations",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: EvaluationOut, **ERRORS},
    summary="Record an evaluation session with its findings and recommendations",
    description="Findings name an OECD DAC criterion; recommendations a partner of this "
    "partnership as owner and a due date. Refusals (400) name the row, numbered from 1: "
    "`findings.2.finding`, `recommendations.1.owner_id`.",
)
def create_evaluation(
    request: HttpRequest, seat: Seat, payload: EvaluationIn
) -> Status[EvaluationSession]:
    session = evaluation.evaluation_create(actor=api_user(request), seat=seat, data=payload.dict())
    return Status(201, access_evaluation(seat, session.pk))


@partnership_operation(
    router.get,
    f"{BASE}/evaluations/{{evaluation_id}}",
    Perm.VIEW,
    response={200: EvaluationOut, **ERRORS},
)
def get_evaluation(request: HttpRequest, seat: Seat, evaluation_id: int) -> EvaluationSession:
    return access_evaluation(seat, evaluation_id)


@partnership_operation(
    router.post,
    f"{BASE}/recommendations/{{recommendation_id}}/complete",
    ResultsPerm.REPORT_RESULTS,
    response={200: RecommendationOut, **ERRORS},
    summary="Mark a recommendation done",
    description="Coordinators and editors mark any recommendation done; reporters those their "
    "own organisation owns (403 otherwise). Once only: again is 409 already_done.",
)
def complete_recommendation(
    request: HttpRequest, seat: Seat, recommendation_id: int
) -> Recommendation:
    return evaluation.recommendation_complete(
        actor=api_user(request),
        seat=seat,
        recommendation=access_recommendation(seat, recommendation_id),
    )


@partnership_operation(
    router.post,
    f"{BASE}/recommendations/{{recommendation_id}}/reopen",
    ResultsPerm.REPORT_RESULTS,
    response={200: RecommendationOut, **ERRORS},
    summary="Mark a done recommendation open again",
    description="Who may mark it done may mark it open again (403 otherwise); one that is not "
    "done is 409 not_done. The ledger keeps both steps.",
)
def reopen_recommendation(
    request: HttpRequest, seat: Seat, recommendation_id: int
) -> Recommendation:
    return evaluation.recommendation_reopen(
        actor=api_user(request),
        seat=seat,
        recommendation=access_recommendation(seat, recommendation_id),
    )
