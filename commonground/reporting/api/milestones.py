"""JSON API of the reporting capability: milestones (joined into api/updates.py's router)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm, access_milestone
from commonground.reporting.models import Milestone
from commonground.reporting.schemas.updates import MilestoneIn, MilestoneOut, MilestonePatch
from commonground.reporting.selectors import updates as selectors
from commonground.reporting.services import milestones as services

router = Router(tags=["updates"])
MILESTONE = f"{BASE}/milestones/{{milestone_id}}"


@partnership_operation(
    router.get,
    f"{BASE}/milestones",
    Perm.VIEW,
    response={200: list[MilestoneOut], **ERRORS},
    summary="Milestones by due date",
)
@paginate(LimitOffsetPagination)
def list_milestones(request: HttpRequest, seat: Seat) -> object:
    return selectors.milestones_of(seat.partnership_id)


@partnership_operation(
    router.post,
    f"{BASE}/milestones",
    ReportingPerm.MANAGE_REPORTING,
    response={201: MilestoneOut, **ERRORS},
)
def create_milestone(
    request: HttpRequest, seat: Seat, payload: MilestoneIn, response: HttpResponse
) -> Status[Milestone]:
    milestone = services.milestone_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, milestone.version)
    return Status(201, milestone)


@partnership_operation(router.get, MILESTONE, Perm.VIEW, response={200: MilestoneOut, **ERRORS})
def get_milestone(
    request: HttpRequest, seat: Seat, milestone_id: int, response: HttpResponse
) -> Milestone:
    milestone = access_milestone(seat, milestone_id)
    set_etag(response, milestone.version)
    return milestone


@partnership_operation(
    router.patch,
    MILESTONE,
    ReportingPerm.MANAGE_REPORTING,
    response={200: MilestoneOut, **ERRORS},
    description=IF_MATCH,
)
def patch_milestone(
    request: HttpRequest,
    seat: Seat,
    milestone_id: int,
    payload: MilestonePatch,
    response: HttpResponse,
) -> Milestone:
    milestone = access_milestone(seat, milestone_id)
    data: dict[str, Any] = {f: getattr(milestone, f) for f in services.EDITABLE}
    data.update(payload.dict(exclude_unset=True))
    milestone = services.milestone_edit(
        actor=api_user(request),
        seat=seat,
        milestone=milestone,
        data=data,
        expected_version=expected_version(request),
    )
    set_etag(response, milestone.version)
    return milestone


@partnership_operation(
    router.post,
    f"{MILESTONE}/done",
    ReportingPerm.MANAGE_REPORTING,
    response={200: MilestoneOut, **ERRORS},
    summary="Mark a milestone reached: the feed celebrates it (once)",
    description=IF_MATCH + " 409 already_done when it was marked before.",
)
def mark_milestone_done(
    request: HttpRequest, seat: Seat, milestone_id: int, response: HttpResponse
) -> Milestone:
    milestone = services.milestone_mark_done(
        actor=api_user(request),
        seat=seat,
        milestone=access_milestone(seat, milestone_id),
        expected_version=expected_version(request),
    )
    set_etag(response, milestone.version)
    return milestone
