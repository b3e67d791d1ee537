"""JSON API of notifications: the signed-in person's own notifications (list, mark one or all
read), over the same reads and writes as the notifications page.

The tag and operation ids are those the operations had under reporting: clients generated
from the schema (docs/openapi.json) keep working."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import ErrorOut, access, api_user
from commonground.notifications.models import Notification
from commonground.notifications.services import inbox

router = Router(tags=["reporting"])
OLD_ID = "commonground_reporting_api_notifications_"


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    partnership_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    email_status: str
    action: str = Field(
        description="The piece of work this notification asks for (empty: for information)."
    )
    done_at: dt.datetime | None = Field(
        description="When someone did that work (null: it still needs doing)."
    )
    done_by_id: int | None = Field(description="Who did it.")


class MarkedOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response=list[NotificationOut],
    summary="My notifications, newest first",
    operation_id=OLD_ID + "list_notifications",
    openapi_extra=access("signed_in"),
)
@paginate(LimitOffsetPagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    return inbox.notifications_of(api_user(request), unread_only=unread)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Mark one of my notifications read",
    operation_id=OLD_ID + "read_notification",
    openapi_extra=access("signed_in"),
)
def read_notification(request: HttpRequest, notification_id: int) -> Notification:
    user = api_user(request)
    return inbox.notification_mark_read(
        user=user, notification=inbox.notification_of(user, notification_id)
    )


@router.post(
    "/notifications/read",
    response={200: MarkedOut, 401: ErrorOut},
    summary="Mark all my notifications read",
    operation_id=OLD_ID + "read_all_notifications",
    openapi_extra=access("signed_in"),
)
def read_all_notifications(request: HttpRequest) -> dict[str, int]:
    return {"marked": inbox.notifications_mark_all_read(user=api_user(request))}
