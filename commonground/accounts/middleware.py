"""A signed-in person's interface language is the one kept on their profile; the API speaks the
language its caller asks for."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def _accept_language(request: HttpRequest) -> str | None:
    """The first of the site's languages the Accept-Language header asks for, if any."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ProfileLanguageMiddleware:
    """After LocaleMiddleware (cookie, then Accept-Language) and authentication: a person who
    chose a language on their profile gets it on every device. People signed out keep the
    cookie's or the browser's choice.

    The JSON API (/api/) is different: a script's Accept-Language decides, above the profile
    and the cookie, so that the same token gets `message` texts in whichever language the
    caller asks for; without the header, the cookie's or the site's default language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            chosen = _accept_language(request) or ""
        else:
            user = getattr(request, "user", None)
            chosen = getattr(user, "language", "") if user is not None else ""
        if chosen in self.languages and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen in self.languages:
            response.headers.setdefault("Content-Language", chosen)
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
        return response
