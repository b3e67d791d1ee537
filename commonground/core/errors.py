"""Errors that services raise and that both the pages and the API turn into clear messages.

Each has a stable `code` for API clients; `fields` names the fields that are wrong.
"""

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = {key: list(value) for key, value in (fields or {}).items()}
        if code:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


class Conflict(DomainError):
    code = "conflict"
    status = 409


class StaleVersion(DomainError):
    """The object changed since the client read it (HTTP 412)."""

    code = "precondition_failed"
    status = 412


class VersionRequired(DomainError):
    """An update came without saying which version it was based on (HTTP 428)."""

    code = "precondition_required"
    status = 428


def field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})
