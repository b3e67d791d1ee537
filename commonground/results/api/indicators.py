"""Indicators: definition, copying from another partnership or the SDG list, the end target's
revisions and per-period targets."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Partnership, Seat
from commonground.results import selectors
from commonground.results.access import (
    ResultsPerm,
    access_indicator,
    access_indicator_to_copy,
    objective_named,
)
from commonground.results.api.serialised import cached_page, dumps
from commonground.results.models import (
    Indicator,
    PeriodTarget,
    TargetRevision,
)
from commonground.results.schemas import (
    IndicatorCopyIn,
    IndicatorFromSdgIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    PeriodTargetIn,
    PeriodTargetOut,
    TargetRevisionIn,
    TargetRevisionOut,
)
from commonground.results.services import framework

router = Router(tags=["results framework"])


# --- indicators ------------------------------------------------------------------------------


def _indicators(partnership: Partnership) -> QuerySet[Indicator]:
    """Indicators as the API shows them: dimensions, targets and progress loaded."""
    return selectors.indicators_of(partnership).prefetch_related("period_targets")


def _indicator_out(seat: Seat, indicator: Indicator, response: HttpResponse) -> Indicator:
    """Read back after a write, so dimensions, targets and progress are current."""
    set_etag(response, indicator.version)
    return access_indicator(seat, indicator.pk, queryset=_indicators(seat.partnership))


def _indicator_items(partnership_id: int) -> list[tuple[dict[str, Any], str]]:
    """Every indicator of the partnership as the list shows it (IndicatorOut, dumped and
    rendered as ninja does), with its objective for the filter: built once per state."""
    indicators = _indicators(Partnership(pk=partnership_id))
    return [
        ({"objective_id": i.objective_id}, dumps(IndicatorOut.model_validate(i).model_dump()))
        for i in indicators
    ]


@partnership_operation(
    router.get,
    f"{BASE}/indicators",
    Perm.VIEW,
    response={200: list[IndicatorOut], **ERRORS},
    summary="Indicators with their targets, dimensions and progress",
)
@cached_page("indicators", _indicator_items, filters=("objective_id",))
@paginate(LimitOffsetPagination)
def list_indicators(request: HttpRequest, seat: Seat, objective_id: int | None = None) -> object:
    indicators = _indicators(seat.partnership)
    if objective_id is not None:
        indicators = indicators.filter(objective_id=objective_id)
    return indicators


@partnership_operation(
    router.post,
    f"{BASE}/indicators",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: IndicatorOut, **ERRORS},
)
def create_indicator(
    request: HttpRequest, seat: Seat, payload: IndicatorIn, response: HttpResponse
) -> Status[Indicator]:
    data = payload.dict(exclude_none=True)
    objective = objective_named(seat, data.pop("objective_id"))
    indicator = framework.indicator_create(
        actor=api_user(request), seat=seat, objective=objective, data=data
    )
    return Status(201, _indicator_out(seat, indicator, response))


@partnership_operation(
    router.post,
    f"{BASE}/indicators/copy",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: IndicatorOut, **ERRORS},
    summary="Copy an indicator from any partnership you have a seat in",
    description="Definitions travel; targets, dimensions and partners do not. An indicator of "
    "a partnership you have no seat in is not found (404).",
)
def copy_indicator(
    request: HttpRequest, seat: Seat, payload: IndicatorCopyIn, response: HttpResponse
) -> Status[Indicator]:
    source = access_indicator_to_copy(api_user(request), payload.source_indicator_id)
    indicator = framework.indicator_copy(
        actor=api_user(request),
        seat=seat,
        source=source,
        objective=objective_named(seat, payload.objective_id),
    )
    return Status(201, _indicator_out(seat, indicator, response))


@partnership_operation(
    router.post,
    f"{BASE}/indicators/from-sdg",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: IndicatorOut, **ERRORS},
    summary="Start an indicator from the UN SDG global indicator framework",
)
def indicator_from_sdg(
    request: HttpRequest, seat: Seat, payload: IndicatorFromSdgIn, response: HttpResponse
) -> Status[Indicator]:
    indicator = framework.indicator_from_sdg(
        actor=api_user(request),
        seat=seat,
        objective=objective_named(seat, payload.objective_id),
        code=payload.code.strip(),
    )
    return Status(201, _indicator_out(seat, indicator, response))


@partnership_operation(
    router.get,
    f"{BASE}/indicators/{{indicator_id}}",
    Perm.VIEW,
    response={200: IndicatorOut, **ERRORS},
)
def get_indicator(
    request: HttpRequest, seat: Seat, indicator_id: int, response: HttpResponse
) -> Indicator:
    indicator = access_indicator(seat, indicator_id, queryset=_indicators(seat.partnership))
    set_etag(response, indicator.version)
    return indicator


@partnership_operation(
    router.patch,
    f"{BASE}/indicators/{{indicator_id}}",
    ResultsPerm.EDIT_FRAMEWORK,
    response={200: IndicatorOut, **ERRORS},
    description=IF_MATCH + " An end target already set changes only through a target revision.",
)
def update_indicator(
    request: HttpRequest,
    seat: Seat,
    indicator_id: int,
    payload: IndicatorPatch,
    response: HttpResponse,
) -> Indicator:
    indicator = framework.indicator_update(
        actor=api_user(request),
        seat=seat,
        indicator=access_indicator(seat, indicator_id, queryset=_indicators(seat.partnership)),
        data=payload.dict(exclude_unset=True),
        version=expected_version(request),
    )
    return _indicator_out(seat, indicator, response)


@partnership_operation(
    router.get,
    f"{BASE}/indicators/{{indicator_id}}/target-revisions",
    Perm.VIEW,
    response={200: list[TargetRevisionOut], **ERRORS},
    summary="The history of an indicator's targets, newest first",
)
@paginate(LimitOffsetPagination)
def list_target_revisions(request: HttpRequest, seat: Seat, indicator_id: int) -> object:
    indicator = access_indicator(seat, indicator_id, queryset=_indicators(seat.partnership))
    return TargetRevision.objects.filter(indicator=indicator).select_related(
        "indicator", "revised_by"
    )


@partnership_operation(
    router.post,
    f"{BASE}/indicators/{{indicator_id}}/target-revisions",
    ResultsPerm.EDIT_FRAMEWORK,
    response={201: TargetRevisionOut, **ERRORS},
    summary="Revise the end target, keeping the old one with a reason",
    description=IF_MATCH + " (the indicator's ETag). A reason of other needs reason_text.",
)
def revise_target(
    request: HttpRequest, seat: Seat, indicator_id: int, payload: TargetRevisionIn
) -> Status[TargetRevision]:
    revision = framework.target_revise(
        actor=api_user(request),
        seat=seat,
        indicator=access_indicator(seat, indicator_id, queryset=_indicators(seat.partnership)),
        value=payload.value,
        target_date=payload.target_date,
        reason=payload.reason,
        reason_text=payload.reason_text,
        version=expected_version(request),
    )
    return Status(201, revision)


@partnership_operation(
    router.put,
    f"{BASE}/indicators/{{indicator_id}}/period-targets/{{period}}",
    ResultsPerm.EDIT_FRAMEWORK,
    response={200: PeriodTargetOut, **ERRORS},
    summary="Set the target of one period (e.g. 2025-Q2)",
    description="Changing a target already set needs a reason and is kept as a revision.",
)
def set_period_target(
    request: HttpRequest,
    seat: Seat,
    indicator_id: int,
    period: str,
    payload: PeriodTargetIn,
) -> PeriodTarget:
    return framework.period_target_set(
        actor=api_user(request),
        seat=seat,
        indicator=access_indicator(seat, indicator_id, queryset=_indicators(seat.partnership)),
        period_label=period,
        value=payload.value,
        reason=payload.reason,
        reason_text=payload.reason_text,
    )
