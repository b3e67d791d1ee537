"""Objectives (impact → outcomes → outputs) with their rolled-up progress, and the disaggregation
dimensions of a partnership."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.access import ResultsPerm, access_dimension, access_objective
from commonground.results.models import Dimension
from commonground.results.schemas import (
    DimensionIn,
    DimensionOut,
    DimensionPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
)
from commonground.results.services import framework
from commonground.results.services.summaries import NodeProgress, framework_rollup

router = Router(tags=["results framework"])


# --- objectives ------------------------------------------------------------------------------


def _objective_out(seat: Seat, objective_id: int) -> ObjectiveOut:
    rollup, _ = framework_rollup(seat.partnership_id)
    objective = access_objective(
        seat, objective_id, queryset=selectors.objectives_of(seat.partnership)
    )
    return ObjectiveOut.build(objective, rollup.get(objective.pk, NodeProgress(None, None)))


@partnership_operation(
    router.get,
    f"{BASE}/objectives",
    Perm.VIEW,
    response={200: list[ObjectiveOut], **ERRORS},
    summary="The results framework's objectives, with their rolled-up progress",
)
@paginate(LimitOffsetPagination)
def list_objectives(request: HttpRequest, seat: Seat) -> object:
    rollup, _ = framework_rollup(seat.partnership_id)
    empty = NodeProgress(None, None)
    return [
        ObjectiveOut.build(objective, rollup.get(objective.pk, empty))
        for objective in selectors.objectives_of(seat.partnership)
    ]


@partnership_operation(
    router.post,
    f"{BASE}/objectives",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: ObjectiveOut, **ERRORS},
)
def create_objective(
    request: HttpRequest, seat: Seat, payload: ObjectiveIn, response: HttpResponse
) -> Status[ObjectiveOut]:
    objective = framework.objective_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, objective.version)
    return Status(201, _objective_out(seat, objective.pk))


@partnership_operation(
    router.get,
    f"{BASE}/objectives/{{objective_id}}",
    Perm.VIEW,
    response={200: ObjectiveOut, **ERRORS},
)
def get_objective(
    request: HttpRequest, seat: Seat, objective_id: int, response: HttpResponse
) -> ObjectiveOut:
    out = _objective_out(seat, objective_id)
    set_etag(response, out.version)
    return out


@partnership_operation(
    router.patch,
    f"{BASE}/objectives/{{objective_id}}",
    ResultsPerm.EDIT_FRAMEWORK,
    response={200: ObjectiveOut, **ERRORS},
    description=IF_MATCH,
)
def update_objective(
    request: HttpRequest,
    seat: Seat,
    objective_id: int,
    payload: ObjectivePatch,
    response: HttpResponse,
) -> ObjectiveOut:
    objective = framework.objective_update(
        actor=api_user(request),
        seat=seat,
        objective=access_objective(
            seat, objective_id, queryset=selectors.objectives_of(seat.partnership)
        ),
        data=payload.dict(exclude_unset=True),
        version=expected_version(request),
    )
    set_etag(response, objective.version)
    return _objective_out(seat, objective.pk)


@partnership_operation(
    router.delete,
    f"{BASE}/objectives/{{objective_id}}",
    ResultsPerm.EDIT_FRAMEWORK,
    response={204: None, **ERRORS},
    description="Only an objective without indicators and without objectives below it (409).",
)
def delete_objective(request: HttpRequest, seat: Seat, objective_id: int) -> Status[None]:
    framework.objective_delete(
        actor=api_user(request),
        seat=seat,
        objective=access_objective(
            seat, objective_id, queryset=selectors.objectives_of(seat.partnership)
        ),
    )
    return Status(204, None)


# --- dimensions ------------------------------------------------------------------------------


@partnership_operation(
    router.get,
    f"{BASE}/dimensions",
    Perm.VIEW,
    response={200: list[DimensionOut], **ERRORS},
    summary="Disaggregation dimensions (e.g. sex, age band) and their allowed values",
)
@paginate(LimitOffsetPagination)
def list_dimensions(request: HttpRequest, seat: Seat) -> object:
    return Dimension.objects.filter(partnership=seat.partnership)


@partnership_operation(
    router.post,
    f"{BASE}/dimensions",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: DimensionOut, **ERRORS},
)
def create_dimension(
    request: HttpRequest, seat: Seat, payload: DimensionIn, response: HttpResponse
) -> Status[Dimension]:
    dimension = framework.dimension_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, dimension.version)
    return Status(201, dimension)


@partnership_operation(
    router.get,
    f"{BASE}/dimensions/{{dimension_id}}",
    Perm.VIEW,
    response={200: DimensionOut, **ERRORS},
)
def get_dimension(
    request: HttpRequest, seat: Seat, dimension_id: int, response: HttpResponse
) -> Dimension:
    dimension = access_dimension(seat, dimension_id)
    set_etag(response, dimension.version)
    return dimension


@partnership_operation(
    router.patch,
    f"{BASE}/dimensions/{{dimension_id}}",
    ResultsPerm.EDIT_FRAMEWORK,
    response={200: DimensionOut, **ERRORS},
    description=IF_MATCH + " Values already used in reported results cannot be removed.",
)
def update_dimension(
    request: HttpRequest,
    seat: Seat,
    dimension_id: int,
    payload: DimensionPatch,
    response: HttpResponse,
) -> Dimension:
    dimension = framework.dimension_update(
        actor=api_user(request),
        seat=seat,
        dimension=access_dimension(seat, dimension_id),
        data=payload.dict(exclude_unset=True),
        version=expected_version(request),
    )
    set_etag(response, dimension.version)
    return dimension
