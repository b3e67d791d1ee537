"""JSON API of the reporting capability: the communication plan."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm, access_entry
from commonground.reporting.models import CommunicationDone, CommunicationEntry
from commonground.reporting.schemas.plan import (
    PlanDoneIn,
    PlanDoneOut,
    PlanEntryIn,
    PlanEntryOut,
    PlanEntryPatch,
)
from commonground.reporting.selectors import plan as selectors
from commonground.reporting.services import plan as services

router = Router(tags=["communication plan"])
PLAN = f"{BASE}/communication-plan"
ENTRY = f"{PLAN}/{{entry_id}}"


@partnership_operation(
    router.get,
    PLAN,
    Perm.VIEW,
    response={200: list[PlanEntryOut], **ERRORS},
    summary="The communication plan, each entry with its next due date",
)
@paginate(LimitOffsetPagination)
def list_plan(request: HttpRequest, seat: Seat) -> object:
    return selectors.entries_of(seat.partnership_id)


@partnership_operation(
    router.post, PLAN, ReportingPerm.MANAGE_REPORTING, response={201: PlanEntryOut, **ERRORS}
)
def create_plan_entry(
    request: HttpRequest, seat: Seat, payload: PlanEntryIn, response: HttpResponse
) -> Status[CommunicationEntry]:
    entry = services.plan_entry_create(actor=api_user(request), seat=seat, data=payload.dict())
    set_etag(response, entry.version)
    return Status(201, entry)


@partnership_operation(router.get, ENTRY, Perm.VIEW, response={200: PlanEntryOut, **ERRORS})
def get_plan_entry(
    request: HttpRequest, seat: Seat, entry_id: int, response: HttpResponse
) -> CommunicationEntry:
    entry = access_entry(seat, entry_id)
    set_etag(response, entry.version)
    return entry


@partnership_operation(
    router.patch,
    ENTRY,
    ReportingPerm.MANAGE_REPORTING,
    response={200: PlanEntryOut, **ERRORS},
    description=IF_MATCH,
)
def patch_plan_entry(
    request: HttpRequest,
    seat: Seat,
    entry_id: int,
    payload: PlanEntryPatch,
    response: HttpResponse,
) -> CommunicationEntry:
    entry = access_entry(seat, entry_id)
    data: dict[str, Any] = {f: getattr(entry, f) for f in services.EDITABLE}
    data.update(payload.dict(exclude_unset=True, exclude_none=True))
    entry = services.plan_entry_edit(
        actor=api_user(request),
        seat=seat,
        entry=entry,
        data=data,
        expected_version=expected_version(request),
    )
    set_etag(response, entry.version)
    return entry


@partnership_operation(
    router.delete, ENTRY, ReportingPerm.MANAGE_REPORTING, response={204: None, **ERRORS}
)
def delete_plan_entry(request: HttpRequest, seat: Seat, entry_id: int) -> Status[None]:
    services.plan_entry_delete(
        actor=api_user(request), seat=seat, entry=access_entry(seat, entry_id)
    )
    return Status(204, None)


@partnership_operation(
    router.post,
    f"{ENTRY}/done",
    ReportingPerm.MANAGE_REPORTING,
    response={201: PlanDoneOut, **ERRORS},
    summary="Record that an entry was carried out now (its next due date moves on)",
)
def mark_plan_entry_done(
    request: HttpRequest, seat: Seat, entry_id: int, payload: PlanDoneIn | None = None
) -> Status[CommunicationDone]:
    done = services.plan_entry_mark_done(
        actor=api_user(request),
        seat=seat,
        entry=access_entry(seat, entry_id),
        note=payload.note if payload else "",
    )
    return Status(201, done)
