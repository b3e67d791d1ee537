"""Evaluation sessions: the list, one session (findings by DAC criterion, recommendations with
their owner, due date and state), the form that records a session, and marking a
recommendation done or open again. Creating needs EDIT_FRAMEWORK; marking REPORT_RESULTS plus
the service's `may_complete` (reporters: their own organisation's recommendations)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.partnerships.access import Perm, partnership_view
from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.access import ResultsPerm, access_evaluation, access_recommendation
from commonground.results.evaluation_forms import EvaluationEntry
from commonground.results.models import (
    Criterion,
    EvaluationFinding,
    Recommendation,
)
from commonground.results.services import evaluation as evaluation_services
from commonground.results.views._shared import page_context


@dataclass
class CriterionFindings:
    criterion: str
    label: str
    findings: list[EvaluationFinding]


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    overdue: bool
    done_by: str
    may_complete: bool
    may_reopen: bool


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def evaluations(request: HttpRequest, seat: Seat) -> HttpResponse:
    sessions = selectors.evaluation_sessions(seat.partnership, timezone.localdate())
    return render(request, "results/evaluations.html", page_context(seat, sessions=sessions))


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def evaluation_detail(request: HttpRequest, seat: Seat, evaluation_id: int) -> HttpResponse:
    session = access_evaluation(seat, evaluation_id)
    today = timezone.localdate()
    findings = list(session.findings.all())
    by_criterion = [
        CriterionFindings(value, str(label), [f for f in findings if f.criterion == value])
        for value, label in Criterion.choices
    ]
    done_by = selectors.completed_by(session)
    recommendations = [
        RecommendationRow(
            recommendation=r,
            overdue=r.is_overdue(today),
            done_by=done_by.get(r.pk, ""),
            may_complete=r.done_at is None and evaluation_services.may_complete(seat, r),
            may_reopen=r.done_at is not None and evaluation_services.may_complete(seat, r),
        )
        for r in session.recommendations.all()
    ]
    return render(
        request,
        "results/evaluation.html",
        page_context(
            seat,
            session=session,
            by_criterion=by_criterion,
            finding_count=len(findings),
            recommendations=recommendations,
            open_count=sum(1 for row in recommendations if not row.recommendation.done),
            overdue_count=sum(1 for row in recommendations if row.overdue),
        ),
    )


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    entry = EvaluationEntry(
        request.POST if request.method == "POST" else None, partnership_id=seat.partnership_id
    )
    adding = request.POST.get("add", "")
    if request.method == "POST" and adding:
        # "Add another row" re-renders what was typed with one more row; nothing is saved.
        entry.add_row(adding)
    elif request.method == "POST" and entry.is_valid():
        try:
            session = evaluation_services.evaluation_create(
                actor=signed_in_user(request),
                seat=seat,
                data=entry.service_data(),
            )
        except DomainError as error:
            entry.add_domain_error(error)
        else:
            messages.success(
                request, _("Evaluation session “%(title)s” recorded.") % {"title": session.title}
            )
            return redirect("results:evaluation", seat.partnership_id, session.pk)
    return render(
        request,
        "results/evaluation_form.html",
        page_context(
            seat,
            entry=entry,
            form=entry.form,
            errors=entry.error_summary() if entry.has_errors else [],
        ),
    )


def _act_on_recommendation(
    request: HttpRequest,
    seat: Seat,
    recommendation_id: int,
    act: Callable[..., Recommendation],
    done: str,
) -> HttpResponse:
    """`done` is the message on success, with the recommendation's text as %(text)s."""
    recommendation = access_recommendation(seat, recommendation_id)
    back = reverse("results:evaluation", args=[seat.partnership_id, recommendation.session_id])
    back += f"#recommendation-{recommendation.pk}"
    try:
        act(actor=signed_in_user(request), seat=seat, recommendation=recommendation)
    except PermissionDenied as refusal:
        # The page explains the refusal where the button was, rather than a bare 403 page.
        messages.error(request, str(refusal))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"text": Truncator(recommendation.text).chars(80)})
    return redirect(back)


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def recommendation_complete(
    request: HttpRequest, seat: Seat, recommendation_id: int
) -> HttpResponse:
    return _act_on_recommendation(
        request,
        seat,
        recommendation_id,
        evaluation_services.recommendation_complete,
        _("Marked done: “%(text)s”."),
    )


@partnership_view(ResultsPerm.REPORT_RESULTS)
@require_POST
def recommendation_reopen(request: HttpRequest, seat: Seat, recommendation_id: int) -> HttpResponse:
    return _act_on_recommendation(
        request,
        seat,
        recommendation_id,
        evaluation_services.recommendation_reopen,
        _("Marked open again: “%(text)s”."),
    )
