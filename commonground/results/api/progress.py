"""Progress (read from the summaries the services keep current), the SMART check and the SDG
framework search."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import access, api_user
from commonground.core.codelists import sdg_indicators, sdg_targets
from commonground.partnerships.access import Perm
from commonground.partnerships.api_common import BASE, ERRORS, partnership_operation
from commonground.partnerships.models import Seat
from commonground.results import progress, selectors
from commonground.results.api.serialised import cached_body, dumps
from commonground.results.models import (
    Indicator,
    PartnershipProgress,
)
from commonground.results.schemas import (
    IndicatorProgressRow,
    PartnershipProgressOut,
    SdgIndicatorOut,
    SdgTargetOut,
    SmartIssueOut,
    decimal_text,
    status_label,
)

router = Router(tags=["progress"])


# --- progress and the SMART check -------------------------------------------------------------


def _progress(partnership_id: int) -> PartnershipProgressOut:
    summary = (
        PartnershipProgress.objects.filter(partnership_id=partnership_id)
        .values_list("status", "percent", "counts", "computed_at")
        .first()
    )
    today = timezone.localdate()
    rows = Indicator.objects.filter(partnership_id=partnership_id).values_list(
        "pk",
        "title",
        "objective_id",
        "unit",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "progress__value_to_date",
        "progress__percent",
        "progress__status",
        "progress__last_period_end",
    )
    # Built without validation (model_construct): every value below already has the schema's
    # type (decimals as text through decimal_text), and validating 50 rows through ninja's
    # Schema wrapper costs more than the queries (benchmarks/README.md). ninja serialises a
    # PartnershipProgressOut it is handed as is, without validating it again.
    indicators = [
        IndicatorProgressRow.model_construct(
            id=pk,
            title=title,
            objective_id=objective_id,
            unit=unit,
            target_value=decimal_text(target),
            value_to_date=decimal_text(current),
            percent=decimal_text(percent),
            expected_value=decimal_text(
                progress.expected_value(baseline, baseline_date, target, target_date, today)
            ),
            status=state or None,
            status_label=status_label(state),
            last_period_end=last_end,
        )
        for (
            pk,
            title,
            objective_id,
            unit,
            baseline,
            baseline_date,
            target,
            target_date,
            current,
            percent,
            state,
            last_end,
        ) in rows
    ]
    state, overall, counts, computed_at = summary or (None, None, {}, None)
    return PartnershipProgressOut.model_construct(
        status=state or None,
        status_label=status_label(state),
        percent=decimal_text(overall),
        indicator_count=len(indicators),
        counts=counts,
        computed_at=computed_at,
        indicators=indicators,
    )


def _progress_body(partnership_id: int) -> str:
    """The body as ninja renders a PartnershipProgressOut handed to it (no validation again)."""
    return dumps(_progress(partnership_id).model_dump())


@partnership_operation(
    router.get,
    f"{BASE}/progress",
    Perm.VIEW,
    response={200: PartnershipProgressOut, **ERRORS},
    summary="The partnership's overall status and every indicator's progress",
    description="Read from the progress summaries kept current on every approval (and daily).",
)
@cached_body("progress", _progress_body, today=True)
def get_progress(request: HttpRequest, partnership_id: int) -> PartnershipProgressOut:
    # No `seat` parameter: partnership_operation checks only the seat's role, without the joins.
    return _progress(partnership_id)


@partnership_operation(
    router.get,
    f"{BASE}/smart-check",
    Perm.VIEW,
    response={200: list[SmartIssueOut], **ERRORS},
    summary="What keeps the framework from being SMART, as a to-do list",
)
@paginate(LimitOffsetPagination)
def smart_check(request: HttpRequest, seat: Seat) -> object:
    return selectors.smart_check(seat.partnership)


# --- the SDG framework -----------------------------------------------------------------------


def _matches(query: str, code: str, title: str) -> bool:
    """Every word of the query is a prefix of the code or appears in the title."""
    title = title.casefold()
    return all(code.startswith(word) or word in title for word in query.casefold().split())


@router.get(
    "/sdg/targets",
    tags=["SDG framework"],
    response={200: list[SdgTargetOut], **ERRORS},
    summary="Search the UN SDG targets by code (11.1) or words",
    openapi_extra=access("signed_in"),
)
@paginate(LimitOffsetPagination)
def search_sdg_targets(request: HttpRequest, q: str = "") -> object:
    api_user(request)
    return [
        {"code": code, "title": title} for code, title in sdg_targets() if _matches(q, code, title)
    ]


@router.get(
    "/sdg/indicators",
    tags=["SDG framework"],
    response={200: list[SdgIndicatorOut], **ERRORS},
    summary="Search the UN SDG indicators by code (11.1.1) or words",
    openapi_extra=access("signed_in"),
)
@paginate(LimitOffsetPagination)
def search_sdg_indicators(request: HttpRequest, q: str = "") -> object:
    api_user(request)
    return [
        {"code": code, "target": target, "title": title}
        for code, target, title in sdg_indicators()
        if _matches(q, code, title)
    ]
