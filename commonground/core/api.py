"""Conventions every API router follows: authentication, the error shape, versions (ETags)."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
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


def _field_name(loc: list[Any]) -> str:
    # ninja reports locations like ["body", "payload", "title"]; clients want "title".
    parts = [str(part) for part in loc if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


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
                str(item.get("msg", "Invalid value."))
            )
        return _error(
            api, request, 422, "validation_error", "Some fields are missing or not valid.", fields
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(
            api,
            request,
            401,
            "not_authenticated",
            "Sign in, or send Authorization: Bearer <token>.",
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, "forbidden", str(exc) or "Your role does not allow this.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _error(
            api, request, exc.status_code, _STATUS_CODES.get(exc.status_code, "error"), str(exc)
        )


__all__ = ["ActiveSessionAuth", "AnonymousUser", "ErrorOut"]
