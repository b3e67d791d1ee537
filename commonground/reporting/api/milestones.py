"""JSON API of the reporting capability: milestones (joined into api/updates.py's router)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import access, api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, VIEW, seat_for
from commonground.reporting.models import Milestone
from commonground.reporting.schemas.updates import MilestoneIn, MilestoneOut, MilestonePatch
from commonground.reporting.selectors import updates as selectors
from commonground.reporting.services import milestones as services

router = Router(tags=["updates"])
MANAGE = access(f"partnership:{Perm.MANAGE_REPORTING.value}")
MILESTONE = f"{BASE}/milestones/{{milestone_id}}"


def _milestone(partnership_id: int, milestone_id: int) -> Milestone:
    return get_object_or_404(selectors.milestones_of(partnership_id), pk=milestone_id)


@router.get(
    f"{BASE}/milestones",
    response={200: list[MilestoneOut], **ERRORS},
    summary="Milestones by due date",
    openapi_extra=VIEW,
)
@paginate(LimitOffsetPagination)
def list_milestones(request: HttpRequest, partnership_id: int) -> object:
    return selectors.milestones_of(seat_for(request, partnership_id).partnership_id)


@router.post(f"{BASE}/milestones", response={201: MilestoneOut, **ERRORS}, openapi_extra=MANAGE)
def create_milestone(
    request: HttpRequest, partnership_id: int, payload: MilestoneIn, response: HttpResponse
) -> Status[Milestone]:
    seat = seat_for(request, partnership_id, Perm.MANAGE_REPORTING)
    milestone = services.milestone_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, milestone.version)
    return Status(201, milestone)


@router.get(MILESTONE, response={200: MilestoneOut, **ERRORS}, openapi_extra=VIEW)
def get_milestone(
    request: HttpRequest, partnership_id: int, milestone_id: int, response: HttpResponse
) -> Milestone:
    milestone = _milestone(seat_for(request, partnership_id).partnership_id, milestone_id)
    set_etag(response, milestone.version)
    return milestone


@router.patch(
    MILESTONE, response={200: MilestoneOut, **ERRORS}, description=IF_MATCH, openapi_extra=MANAGE
)
def patch_milestone(
    request: HttpRequest,
    partnership_id: int,
    milestone_id: int,
    payload: MilestonePatch,
    response: HttpResponse,
) -> Milestone:
    seat = seat_for(request, partnership_id, Perm.MANAGE_REPORTING)
    milestone = _milestone(partnership_id, milestone_id)
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


@router.post(
    f"{MILESTONE}/done",
    response={200: MilestoneOut, **ERRORS},
    summary="Mark a milestone reached: the feed celebrates it (once)",
    description=IF_MATCH + " 409 already_done when it was marked before.",
    openapi_extra=MANAGE,
)
def mark_milestone_done(
    request: HttpRequest, partnership_id: int, milestone_id: int, response: HttpResponse
) -> Milestone:
    seat = seat_for(request, partnership_id, Perm.MANAGE_REPORTING)
    milestone = services.milestone_mark_done(
        actor=api_user(request),
        seat=seat,
        milestone=_milestone(partnership_id, milestone_id),
        expected_version=expected_version(request),
    )
    set_etag(response, milestone.version)
    return milestone
