"""Pages for a person's notifications, digest choices and calendar feed, and the two addresses
that work without signing in because a secret in them is the credential: a digest's signed
unsubscribe link and the calendar feed."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.access import public, signed_in, signed_in_user
from commonground.core.errors import DomainError
from commonground.core.forms import add_domain_error
from commonground.notifications.models import DigestFrequency
from commonground.notifications.services import calendar, digests, inbox
from commonground.notifications.services.notify import absolute, language_of
from commonground.partnerships.models import Seat

PAGE_SIZE = 30
NEEDS_YOU_SHOWN = 50  # the rest are in My work, which lists every piece of work


@signed_in
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first; unread ones stand out."""
    user = signed_in_user(request)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox.for_information(user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    needs_you = list(inbox.needing_action(user)[: NEEDS_YOU_SHOWN + 1])
    return render(
        request,
        "notifications/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": inbox.unread_count(user),
            "needs_you": needs_you[:NEEDS_YOU_SHOWN],
            "needs_you_more": len(needs_you) > NEEDS_YOU_SHOWN,
        },
    )


@signed_in
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = signed_in_user(request)
    inbox.notification_mark_read(
        user=user, notification=inbox.notification_of(user, notification_id)
    )
    return redirect("notifications:notifications")


@signed_in
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = inbox.notifications_mark_all_read(user=signed_in_user(request))
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", marked
        )
        % {"count": marked},
    )
    return redirect("notifications:notifications")


class DigestChoicesForm(forms.Form):
    """One select per partnership the person has a seat in."""

    def __init__(self, *args: Any, choices: list[tuple[Seat, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = {}
        for seat, frequency in choices:
            name = f"digest_{seat.partnership_id}"
            self.seats[name] = seat
            self.fields[name] = forms.ChoiceField(
                label=seat.partnership.title,
                choices=DigestFrequency.choices,
                initial=frequency,
                help_text=_("Your seat: %(role)s for %(organisation)s.")
                % {
                    "role": seat.get_role_display().lower(),
                    "organisation": seat.partner.organisation.name,
                },
            )


@signed_in
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    """Weekly, monthly or no e-mail digest, per partnership."""
    user = signed_in_user(request)
    choices = digests.digest_choices(user)
    form = DigestChoicesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        changed = 0
        try:
            for name, seat in form.seats.items():
                changed += (
                    digests.digest_choose(
                        user=user,
                        partnership_id=seat.partnership_id,
                        frequency=form.cleaned_data[name],
                    )
                    is not None
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Digest choices saved.") if changed else _("Nothing changed.")
            )
            return redirect("notifications:digest_settings")
    return render(request, "notifications/digest_settings.html", {"form": form})


@public
@csrf_exempt  # the signature is the credential; mail clients POST here (RFC 8058) without CSRF
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, unsubscribe_token: str) -> HttpResponse:
    """A digest's one-click unsubscribe link: GET asks to confirm, POST stops the digest."""
    target = digests.unsubscribe_target(unsubscribe_token)
    if target is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user, partnership = target
    seated = Seat.objects.filter(user=user, partnership=partnership).exists()
    done = False
    if request.method == "POST":
        if seated:
            digests.digest_choose(
                user=user,
                partnership_id=partnership.pk,
                frequency=DigestFrequency.NONE,
                via="unsubscribe",
            )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "partnership": partnership,
            "email": user.email,
            "done": done,
            "already": seated and digests.frequency_of(user, partnership.pk) == "none",
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The person's calendar feed: make one (its address is shown once) or revoke it."""
    user = signed_in_user(request)
    address = None
    if request.method == "POST":
        _, secret = calendar.feed_create(user=user)
        address = absolute(reverse("notifications:calendar_feed", args=[secret]))
    return render(
        request,
        "notifications/calendar.html",
        {"feed": calendar.live_feed(user), "address": address},
    )


@signed_in
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if calendar.feed_revoke(user=signed_in_user(request)):
        messages.success(request, _("Calendar feed revoked: its address stops working now."))
    return redirect("notifications:calendar")


@public
@require_GET
def calendar_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The iCalendar feed itself; the secret in the address is the credential."""
    feed = calendar.feed_for_secret(feed_token)
    if feed is None:
        raise Http404("No such calendar.")  # i18n: a log line; people see the 404 page
    response = HttpResponse(
        calendar.calendar_for(feed.user).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Language"] = language_of(feed.user)
    response["Cache-Control"] = "private, max-age=900"
    response["Content-Disposition"] = 'inline; filename="commonground-reports.ics"'
    return response


urlpatterns = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:notification_id>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
    path("notifications/digests/", digest_settings, name="digest_settings"),
    path(
        "digests/unsubscribe/<str:unsubscribe_token>/",
        digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("profile/calendar/", calendar_page, name="calendar"),
    path("profile/calendar/revoke/", calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:feed_token>/reports.ics", calendar_feed, name="calendar_feed"),
]
