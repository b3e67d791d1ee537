"""Reported results and their review: report, correct, submit, approve or return, reopen and
comment."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from commonground.core.api import api_user, expected_version, set_etag
from commonground.core.errors import field_error
from commonground.partnerships.access import Perm, partner_named
from commonground.partnerships.api_common import BASE, ERRORS, IF_MATCH, partnership_operation
from commonground.partnerships.models import Partnership, Seat
from commonground.results import periods
from commonground.results.access import (
    ResultsPerm,
    access_result,
    indicator_named,
    result_visibility,
)
from commonground.results.models import (
    Result,
    ResultComment,
    ResultStatus,
)
from commonground.results.schemas import (
    CommentIn,
    CommentOut,
    ReopenIn,
    ResultIn,
    ResultOut,
    ResultPatch,
    ReturnIn,
    ReviewIn,
    breakdown_dict,
)
from commonground.results.services import entry

router = Router(tags=["results"])


# --- results ---------------------------------------------------------------------------------


def _results(partnership: Partnership) -> QuerySet[Result]:
    """Results as the API shows them: breakdown, reporter and reviewer loaded."""
    return (
        Result.objects.filter(partnership=partnership)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("breakdown")
        .order_by("period_start", "indicator_id", "partner_id")
    )


def _result_out(seat: Seat, result: Result, response: HttpResponse) -> Result:
    """Read back after a write, as GET shows it."""
    set_etag(response, result.version)
    return access_result(seat, result.pk, queryset=_results(seat.partnership))


def _filtered(
    results: QuerySet[Result],
    indicator_id: int | None,
    status: str | None,
    partner_id: int | None,
    period: str | None,
) -> QuerySet[Result]:
    if indicator_id is not None:
        results = results.filter(indicator_id=indicator_id)
    if partner_id is not None:
        results = results.filter(partner_id=partner_id)
    if status:
        if status not in ResultStatus.values:
            raise field_error(
                "status",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ResultStatus.values)},
            )
        results = results.filter(status=status)
    if period:
        try:
            wanted = periods.parse_period(period)
        except periods.PeriodError as error:
            raise field_error("period", str(error)) from None
        results = results.filter(period_start=wanted.start, period_end=wanted.end)
    return results


@partnership_operation(
    router.get,
    f"{BASE}/results",
    Perm.VIEW,
    response={200: list[ResultOut], **ERRORS},
    summary="Reported results, filtered by indicator, status, partner or period",
)
@paginate(LimitOffsetPagination)
def list_results(
    request: HttpRequest,
    seat: Seat,
    indicator_id: int | None = None,
    status: str | None = None,
    partner_id: int | None = None,
    period: str | None = None,
) -> object:
    # Only the results the seat may see: another partner's drafts are left out (results.access).
    results = _results(seat.partnership).filter(result_visibility(seat))
    return _filtered(results, indicator_id, status, partner_id, period)


@partnership_operation(
    router.post,
    f"{BASE}/results",
    ResultsPerm.REPORT_RESULTS,
    response={200: ResultOut, 201: ResultOut, **ERRORS},
    summary="Report a value for an indicator and period",
    description="Creates the partner's draft for that indicator and period (201), or changes "
    "it while it is still a draft or returned (200). Reporters report for their own "
    "organisation; coordinators and editors may name another partner.",
)
def report_result(
    request: HttpRequest, seat: Seat, payload: ResultIn, response: HttpResponse
) -> Status[Result]:
    indicator = indicator_named(seat, payload.indicator_id)
    partner = None if payload.partner_id is None else partner_named(seat, payload.partner_id)
    result = entry.result_save(
        actor=api_user(request),
        seat=seat,
        indicator=indicator,
        period=payload.period,
        reported=entry.ReportedValue(
            value=payload.value,
            text_value=payload.text_value or "",
            breakdown=breakdown_dict(payload.breakdown),
            note=payload.note or "",
            evidence_url=payload.evidence_url or "",
        ),
        partner=partner,
    )
    created = result.version == 1
    return Status(201 if created else 200, _result_out(seat, result, response))


@partnership_operation(
    router.get, f"{BASE}/results/{{result_id}}", Perm.VIEW, response={200: ResultOut, **ERRORS}
)
def get_result(request: HttpRequest, seat: Seat, result_id: int, response: HttpResponse) -> Result:
    result = access_result(seat, result_id, queryset=_results(seat.partnership))
    set_etag(response, result.version)
    return result


@partnership_operation(
    router.patch,
    f"{BASE}/results/{{result_id}}",
    ResultsPerm.REPORT_RESULTS,
    response={200: ResultOut, **ERRORS},
    description=IF_MATCH + " Only a draft or returned result changes; an approved one is "
    "locked (409 result_locked) until a reviewer reopens it.",
)
def update_result(
    request: HttpRequest,
    seat: Seat,
    result_id: int,
    payload: ResultPatch,
    response: HttpResponse,
) -> Result:
    result = access_result(seat, result_id)
    version = expected_version(request)
    sent = payload.dict(exclude_unset=True)
    current = {
        "value": result.value,
        "text_value": result.text_value,
        "breakdown": {row.key: row.value for row in result.breakdown.all()},
        "note": result.note,
        "evidence_url": result.evidence_url,
    }
    merged = {**current, **sent}
    if "breakdown" in sent:
        merged["breakdown"] = breakdown_dict(payload.breakdown)
    result = entry.result_update(
        actor=api_user(request),
        seat=seat,
        result=result,
        reported=entry.ReportedValue(
            value=merged["value"],
            text_value=merged["text_value"] or "",
            breakdown=merged["breakdown"],
            note=merged["note"] or "",
            evidence_url=merged["evidence_url"] or "",
        ),
        version=version,
    )
    return _result_out(seat, result, response)


@partnership_operation(
    router.post,
    f"{BASE}/results/{{result_id}}/submit",
    ResultsPerm.REPORT_RESULTS,
    response={200: ResultOut, **ERRORS},
    summary="Send a draft or returned result for review",
)
def submit_result(
    request: HttpRequest, seat: Seat, result_id: int, response: HttpResponse
) -> Result:
    result = entry.result_submit(
        actor=api_user(request), seat=seat, result=access_result(seat, result_id)
    )
    return _result_out(seat, result, response)


@partnership_operation(
    router.post,
    f"{BASE}/results/{{result_id}}/approve",
    ResultsPerm.REVIEW_RESULTS,
    response={200: ResultOut, **ERRORS},
    summary="Approve a submitted result",
    description="The result is locked and counts towards progress. Nobody approves their own "
    "submission (409 own_submission).",
)
def approve_result(
    request: HttpRequest,
    seat: Seat,
    result_id: int,
    response: HttpResponse,
    payload: ReviewIn | None = None,
) -> Result:
    result = entry.result_approve(
        actor=api_user(request),
        seat=seat,
        result=access_result(seat, result_id),
        comment=payload.comment if payload else "",
    )
    return _result_out(seat, result, response)


@partnership_operation(
    router.post,
    f"{BASE}/results/{{result_id}}/return",
    ResultsPerm.REVIEW_RESULTS,
    response={200: ResultOut, **ERRORS},
    summary="Send a submitted result back to its reporter with a comment",
)
def return_result(
    request: HttpRequest,
    seat: Seat,
    result_id: int,
    payload: ReturnIn,
    response: HttpResponse,
) -> Result:
    result = entry.result_return(
        actor=api_user(request),
        seat=seat,
        result=access_result(seat, result_id),
        comment=payload.comment,
    )
    return _result_out(seat, result, response)


@partnership_operation(
    router.post,
    f"{BASE}/results/{{result_id}}/reopen",
    ResultsPerm.REVIEW_RESULTS,
    response={200: ResultOut, **ERRORS},
    summary="Unlock an approved result so it can be corrected (needs a reason)",
)
def reopen_result(
    request: HttpRequest,
    seat: Seat,
    result_id: int,
    payload: ReopenIn,
    response: HttpResponse,
) -> Result:
    result = entry.result_reopen(
        actor=api_user(request),
        seat=seat,
        result=access_result(seat, result_id),
        reason=payload.reason,
    )
    return _result_out(seat, result, response)


@partnership_operation(
    router.get,
    f"{BASE}/results/{{result_id}}/comments",
    Perm.VIEW,
    response={200: list[CommentOut], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_comments(request: HttpRequest, seat: Seat, result_id: int) -> object:
    result = access_result(seat, result_id)
    return ResultComment.objects.filter(result=result).select_related("author")


@partnership_operation(
    router.post,
    f"{BASE}/results/{{result_id}}/comments",
    Perm.VIEW,
    response={201: CommentOut, **ERRORS},
    summary="Comment on a result (anyone with access to the partnership)",
)
def add_comment(
    request: HttpRequest, seat: Seat, result_id: int, payload: CommentIn
) -> Status[ResultComment]:
    result = access_result(seat, result_id)
    comment = entry.result_comment(
        actor=api_user(request), seat=seat, result=result, body=payload.body
    )
    return Status(201, comment)
