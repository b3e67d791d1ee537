"""Conventions every API router follows: authentication, the error shape, versions (ETags)."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from commonground.core.concurrency import etag_for, parse_if_match
from commonground.core.errors import DomainError

if TYPE_CHECKING:
    from commonground.accounts.models import User


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


# The error responses an operation may answer with, each with the ErrorOut body.
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: ErrorOut,
    422: ErrorOut,
    428: ErrorOut,
}


class ActiveSessionAuth(SessionAuth):
    """The browser's session; CSRF is checked on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_active", False):
            return None
        return user


def access(policy: str) -> dict[str, Any]:
    """Declare who may call an operation (read by the access-matrix test and shown in the schema):
    "signed_in", or "partnership:<permission>" from partnerships.access.Perm."""
    return {"x-access": policy}


def api_user(request: HttpRequest) -> "User":
    user = request.auth  # type: ignore[attr-defined]
    # core sits below accounts: the user model is looked up, not imported.
    if not isinstance(user, get_user_model()):
        raise AuthenticationError()
    return user


def expected_version(request: HttpRequest) -> int:
    """The version an update is based on, from If-Match (428 when missing, 412 when malformed)."""
    return parse_if_match(request.headers.get("If-Match"))


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag_for(version)


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


# What a person reads for pydantic's error types, in the request's language (pydantic writes
# English only). A type not listed keeps pydantic's own English text.
_VALIDATION_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Give text."),
    "string_too_long": gettext_lazy("Keep it to %(max_length)s characters."),
    "string_too_short": gettext_lazy("Give at least %(min_length)s characters."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "float_type": gettext_lazy("Give a number."),
    "float_parsing": gettext_lazy("Give a number."),
    "decimal_type": gettext_lazy("Give a number."),
    "decimal_parsing": gettext_lazy("Give a number."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "date_type": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "datetime_type": gettext_lazy("Give a date and time in ISO 8601."),
    "datetime_parsing": gettext_lazy("Give a date and time in ISO 8601."),
    "datetime_from_date_parsing": gettext_lazy("Give a date and time in ISO 8601."),
    "list_type": gettext_lazy("Give a list."),
    "dict_type": gettext_lazy("Give an object."),
    "model_type": gettext_lazy("Give an object."),
    "model_attributes_type": gettext_lazy("Give an object."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "greater_than": gettext_lazy("Give a number greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Give a number of at least %(ge)s."),
    "less_than": gettext_lazy("Give a number less than %(lt)s."),
    "less_than_equal": gettext_lazy("Give a number of at most %(le)s."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "too_short": gettext_lazy("Give at least %(min_length)s items."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "extra_forbidden": gettext_lazy("This field is not expected here."),
}


def _validation_message(item: dict[str, Any]) -> str:
    template = _VALIDATION_MESSAGES.get(str(item.get("type", "")))
    if template is not None:
        try:
            return str(template) % dict(item.get("ctx") or {})
        except (KeyError, TypeError, ValueError):
            pass
    return str(item.get("msg") or _("Invalid value."))


def _field_name(loc: list[Any]) -> str:
    # ninja reports locations like ["body", "payload", "title"]; clients want "title".
    parts = [str(part) for part in loc if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


# The texts for errors django-ninja raises itself (its own messages are English only).
_STATUS_MESSAGES = {
    400: gettext_lazy("The request could not be read."),
    401: gettext_lazy("Sign in, or send Authorization: Bearer <token>."),
    403: gettext_lazy("Your role does not allow this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This method is not allowed here."),
    409: gettext_lazy("This conflicts with the current state."),
    413: gettext_lazy("The request is too large."),
    429: gettext_lazy("Too many requests: wait a moment and try again."),
}

_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    422: "validation_error",
    428: "precondition_required",
    429: "throttled",
}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            fields.setdefault(_field_name(list(item.get("loc", []))), []).append(
                _validation_message(item)
            )
        return _error(
            api,
            request,
            422,
            "validation_error",
            _("Some fields are missing or not valid."),
            fields,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(
            api,
            request,
            401,
            "not_authenticated",
            str(_STATUS_MESSAGES[401]),
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", str(_STATUS_MESSAGES[404]))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, "forbidden", str(exc) or str(_STATUS_MESSAGES[403]))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = _STATUS_MESSAGES.get(status)
        if status == 403 and "csrf" in str(exc).lower():
            message = gettext_lazy("The CSRF check failed: reload the page and try again.")
        return _error(
            api,
            request,
            status,
            _STATUS_CODES.get(status, "error"),
            str(message) if message is not None else _("The request could not be handled."),
        )


__all__ = ["ActiveSessionAuth", "AnonymousUser", "ErrorOut"]
