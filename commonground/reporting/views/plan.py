"""Pages of the reporting capability: the communication plan. Each views module lists its own
urlpatterns; reporting/urls.py joins them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, partnership_view
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm, access_entry
from commonground.reporting.forms.plan import DoneForm, PlanEntryForm
from commonground.reporting.selectors import plan as selectors
from commonground.reporting.services import plan as services
from commonground.reporting.views._updates_context import section_context

P = "partnerships/<int:partnership_id>"
E = f"{P}/communication-plan/<int:entry_id>"


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def plan(request: HttpRequest, seat: Seat) -> HttpResponse:
    rows = selectors.plan_rows(seat.partnership_id)
    return render(
        request,
        "reporting/plan.html",
        section_context(
            seat,
            "plan",
            rows=rows,
            overdue=sum(row.state == "overdue" for row in rows),
            due_soon=sum(row.state == "due_soon" for row in rows),
            done_form=DoneForm(),
        ),
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def plan_entry_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = PlanEntryForm(request.POST or None, partnership_id=seat.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_entry_create(
                actor=signed_in_user(request), seat=seat, data=form.service_data()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Added to the communication plan."))
            return redirect("reporting:plan", seat.partnership_id)
    return render(
        request, "reporting/plan_entry_form.html", section_context(seat, "plan", form=form)
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["GET", "POST"])
def plan_entry_edit(request: HttpRequest, seat: Seat, entry_id: int) -> HttpResponse:
    entry = access_entry(seat, entry_id)
    form = PlanEntryForm(
        request.POST or None,
        partnership_id=seat.partnership_id,
        initial={
            "audience": entry.audience,
            "audience_detail": entry.audience_detail,
            "content": entry.content,
            "channel": entry.channel,
            "frequency": entry.frequency,
            "owner_id": entry.owner_id,
            "starts_on": entry.starts_on,
            "version": entry.version,
        },
    )
    form.fields["version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_entry_edit(
                actor=signed_in_user(request),
                seat=seat,
                entry=entry,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Plan entry saved."))
            return redirect("reporting:plan", seat.partnership_id)
    return render(
        request,
        "reporting/plan_entry_form.html",
        section_context(seat, "plan", form=form, entry=entry),
    )


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["POST"])
def plan_entry_done(request: HttpRequest, seat: Seat, entry_id: int) -> HttpResponse:
    entry = access_entry(seat, entry_id)
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Keep the note to 300 characters."))
    else:
        try:
            services.plan_entry_mark_done(
                actor=signed_in_user(request),
                seat=seat,
                entry=entry,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Marked done: %(content)s") % {"content": entry.content})
    return redirect("reporting:plan", seat.partnership_id)


@partnership_view(ReportingPerm.MANAGE_REPORTING)
@require_http_methods(["POST"])
def plan_entry_delete(request: HttpRequest, seat: Seat, entry_id: int) -> HttpResponse:
    entry = access_entry(seat, entry_id)
    content = entry.content
    services.plan_entry_delete(actor=signed_in_user(request), seat=seat, entry=entry)
    messages.success(request, _("Taken off the plan: %(content)s") % {"content": content})
    return redirect("reporting:plan", seat.partnership_id)


urlpatterns: list[URLPattern] = [
    path(f"{P}/communication-plan/", plan, name="plan"),
    path(f"{P}/communication-plan/new/", plan_entry_create, name="plan_entry_create"),
    path(f"{E}/edit/", plan_entry_edit, name="plan_entry_edit"),
    path(f"{E}/done/", plan_entry_done, name="plan_entry_done"),
    path(f"{E}/delete/", plan_entry_delete, name="plan_entry_delete"),
]
