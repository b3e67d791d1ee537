"""JSON API of the reporting capability: progress updates, comments and the achievements of the
feed. Milestones (api/milestones.py) are joined into this router."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm, access_update
from commonground.reporting.api import milestones
from commonground.reporting.models import ProgressUpdate, UpdateComment
from commonground.reporting.schemas.updates import (
    AchievementOut,
    UpdateCommentIn,
    UpdateCommentOut,
    UpdateIn,
    UpdateOut,
    UpdatePatch,
)
from commonground.reporting.selectors import updates as selectors
from commonground.reporting.services import updates as services

router = Router(tags=["updates"])
UPDATE = f"{BASE}/updates/{{update_id}}"


@partnership_operation(
    router.get,
    f"{BASE}/updates",
    Perm.VIEW,
    response={200: list[UpdateOut], **ERRORS},
    summary="Progress updates, newest first",
    description="Partners-only (internal) and public updates alike: every seat sees both.",
)
@paginate(LimitOffsetPagination)
def list_updates(request: HttpRequest, seat: Seat) -> object:
    return selectors.updates_of(seat.partnership_id)


@partnership_operation(
    router.post,
    f"{BASE}/updates",
    ReportingPerm.POST_UPDATES,
    response={201: UpdateOut, **ERRORS},
    summary="Post a progress update",
    description="The body is Markdown; body_html is its sanitised HTML. Images are added on "
    "the update's page.",
)
def create_update(
    request: HttpRequest, seat: Seat, payload: UpdateIn, response: HttpResponse
) -> Status[ProgressUpdate]:
    update = services.update_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, update.version)
    return Status(201, update)


@partnership_operation(router.get, UPDATE, Perm.VIEW, response={200: UpdateOut, **ERRORS})
def get_update(
    request: HttpRequest, seat: Seat, update_id: int, response: HttpResponse
) -> ProgressUpdate:
    update = access_update(seat, update_id)
    set_etag(response, update.version)
    return update


@partnership_operation(
    router.patch,
    UPDATE,
    ReportingPerm.POST_UPDATES,
    response={200: UpdateOut, **ERRORS},
    summary="Change an update (its author, a coordinator or an editor)",
    description=IF_MATCH,
)
def patch_update(
    request: HttpRequest,
    seat: Seat,
    update_id: int,
    payload: UpdatePatch,
    response: HttpResponse,
) -> ProgressUpdate:
    update = access_update(seat, update_id)
    data: dict[str, Any] = {field: getattr(update, field) for field in services.EDITABLE}
    data.update(payload.dict(exclude_unset=True, exclude_none=True))
    update = services.update_edit(
        actor=api_user(request),
        seat=seat,
        update=update,
        data=data,
        expected_version=expected_version(request),
    )
    set_etag(response, update.version)
    return update


@partnership_operation(
    router.get,
    f"{UPDATE}/comments",
    Perm.VIEW,
    response={200: list[UpdateCommentOut], **ERRORS},
    summary="Comments and questions on an update, oldest first",
)
@paginate(LimitOffsetPagination)
def list_comments(request: HttpRequest, seat: Seat, update_id: int) -> object:
    return selectors.comments_of(access_update(seat, update_id))


@partnership_operation(
    router.post,
    f"{UPDATE}/comments",
    ReportingPerm.COMMENT,
    response={201: UpdateCommentOut, **ERRORS},
    summary="Comment on an update or ask its author a question",
    description="The update's author is notified in the app and by e-mail.",
)
def create_comment(
    request: HttpRequest, seat: Seat, update_id: int, payload: UpdateCommentIn
) -> Status[UpdateComment]:
    comment = services.update_comment(
        actor=api_user(request),
        seat=seat,
        update=access_update(seat, update_id),
        data=payload.dict(),
    )
    return Status(201, comment)


@partnership_operation(
    router.get,
    f"{BASE}/achievements",
    Perm.VIEW,
    response={200: list[AchievementOut], **ERRORS},
    summary="Milestones reached and targets met, newest first",
)
@paginate(LimitOffsetPagination)
def list_achievements(request: HttpRequest, seat: Seat) -> object:
    return selectors.achievements_of(seat.partnership_id)


router.add_router("", milestones.router)
