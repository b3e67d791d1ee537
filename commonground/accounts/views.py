from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import selectors, services
from commonground.accounts.forms import OrganisationForm, TokenForm
from commonground.accounts.models import ApiToken, Organisation
from commonground.core.access import public, signed_in, signed_in_user
from commonground.core.errors import Conflict, DomainError
from commonground.core.forms import add_domain_error


@public
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: kept in a cookie, and on the profile when signed in."""
    chosen = request.POST.get("language", "")
    if chosen not in {code for code, _ in settings.LANGUAGES}:
        return HttpResponseBadRequest(_("Choose one of the site's languages."))
    if request.user.is_authenticated:
        services.user_language_set(user=signed_in_user(request), language=chosen)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.api_token_create(
                user=signed_in_user(request), name=form.cleaned_data["name"]
            )
            form = TokenForm()
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of(signed_in_user(request)),
            "new_secret": new_secret,
        },
    )


@signed_in
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(user=signed_in_user(request), token=token)
    messages.success(
        request,
        _("Token “%(name)s” revoked. Scripts using it stop working now.") % {"name": token.name},
    )
    return redirect("accounts:profile")


@signed_in
@require_http_methods(["GET"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(selectors.organisation_search(query=query), 25).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": query}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "accounts/organisation_list.html#results", context)
    return render(request, "accounts/organisation_list.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    similar: list[Organisation] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = bool(data.pop("confirm_new"))
        try:
            organisation = services.organisation_create(
                actor=signed_in_user(request), data=data, confirm_new=confirm
            )
        except Conflict as error:
            if error.code == "similar_organisation":
                similar = selectors.organisations_similar_to(data["name"])
                form = OrganisationForm(initial={**form.cleaned_data, "confirm_new": True})
            else:
                add_domain_error(form, error)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("%(name)s added to the registry.") % {"name": organisation.name}
            )
            return redirect("partnerships:organisation", organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "similar": similar})
