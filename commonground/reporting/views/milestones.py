"""Pages of the reporting capability: milestones. Joined into the updates area's urlpatterns
(views/updates.py), beside the feed that celebrates them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, partnership_view
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm, access_milestone
from commonground.reporting.forms.updates import MilestoneForm, VersionForm
from commonground.reporting.selectors import updates as selectors
from commonground.reporting.services import milestones as services
from commonground.reporting.views._updates_context import section_context

P = "partnerships/<int:partnership_id>"
M = f"{P}/milestones/<int:milestone_id>"


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def milestones(request: HttpRequest, seat: Seat) -> HttpResponse:
    rows = list(selectors.milestones_of(seat.partnership_id))
    today = timezone.localdate()
    return render(
        request,
        "reporting/milestones.html",
        section_context(
            seat,
            "milestones",
            open_milestones=[m for m in rows if m.done_at is None],
            done_milestones=sorted(
                (m for m in rows if m.done_at is not None),
                key=lambda m: m.done_at or timezone.now(),
                reverse=True,
            ),
            today=today,
        ),
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_create(
                actor=signed_in_user(request), seat=seat, data=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Milestone added."))
            return redirect("reporting:milestones", seat.partnership_id)
    return render(
        request, "reporting/milestone_form.html", section_context(seat, "milestones", form=form)
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, seat: Seat, milestone_id: int) -> HttpResponse:
    milestone = access_milestone(seat, milestone_id)
    form = MilestoneForm(
        request.POST or None,
        initial={
            "title": milestone.title,
            "description": milestone.description,
            "due_date": milestone.due_date,
            "version": milestone.version,
        },
    )
    form.fields["version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_edit(
                actor=signed_in_user(request),
                seat=seat,
                milestone=milestone,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Milestone saved."))
            return redirect("reporting:milestones", seat.partnership_id)
    return render(
        request,
        "reporting/milestone_form.html",
        section_context(seat, "milestones", form=form, milestone=milestone),
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["POST"])
def milestone_done(request: HttpRequest, seat: Seat, milestone_id: int) -> HttpResponse:
    milestone = access_milestone(seat, milestone_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
    else:
        try:
            services.milestone_mark_done(
                actor=signed_in_user(request),
                seat=seat,
                milestone=milestone,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(title)s” reached: it is celebrated in the feed.")
                % {"title": milestone.title},
            )
    return redirect("reporting:milestones", seat.partnership_id)


urlpatterns: list[URLPattern] = [
    path(f"{P}/milestones/", milestones, name="milestones"),
    path(f"{P}/milestones/new/", milestone_create, name="milestone_create"),
    path(f"{M}/edit/", milestone_edit, name="milestone_edit"),
    path(f"{M}/done/", milestone_done, name="milestone_done"),
]
