"""Pages of the reporting capability: progress updates, their comments and the feed. Each views
module lists its own urlpatterns; reporting/urls.py joins them. Milestones (views/milestones.py)
belong to the same area and are joined here."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonground.core.access import signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.partnerships.access import Perm, partnership_view
from commonground.partnerships.models import Seat
from commonground.reporting import images
from commonground.reporting.access import ReportingPerm, access_update
from commonground.reporting.forms.updates import CommentForm, UpdateForm
from commonground.reporting.models import ProgressUpdate
from commonground.reporting.selectors import updates as selectors
from commonground.reporting.services import updates as services
from commonground.reporting.views import milestones
from commonground.reporting.views._updates_context import section_context

P = "partnerships/<int:partnership_id>"
U = f"{P}/updates/<int:update_id>"


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def feed(request: HttpRequest, seat: Seat) -> HttpResponse:
    page = selectors.feed_page(seat.partnership, request.GET.get("page"))
    return render(request, "reporting/feed.html", section_context(seat, "feed", page=page))


@partnership_view(ReportingPerm.POST_UPDATES)
@require_http_methods(["GET", "POST"])
def update_create(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.update_create(
                actor=signed_in_user(request),
                seat=seat,
                data=form.service_data(),
                image=form.cleaned_data.get("image"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Update posted."))
            return redirect("reporting:update", seat.partnership_id, update.pk)
    return render(request, "reporting/update_form.html", section_context(seat, "feed", form=form))


def _update_page(
    request: HttpRequest, seat: Seat, update: ProgressUpdate, comment_form: CommentForm
) -> HttpResponse:
    return render(
        request,
        "reporting/update.html",
        section_context(
            seat,
            "feed",
            update=update,
            comments=selectors.comments_of(update),
            comment_form=comment_form,
            may_edit=services.may_edit(seat, update),
        ),
    )


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def update_detail(request: HttpRequest, seat: Seat, update_id: int) -> HttpResponse:
    return _update_page(request, seat, access_update(seat, update_id), CommentForm())


@partnership_view(ReportingPerm.POST_UPDATES)
@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, seat: Seat, update_id: int) -> HttpResponse:
    update = access_update(seat, update_id)
    services.require_edit(seat, update)
    form = UpdateForm(
        request.POST or None,
        request.FILES or None,
        update=update,
        initial={
            **{field: getattr(update, field) for field in services.EDITABLE},
            "version": update.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_edit(
                actor=signed_in_user(request),
                seat=seat,
                update=update,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
                image=form.cleaned_data.get("image"),
                remove_image=bool(form.cleaned_data.get("remove_image")),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Update saved."))
            return redirect("reporting:update", seat.partnership_id, update.pk)
    return render(
        request,
        "reporting/update_form.html",
        section_context(seat, "feed", form=form, update=update),
    )


@partnership_view(ReportingPerm.COMMENT)
@require_http_methods(["POST"])
def update_comment(request: HttpRequest, seat: Seat, update_id: int) -> HttpResponse:
    update = access_update(seat, update_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.update_comment(
                actor=signed_in_user(request), seat=seat, update=update, data=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Question sent to the author.") if comment.is_question else _("Comment added."),
            )
            url = reverse("reporting:update", args=[seat.partnership_id, update.pk])
            return redirect(f"{url}#comment-{comment.pk}")
    return _update_page(request, seat, update, form)


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def update_image(request: HttpRequest, seat: Seat, update_id: int) -> HttpResponseBase:
    """The update's image, served with the type its content was checked to be; never a page of
    its own (no script can run from it, even if a browser were asked to)."""
    update = access_update(seat, update_id)
    if not update.image:
        return redirect("reporting:update", seat.partnership_id, update.pk)
    response = FileResponse(
        update.image.open("rb"), content_type=images.content_type(update.image.name or "")
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


urlpatterns: list[URLPattern] = [
    path(f"{P}/updates/", feed, name="updates"),
    path(f"{P}/updates/new/", update_create, name="update_create"),
    path(f"{U}/", update_detail, name="update"),
    path(f"{U}/edit/", update_edit, name="update_edit"),
    path(f"{U}/comments/", update_comment, name="update_comment"),
    path(f"{U}/image/", update_image, name="update_image"),
    *milestones.urlpatterns,
]
