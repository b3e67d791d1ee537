"""Targets: revising the end target with a reason, and targets per period."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import partnership_view
from commonground.partnerships.models import Seat
from commonground.results import periods
from commonground.results.access import ResultsPerm, access_indicator
from commonground.results.forms import PeriodTargetForm, TargetReviseForm
from commonground.results.models import Indicator, TargetRevision
from commonground.results.services import framework as framework_services
from commonground.results.views._shared import page_context, period_label, shown


def revision_rows(indicator: Indicator) -> list[tuple[TargetRevision, str]]:
    """Each revision with the label of its period ("" for the end target)."""
    frequency = periods.Frequency(indicator.frequency)
    return [
        (
            revision,
            periods.period_containing(frequency, revision.period_start).label
            if revision.period_start
            else "",
        )
        for revision in indicator.revisions.select_related("revised_by")
    ]


def _target_periods(indicator: Indicator) -> list[str]:
    partnership = indicator.partnership
    end = partnership.end_date or indicator.target_date or timezone.localdate()
    return [
        p.label
        for p in periods.periods_between(
            periods.Frequency(indicator.frequency), partnership.start_date, end
        )
    ]


def _targets_page(
    request: HttpRequest,
    seat: Seat,
    indicator: Indicator,
    revise: TargetReviseForm,
    period_form: PeriodTargetForm,
) -> HttpResponse:
    return render(
        request,
        "results/targets.html",
        page_context(
            seat,
            indicator=indicator,
            revise=revise,
            period_form=period_form,
            period_targets=[
                (period_label(t.period_start, t.period_end), t)
                for t in indicator.period_targets.all()
            ],
            revisions=revision_rows(indicator),
        ),
    )


def _revise_form(indicator: Indicator, data: Any = None) -> TargetReviseForm:
    return TargetReviseForm(
        data,
        initial={
            "target_value": shown(indicator.target_value),
            "target_date": indicator.target_date,
            "version": indicator.version,
        },
    )


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def target_revise(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    form = _revise_form(indicator, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework_services.target_revise(
                actor=signed_in_user(request),
                seat=seat,
                indicator=indicator,
                value=data["target_value"],
                target_date=data["target_date"],
                reason=data["reason"],
                reason_text=data["reason_text"],
                version=data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Target revised. The old target is kept in the history."))
            return redirect("results:indicator", seat.partnership_id, indicator.pk)
    period_form = PeriodTargetForm(period_choices=_target_periods(indicator))
    return _targets_page(request, seat, indicator, form, period_form)


@partnership_view(ResultsPerm.EDIT_FRAMEWORK)
@require_http_methods(["GET", "POST"])
def period_target_set(request: HttpRequest, seat: Seat, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(seat, indicator_id)
    form = PeriodTargetForm(request.POST or None, period_choices=_target_periods(indicator))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework_services.period_target_set(
                actor=signed_in_user(request),
                seat=seat,
                indicator=indicator,
                period_label=data["period"],
                value=data["value"],
                reason=data["reason"],
                reason_text=data["reason_text"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Target for %(period)s saved.") % {"period": data["period"]}
            )
            return redirect("results:period_target_set", seat.partnership_id, indicator.pk)
    return _targets_page(request, seat, indicator, _revise_form(indicator), form)
