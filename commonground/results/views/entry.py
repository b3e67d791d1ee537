"""Results entry and review: a partner reports a result (with its breakdown and evidence), a
reviewer approves, returns or reopens it, anyone with access comments. Each action is its own URL
with its own permission, so a POST to a page anyone may view can never perform a review."""

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.files import download
from commonground.core.forms import add_domain_error
from commonground.core.models import AuditEvent
from commonground.partnerships.access import Perm, can, partnership_view
from commonground.partnerships.models import Seat
from commonground.results import periods, selectors
from commonground.results.access import ResultsPerm, access_indicator, access_result
from commonground.results.forms import (
    ApproveForm,
    CommentForm,
    ReopenForm,
    ResultForm,
    ReturnForm,
    breakdown_label,
)
from commonground.results.models import Indicator, Result, ResultStatus
from commonground.results.services import entry
from commonground.results.views._shared import page_context, period_label
from commonground.work.selectors import my_work, when, work_counts


def _report_periods(indicator: Indicator, today: dt.date) -> list[str]:
    """The indicator's periods that have started, within the partnership's dates, newest first."""
    partnership = indicator.partnership
    end = min(partnership.end_date or today, today)
    found = periods.periods_between(
        periods.Frequency(indicator.frequency), partnership.start_date, end
    )
    return [p.label for p in reversed(found)]


def _report_page(
    request: HttpRequest, seat: Seat, indicator: Indicator, result: Result | None
) -> HttpResponse:
    today = timezone.localdate()
    choices = _report_periods(indicator, today)
    if result is not None:
        label = period_label(result.period_start, result.period_end)
        choices = [label] if label not in choices else choices
    # The period people most often report is the last one that has ended.
    ended = [label for label in choices if periods.parse_period(label).end < today]
    initial: dict[str, Any] = {
        "period": request.GET.get("period") or next(iter(ended or choices), ""),
        "partner": seat.partner_id,
    }
    form = ResultForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        indicator=indicator,
        period_choices=choices,
        partner_choice=result is None and can(seat, ResultsPerm.REVIEW_RESULTS),
    )
    if result is not None:
        form.initial = ResultForm.initial_for(result, form.combinations)
        form.fields["period"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reported = entry.ReportedValue(
            value=data.get("value"),
            text_value=data.get("text_value", ""),
            breakdown=form.reported_breakdown(),
            note=data["note"],
            evidence_url=data["evidence_url"],
        )
        user = signed_in_user(request)
        try:
            saved = entry.result_save(
                actor=user,
                seat=seat,
                indicator=indicator,
                period=data["period"],
                reported=reported,
                partner=result.partner if result else data.get("partner"),
                evidence_file=data["evidence_file"],
                version=data["version"] if result else None,
            )
            if request.POST.get("action") == "submit":
                entry.result_submit(actor=user, seat=seat, result=saved)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            submitted = saved.status == ResultStatus.SUBMITTED
            text = (
                _("Result for %(period)s submitted for review.")
                if submitted
                else _("Result for %(period)s saved as a draft.")
            )
            messages.success(request, text % {"period": data["period"]})
            return redirect("results:result", seat.partnership_id, saved.pk)
    own = (
        Result.objects.filter(
            indicator=indicator,
            partner_id=seat.partner_id,
            status__in=[ResultStatus.DRAFT, ResultStatus.RETURNED],
        )
        .exclude(pk=result.pk if result else 0)
        .order_by("-period_start")
    )
    return render(
        request,
        "results/report.html",
        page_context(
            seat,
            indicator=indicator,
            form=form,
            result=result,
            open_results=[(r, period_label(r.period_start, r.period_end)) for r in own],
        ),
    )


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_http_methods(["GET", "POST"])
def result_report(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    return _report_page(request, seat, indicator, None)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    result = access_result(seat, result_id)
    if result.status not in (ResultStatus.DRAFT, ResultStatus.RETURNED):
        messages.error(
            request,
            _("This result is %(status)s: it cannot be changed now.")
            % {"status": result.get_status_display().lower()},
        )
        return redirect("results:result", seat.partnership_id, result.pk)
    try:
        entry.require_report_for(seat, result)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect("results:result", seat.partnership_id, result.pk)
    return _report_page(request, seat, result.indicator, result)


# Whole sentences, so each language puts the person where its grammar wants them.
HISTORY_LABELS = {
    "result.create": gettext_lazy("%(actor)s saved the result"),
    "result.update": gettext_lazy("%(actor)s changed the result"),
    "result.submit": gettext_lazy("%(actor)s submitted it for review"),
    "result.approve": gettext_lazy("%(actor)s approved it"),
    "result.return": gettext_lazy("%(actor)s returned it"),
    "result.reopen": gettext_lazy("%(actor)s reopened it"),
    "result.comment": gettext_lazy("%(actor)s commented"),
}


def _history(result: Result) -> list[tuple[AuditEvent, str, str]]:
    events = AuditEvent.objects.filter(
        partnership_id=result.partnership_id,
        object_type="results.result",
        object_id=str(result.pk),
    ).order_by("seq")
    rows = []
    for event in events:
        changes = event.changes or {}
        said = ""
        for key in ("comment", "reason"):
            value = changes.get(key)
            if isinstance(value, list) and len(value) == 2 and value[1]:
                said = str(value[1])
        known = HISTORY_LABELS.get(event.action)
        actor = event.actor_label
        label = str(known) % {"actor": actor} if known else f"{actor} {event.action}"
        rows.append((event, label, said))
    return rows


def _file_name(result: Result) -> str:
    return os.path.basename(result.evidence_file.name or "") if result.evidence_file else ""


def _result_page(
    request: HttpRequest, seat: Seat, result: Result, **bound: forms.Form
) -> HttpResponse:
    may_report = can(seat, ResultsPerm.REPORT_RESULTS) and entry.may_report_for(
        seat, result.partner_id
    )
    editable = result.status in (ResultStatus.DRAFT, ResultStatus.RETURNED)
    return render(
        request,
        "results/result.html",
        page_context(
            seat,
            result=result,
            indicator=result.indicator,
            period=period_label(result.period_start, result.period_end),
            breakdown=[(breakdown_label(b.key), b.value) for b in result.breakdown.order_by("key")],
            history=_history(result),
            comments=result.comments.select_related("author"),
            may_change=may_report and editable,
            own_submission=result.submitted_by_id == request.user.pk,
            evidence_name=_file_name(result),
            approve_form=bound.get("approve_form", ApproveForm()),
            return_form=bound.get("return_form", ReturnForm()),
            reopen_form=bound.get("reopen_form", ReopenForm()),
            comment_form=bound.get("comment_form", CommentForm()),
        ),
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def result_detail(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    return _result_page(request, seat, access_result(seat, result_id))


def _act(
    request: HttpRequest,
    seat: Seat,
    result_id: int,
    form_name: str,
    form_class: type[forms.Form],
    action: Callable[[Result, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run one review action on a result; refusals naming a field are shown on its form,
    others as a message."""
    result = access_result(seat, result_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(result, form.cleaned_data)
        except DomainError as error:
            if not any(key in form.fields for key in error.fields):
                messages.error(request, error.message)
                return redirect("results:result", seat.partnership_id, result.pk)
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("results:result", seat.partnership_id, result.pk)
    result.refresh_from_db()
    return _result_page(request, seat, result, **{form_name: form})


class _NoFields(forms.Form):
    pass


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def result_submit(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    user = signed_in_user(request)

    def submit(result: Result, _data: dict[str, Any]) -> object:
        return entry.result_submit(actor=user, seat=seat, result=result)

    return _act(request, seat, result_id, "", _NoFields, submit, _("Submitted for review."))


@partnership_view(ResultsPerm.REVIEW_RESULTS)
@require_POST
def result_approve(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _act(
        request,
        seat,
        result_id,
        "approve_form",
        ApproveForm,
        lambda result, data: entry.result_approve(
            actor=user, seat=seat, result=result, comment=data["comment"]
        ),
        _("Approved. The value now counts towards progress."),
    )


@partnership_view(ResultsPerm.REVIEW_RESULTS)
@require_POST
def result_return(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _act(
        request,
        seat,
        result_id,
        "return_form",
        ReturnForm,
        lambda result, data: entry.result_return(
            actor=user, seat=seat, result=result, comment=data["comment"]
        ),
        _("Returned to the reporter with your comment."),
    )


@partnership_view(ResultsPerm.REVIEW_RESULTS)
@require_POST
def result_reopen(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _act(
        request,
        seat,
        result_id,
        "reopen_form",
        ReopenForm,
        lambda result, data: entry.result_reopen(
            actor=user, seat=seat, result=result, reason=data["reason"]
        ),
        _("Reopened. The reporter can correct it and submit it again."),
    )


@partnership_view(Perm.VIEW)
@require_POST
def result_comment(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _act(
        request,
        seat,
        result_id,
        "comment_form",
        CommentForm,
        lambda result, data: entry.result_comment(
            actor=user, seat=seat, result=result, body=data["body"]
        ),
        _("Comment added."),
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def result_evidence(request: HttpRequest, seat: Seat, result_id: int) -> HttpResponseBase:
    """The evidence file, always as a download (never rendered in the site's origin)."""
    result = access_result(seat, result_id)
    if not result.evidence_file:
        messages.error(request, _("This result has no evidence file."))
        return redirect("results:result", seat.partnership_id, result.pk)
    return download(result.evidence_file)


@partnership_view(ResultsPerm.REVIEW_RESULTS)
@require_http_methods(["GET"])
def review_queue(request: HttpRequest, seat: Seat) -> HttpResponse:
    """The partnership's review queue: results waiting for review, oldest first, the person's
    own submissions apart (nobody approves their own); and the partner reports waiting, from
    the reporting capability's My work source (this app does not read reporting's tables)."""
    user = signed_in_user(request)
    waiting = [
        (r, period_label(r.period_start, r.period_end))
        for r in selectors.results_to_review(seat.partnership)
    ]
    work = my_work(user)
    work_counts(user, work)  # the header's counts, from the work already read
    reports = [
        item
        for item in (*work.to_review, *work.waiting_for_others)
        if item.partnership_id == seat.partnership_id and item.key.startswith("report-review:")
    ]
    return render(
        request,
        "results/review.html",
        page_context(
            seat,
            waiting=[(r, label) for r, label in waiting if r.submitted_by_id != user.pk],
            own=[(r, label) for r, label in waiting if r.submitted_by_id == user.pk],
            reports=[(item, when(item, work.today)) for item in reports],
        ),
    )
