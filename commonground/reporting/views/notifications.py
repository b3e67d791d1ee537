"""Pages for a person's notifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from commonground.core.access import signed_in, signed_in_user
from commonground.reporting.services import inbox

PAGE_SIZE = 30


@signed_in
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first; unread ones stand out."""
    user = signed_in_user(request)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox.notifications_of(user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/notifications.html",
        {"page": page, "unread_only": unread_only, "unread": inbox.unread_count(user)},
    )


@signed_in
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = signed_in_user(request)
    inbox.notification_mark_read(
        user=user, notification=inbox.notification_of(user, notification_id)
    )
    return redirect("reporting:notifications")


@signed_in
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = inbox.notifications_mark_all_read(user=signed_in_user(request))
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect("reporting:notifications")


urlpatterns = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:notification_id>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
]
